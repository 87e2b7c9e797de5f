import { ifKnown, isSecretValue, list, record, str } from "./values";

/**
 * Recognising resources that run OpenClaw, whoever declared them: clawcage's components label their
 * containers `clawcage.role`; a hand-written stack is recognised by its image name or OPENCLAW_ env.
 */

/** The roles of clawcage's containers: every container policy checks each of them. */
export const ROLES = ["gateway", "egress-proxy", "ingress-proxy", "sandbox-host", "alert-watcher"] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABEL = "clawcage.role";

export type Props = Record<string, unknown>;

/** docker.Container labels ([{label, value}]) as a map. */
export function labelsOf(props: Props): Record<string, string> {
    const out: Record<string, string> = {};
    for (const entry of ifKnown(() => list(props.labels)) ?? []) {
        const e = ifKnown(() => record(entry));
        const key = e && ifKnown(() => str(e.label));
        const value = e && ifKnown(() => str(e.value));
        if (key !== undefined && value !== undefined) out[key] = value;
    }
    return out;
}

export function roleOf(props: Props): Role | undefined {
    const role = labelsOf(props)[ROLE_LABEL];
    return (ROLES as readonly string[]).includes(role ?? "") ? (role as Role) : undefined;
}

export interface EnvEntry {
    name: string;
    /** The value as given (possibly a secret wrapper); undefined when unknown during preview. */
    value: string | undefined;
    /** True when the list or the entry was marked secret. */
    secret: boolean;
    unknown: boolean;
}

/** `envs` ("K=V") entries. Unknown entries (preview) are kept with `unknown: true` and no name guess. */
export function envEntries(props: Props): EnvEntry[] {
    const raw = ifKnown(() => props.envs);
    if (raw === undefined) return [];
    const listSecret = isSecretValue(raw);
    const entries = ifKnown(() => list(raw)) ?? [];
    return entries.map((_, i) => {
        const item = ifKnown(() => entries[i]);
        const text = item === undefined ? undefined : str(item);
        if (text === undefined) return { name: "", value: undefined, secret: listSecret, unknown: true };
        const eq = text.indexOf("=");
        return {
            name: eq < 0 ? text : text.slice(0, eq),
            value: eq < 0 ? undefined : text.slice(eq + 1),
            secret: listSecret || isSecretValue(item),
            unknown: false,
        };
    });
}

export function imageOf(props: Props): string {
    return ifKnown(() => str(props.image)) ?? "";
}

/** A container that runs OpenClaw or one of its proxies. */
export function isOpenClawContainer(props: Props): boolean {
    return roleOf(props) !== undefined || /openclaw/i.test(imageOf(props)) || envEntries(props).some((e) => e.name.startsWith("OPENCLAW_"));
}

/** The gateway itself: labelled so, or (unlabelled) recognised by image or env. */
export function isGateway(props: Props): boolean {
    const role = roleOf(props);
    if (role !== undefined) return role === "gateway";
    return isOpenClawContainer(props);
}
