import { closest } from "fastest-levenshtein";
import catalog from "./openclaw-tools.json";

/**
 * The tool catalogue of the pinned OpenClaw, generated from the package by scripts/tool-catalog.mjs
 * (the runtime proof compares it with the gateway image's). OpenClaw accepts any name in tools.allow
 * and tools.deny without a word, so a misspelt deny entry denies nothing: names are checked here.
 */
export const OPENCLAW_TOOLS_VERSION: string = catalog.openclaw;

/** Each group (`group:fs`, ...) with the tool ids OpenClaw expands it to. */
export const OPENCLAW_TOOL_GROUPS: Readonly<Record<string, readonly string[]>> = catalog.groups;

/** Every core tool id. */
export const OPENCLAW_TOOL_IDS: readonly string[] = [...new Set(Object.values(catalog.groups).flat())].sort();

// Not in the core catalogue but a policy name OpenClaw's tool policy knows: every plugin's tools.
const PLUGIN_GROUP = "group:plugins";
// OpenClaw's own aliases (tool-policy-shared): it rewrites them, so the canonical name is the one to write.
const ALIASES: Readonly<Record<string, string>> = { bash: "exec", "apply-patch": "apply_patch", cron: "automations" };

const KNOWN = new Set([...OPENCLAW_TOOL_IDS, ...Object.keys(OPENCLAW_TOOL_GROUPS), PLUGIN_GROUP]);

export const isKnownToolName = (name: string): boolean => KNOWN.has(name);

/** Why a tool policy entry names nothing the pinned OpenClaw has, with the nearest name; undefined when it is known. */
export function unknownToolNameReason(name: string): string | undefined {
    if (KNOWN.has(name)) return undefined;
    const canonical = ALIASES[name.trim().toLowerCase()];
    const hint = canonical ? `write its canonical name '${canonical}'` : `did you mean '${closest(name, [...KNOWN])}'?`;
    return `'${name}' is not a tool or group of OpenClaw ${OPENCLAW_TOOLS_VERSION}, which ignores names it does not know, so this entry would allow or deny nothing; ${hint}`;
}

/** The tool ids a list of names and groups stands for, as OpenClaw expands it. */
export function expandToolNames(names: readonly string[]): string[] {
    return [...new Set(names.flatMap((n) => OPENCLAW_TOOL_GROUPS[n] ?? [n]))].sort();
}
