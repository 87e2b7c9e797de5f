import { admitsEveryone, cidrRange } from "./cidrs";

/**
 * IP allowlists written as proxy configuration: haproxy `acl <name> src <cidr>...` gated by
 * `... reject unless <name>` / `deny if !<name>`, or nginx `allow <cidr>; ... deny all;`.
 */
export type Allowlist = { narrow: true; cidrs: string[] } | { narrow: false; why: string };

function haproxy(text: string): Allowlist | undefined {
    const sources = new Map<string, string[]>();
    for (const [, name, rest] of text.matchAll(/^\s*acl\s+(\S+)\s+src\s+(.*)$/gm)) {
        sources.set(name, [...(sources.get(name) ?? []), ...rest.trim().split(/\s+/)]);
    }
    const gates = [...text.matchAll(/\b(?:reject|deny)\b[^\n]*?\b(?:unless\s+(\S+)|if\s+!(\S+))/g)].map((m) => m[1] ?? m[2]);
    const tokens = gates.flatMap((gate) => sources.get(gate) ?? []);
    if (gates.length === 0 || tokens.length === 0) return undefined;
    // `-f file` keeps the addresses where the stack cannot show them: nothing to judge, so no allowlist.
    if (tokens.includes("-f")) return { narrow: false, why: "its addresses are in a file (-f) the stack does not show" };
    return judge(tokens.filter((t) => cidrRange(t) !== undefined));
}

function nginx(text: string): Allowlist | undefined {
    if (!/deny\s+all\s*;/.test(text)) return undefined;
    const entries = [...text.matchAll(/\ballow\s+([^;\s]+)\s*;/g)].map((m) => m[1]);
    if (entries.length === 0) return undefined;
    if (entries.includes("all")) return { narrow: false, why: "it says 'allow all'" };
    return judge(entries);
}

function judge(cidrs: string[]): Allowlist {
    if (cidrs.length === 0) return { narrow: false, why: "it lists no address" };
    const everyone = admitsEveryone(cidrs);
    return everyone ? { narrow: false, why: `it admits ${everyone} (${cidrs.join(" ")})` } : { narrow: true, cidrs };
}

/** The allowlist a proxy configuration text holds, or undefined when it holds none. */
export function allowlistIn(text: string): Allowlist | undefined {
    return haproxy(text) ?? nginx(text);
}
