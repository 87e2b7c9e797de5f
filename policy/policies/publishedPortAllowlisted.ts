import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { hostPaths } from "../lib/mounts";
import { areaTags, cis } from "../lib/metadata";
import { containerLabel, openclawContainers, props } from "../lib/stack";
import { ifKnown, list, plain, record, str } from "../lib/values";

interface Config {
    allowlistedContainers?: string[];
}

const ALL_INTERFACES = new Set(["", "0.0.0.0", "::", "[::]"]);

// IP allowlists written as proxy configuration: haproxy `acl x src <cidr>` with a reject/deny rule,
// or nginx `allow <cidr>; deny all;`.
const HAPROXY = /acl\s+\S+\s+src\s+\S+[\s\S]*(reject|deny)\s+(unless|if\s+!)/;
const NGINX = /allow\s+[0-9a-fA-F.:/]+;[\s\S]*deny\s+all;/;

/**
 * Every string reachable in a value (secrets unwrapped: an allowlist is not secret). Unknown values
 * (preview) are skipped, and a read that throws again is kept so the caller can surface it.
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

/**
 * A container's published port is allowlisted when an allowlist is visible in the stack for it: in
 * content uploaded into it, or in a resource (e.g. the command that writes haproxy.cfg) that names a
 * host folder the container mounts. When none is found but some value was unknown (preview), reading
 * it again throws, which the SDK reports as advisory instead of a violation.
 */
function hasAllowlist(container: PolicyResource, resources: PolicyResource[]): boolean {
    const unknowns: (() => unknown)[] = [];
    const own = strings(props(container).uploads, unknowns);
    const mounted = hostPaths(props(container));
    const related = resources
        .filter((r) => r !== container)
        .map((r) => strings(r.props, unknowns))
        .filter((texts) => texts.some((t) => mounted.some((m) => t.includes(m))));
    const found = [own, ...related].flat().some((t) => HAPROXY.test(t) || NGINX.test(t));
    if (!found) unknowns.forEach((read) => read());
    return found;
}

export const publishedPortAllowlisted: StackValidationPolicy = {
    name: "published-port-allowlisted",
    displayName: "No port on 0.0.0.0 without an IP allowlist",
    description: "An OpenClaw container publishes a port on all interfaces (ip 0.0.0.0, ::, or unset: the docker provider's default is 0.0.0.0) only when the stack shows an IP allowlist in front of it.",
    severity: "critical",
    enforcementLevel: "mandatory",
    framework: cis("5.13", "Ensure that incoming container traffic is bound to a specific host interface"),
    tags: areaTags("identity", "layer-3"),
    remediationSteps: "Publish on 127.0.0.1 (and reach it through SSH or a VPN), or put an ingress proxy with an IP allowlist in front (clawcage: gateway.ipAllowlist). A firewall the stack cannot show can be declared with the policy config allowlistedContainers.",
    configSchema: {
        properties: {
            allowlistedContainers: { type: "array", items: { type: "string" }, default: [], description: "Container names whose published ports are allowlisted outside the stack (host firewall, cloud security group)." },
        },
    },
    validateStack: (args, reportViolation) => {
        const declared = args.getConfig<Config>().allowlistedContainers ?? [];
        const candidates = openclawContainers(args.resources);
        if (candidates.length === 0) args.notApplicable("no OpenClaw container in the stack");
        for (const container of candidates) {
            const name = containerLabel(container);
            const open = list(props(container).ports)
                .map((p) => record(p))
                .filter((p) => ALL_INTERFACES.has(str(p?.ip) ?? ""));
            if (open.length === 0 || declared.includes(name) || hasAllowlist(container, args.resources)) continue;
            const ports = open.map((p) => `${str(p?.ip) || "0.0.0.0 (unset)"}:${String(plain(p?.external) ?? plain(p?.internal))}`).join(", ");
            reportViolation(`${name}: publishes ${ports} on every interface with no IP allowlist in front`, container.urn);
        }
    },
};
