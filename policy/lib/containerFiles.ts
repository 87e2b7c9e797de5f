import type { PolicyResource } from "@pulumi/policy";
import { hostPaths } from "./mounts";
import { props } from "./stack";
import { ifKnown, plain, record } from "./values";

/**
 * Every string reachable in a value (secrets unwrapped: a proxy's configuration is not secret). Unknown
 * values (preview) are skipped, and a read that throws again is kept so the caller can surface it.
 */
function strings(value: unknown, unknowns: (() => unknown)[]): string[] {
    const v = plain(value);
    if (typeof v === "string") return [v];
    const container = Array.isArray(v) ? (v as unknown[]) : record(v);
    if (!container) return [];
    const out: string[] = [];
    for (const key of Object.keys(container)) {
        const read = () => (container as Record<string, unknown>)[key];
        const item = ifKnown(read);
        if (item === undefined) unknowns.push(read);
        else out.push(...strings(item, unknowns));
    }
    return out;
}

export interface VisibleTexts {
    /** The resource the texts belong to: the container itself (its uploads) or one that writes into its mounts. */
    resource: PolicyResource;
    texts: string[];
}

/**
 * Where a stack shows a container's configuration files: content uploaded into it, and the strings of any
 * resource (e.g. the command that writes squid.conf or haproxy.cfg) that names a host folder the container
 * mounts. `unknowns` collects the reads that were unknown (preview), for the caller to surface when the
 * visible texts do not settle the question.
 */
export function containerFileTexts(container: PolicyResource, resources: PolicyResource[], unknowns: (() => unknown)[]): VisibleTexts[] {
    const mounted = hostPaths(props(container));
    const related = resources
        .filter((r) => r !== container)
        // A command carries its file twice (stdin, and the trigger that replaces it on change): once is enough.
        .map((resource) => ({ resource, texts: [...new Set(strings(resource.props, unknowns))] }))
        .filter(({ texts }) => texts.some((t) => mounted.some((m) => t.includes(m))));
    return [{ resource: container, texts: strings(props(container).uploads, unknowns) }, ...related];
}
