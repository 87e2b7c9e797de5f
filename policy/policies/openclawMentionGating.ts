import { areaTags } from "../lib/metadata";
import { enabledChannels, openclawConfigPolicy } from "../lib/openclawConfig";
import { bool, record, str } from "../lib/values";

// In a group every member's message is a prompt: answer only when @-mentioned (guide layer 3).
export const openclawMentionGating = openclawConfigPolicy(
    {
        name: "openclaw-mention-gating",
        displayName: "Mention gating in groups",
        description: "Channels that answer groups require an @-mention: groups.\"*\" (or every listed group; guilds for Discord) sets requireMention: true.",
        severity: "high",
        enforcementLevel: "mandatory",
        tags: areaTags("identity", "layer-3"),
        remediationSteps: "Set channels.<id>.groups.\"*\".requireMention: true (Discord: guilds.<id>.requireMention), or groupPolicy: \"disabled\".",
    },
    (config, report) => {
        for (const [id, channel] of enabledChannels(config)) {
            if (str(channel.groupPolicy) === "disabled") continue;
            const key = id === "discord" ? "guilds" : "groups";
            const groups = record(channel[key]) ?? {};
            const wildcard = bool(record(groups["*"])?.requireMention) === true;
            const listed = Object.entries(groups).filter(([g]) => g !== "*");
            const ungated = listed.filter(([, g]) => (bool(record(g)?.requireMention) ?? wildcard) !== true).map(([g]) => g);
            if (!wildcard && listed.length === 0) report(`channels.${id}.${key}: no "*" entry requires an @-mention`);
            else if (ungated.length > 0) report(`channels.${id}.${key}: ${ungated.join(", ")} answer without an @-mention`);
        }
    },
);
