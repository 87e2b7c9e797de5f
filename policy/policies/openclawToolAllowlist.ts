import { areaTags } from "../lib/metadata";
import { openclawConfigPolicy } from "../lib/openclawConfig";
import { unknownToolNameReason } from "../lib/openclawTools";
import { at, list, str } from "../lib/values";

// Allowlists beat denylists: a tool nobody listed (a new one after an update included) stays off.
const EVERYTHING = ["*", "group:openclaw", "group:plugins"];

export const openclawToolAllowlist = openclawConfigPolicy(
    {
        name: "openclaw-tool-allowlist",
        displayName: "Tool allowlist",
        description: "tools.allow lists the tools the agent may use (not \"*\"), tools.profile is not \"full\", and every name in tools.allow, tools.deny and gateway.tools.deny is a tool or group of the pinned OpenClaw.",
        severity: "medium",
        enforcementLevel: "advisory",
        tags: areaTags("permissions", "layer-4"),
        remediationSteps: "Set tools.allow to the tools you need (week 1: [\"read\", \"web_search\"]), deny the rest with tools.deny, and spell every name as OpenClaw's tool catalogue does.",
    },
    (config, report) => {
        const allow = list(at(config, "tools.allow")).map((t) => str(t) ?? "");
        const profile = str(at(config, "tools.profile"));
        if (allow.length === 0) report("tools.allow is missing or empty: every tool of the profile is allowed");
        const broad = allow.filter((t) => EVERYTHING.includes(t));
        if (broad.length > 0) report(`tools.allow contains ${broad.join(", ")}`);
        if (profile === "full") report("tools.profile is 'full'");
        // OpenClaw ignores names it does not know: a misspelt deny entry denies nothing.
        for (const key of ["tools.allow", "tools.deny", "gateway.tools.deny"]) {
            for (const name of list(at(config, key)).map((t) => str(t) ?? String(t))) {
                const why = name === "*" && key === "tools.allow" ? undefined : unknownToolNameReason(name);
                if (why) report(`${key}: ${why}`);
            }
        }
    },
);
