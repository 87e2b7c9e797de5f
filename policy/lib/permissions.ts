/**
 * What a deployment lets the agent and its clients do, as a list of permissions that can be compared: the
 * guide's "loosen one permission at a time". clawcage derives the list from its settings
 * (components/rollout/permissions.ts) and exports it as the stack output `permissions`; the policy pack and
 * the CLI compare two lists with the functions here.
 */

export type PermissionLayer = "L1" | "L3" | "L4" | "L5";

export interface Permission {
    /** Identity across versions: `exec:git`, `write:/opt/openclaw/workspace/drafts`, `egress:.github.com`. */
    key: string;
    layer: PermissionLayer;
    /** What it grants, in a few words. */
    what: string;
    /** Its parts that can grow on their own (a program's forms, a token's scopes); empty when it has none. */
    detail: string[];
    /** The risk it brings, in one line. */
    risk: string;
}

export interface Widened {
    permission: Permission;
    added: string[];
    removed: string[];
}

export interface PermissionDiff {
    added: Permission[];
    removed: Permission[];
    /** Same permission, parts added or removed (a form more, a scope less). */
    changed: Widened[];
}

export function diffPermissions(before: Permission[], after: Permission[]): PermissionDiff {
    const old = new Map(before.map((p) => [p.key, p]));
    const now = new Map(after.map((p) => [p.key, p]));
    const changed: Widened[] = [];
    for (const p of after) {
        const was = old.get(p.key);
        if (!was) continue;
        const added = p.detail.filter((d) => !was.detail.includes(d));
        const removed = was.detail.filter((d) => !p.detail.includes(d));
        if (added.length > 0 || removed.length > 0) changed.push({ permission: p, added, removed });
    }
    return {
        added: after.filter((p) => !old.has(p.key)),
        removed: before.filter((p) => !now.has(p.key)),
        changed,
    };
}

/** Each loosening of a diff, named: a new permission, or an existing one given more. */
export function loosenings(diff: PermissionDiff): string[] {
    return [
        ...diff.added.map((p) => `${p.layer} ${p.what}`),
        ...diff.changed.filter((c) => c.added.length > 0).map((c) => `${c.permission.layer} ${c.permission.what} (+${c.added.join(", +")})`),
    ];
}

/**
 * The guard: a change may loosen one permission (tightening and going back are always allowed). Returns the
 * refusal, naming every loosening, or undefined.
 */
export function loosensTooMuch(diff: PermissionDiff, override: string): string | undefined {
    const loose = loosenings(diff);
    if (loose.length <= 1) return undefined;
    return `this change loosens ${loose.length} permissions at once: ${loose.join("; ")}. Loosen one at a time and watch each for a day (the guide's staged rollout), or ${override}`;
}

/** Reads a permission list as a stack output carries it (a JSON string or the array); undefined when it is none. */
export function readPermissions(value: unknown): Permission[] | undefined {
    const parsed: unknown = typeof value === "string" ? safeJson(value) : value;
    if (!Array.isArray(parsed)) return undefined;
    const ok = parsed.every(
        (p: unknown) => typeof p === "object" && p !== null && typeof (p as Permission).key === "string" && Array.isArray((p as Permission).detail),
    );
    return ok ? (parsed as Permission[]) : undefined;
}

function safeJson(text: string): unknown {
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return undefined;
    }
}
