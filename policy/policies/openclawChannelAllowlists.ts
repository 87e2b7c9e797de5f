import { areaTags } from "../lib/metadata";
import { enabledChannels, openclawConfigPolicy } from "../lib/openclawConfig";
import { list, str } from "../lib/values";

// An agent that answers anyone who messages it runs anyone's prompt injection (guide layer 3, must).
const DM_OK = ["allowlist", "pairing", "disabled"];
const GROUP_OK = ["allowlist", "disabled"];

export const openclawChannelAllowlists = openclawConfigPolicy(
    {
        name: "openclaw-channel-allowlists",
        displayName: "DM and group allowlists",
        description: "Every chat channel answers DMs only from an allowlist (or paired/disabled) and groups only from an allowlist (or disabled); no allowlist contains \"*\".",
        severity: "critical",
        enforcementLevel: "mandatory",
        tags: areaTags("identity", "layer-3"),
        remediationSteps: "Set channels.<id>.dmPolicy: \"allowlist\" with allowFrom [your ids], groupPolicy: \"allowlist\" with groupAllowFrom [group ids]; never \"open\" or \"*\".",
    },
    (config, report) => {
        for (const [id, channel] of enabledChannels(config)) {
            // OpenClaw's defaults: dmPolicy pairing, groupPolicy allowlist.
            const dm = str(channel.dmPolicy) ?? "pairing";
            const group = str(channel.groupPolicy) ?? "allowlist";
            if (!DM_OK.includes(dm)) report(`channels.${id}.dmPolicy is '${dm}'`);
            if (!GROUP_OK.includes(group)) report(`channels.${id}.groupPolicy is '${group}'`);
            // OpenClaw reads an entry that is "*" once trimmed as everyone.
            for (const key of ["allowFrom", "groupAllowFrom"]) {
                if (list(channel[key]).some((entry) => str(entry)?.trim() === "*")) report(`channels.${id}.${key} contains '*' (anyone): list the ids that may write instead`);
            }
        }
    },
);
