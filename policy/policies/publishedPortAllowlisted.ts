import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { isLoopback } from "../lib/cidrs";
import { allowlistIn, type Allowlist } from "../lib/ipAllowlist";
import { containerFileTexts } from "../lib/containerFiles";
import { areaTags, cis } from "../lib/metadata";
import { containerLabel, openclawContainers, props } from "../lib/stack";
import { list, plain, record, str } from "../lib/values";

interface Config {
    allowlistedContainers?: string[];
}

// The docker provider publishes on every interface when no ip is given.
const ALL_INTERFACES = new Set(["", "0.0.0.0", "::", "[::]"]);

/**
 * The IP allowlist the stack shows in front of a container: in content uploaded into it, or in a resource
 * (e.g. the command that writes haproxy.cfg) that names a host folder the container mounts. A narrow one
 * wins over one that admits everyone. When none is found but some value was unknown (preview), reading it
 * again throws, which the SDK reports as advisory instead of a violation.
 */
function visibleAllowlist(container: PolicyResource, resources: PolicyResource[]): Allowlist | undefined {
    const unknowns: (() => unknown)[] = [];
    const found = containerFileTexts(container, resources, unknowns)
        .flatMap((v) => v.texts)
        .map(allowlistIn)
        .filter((a): a is Allowlist => a !== undefined);
    const narrow = found.find((a) => a.narrow);
    if (!narrow) unknowns.forEach((read) => read());
    return narrow ?? found[0];
}

export const publishedPortAllowlisted: StackValidationPolicy = {
    name: "published-port-allowlisted",
    displayName: "No port beyond loopback without a narrow IP allowlist",
    description: "An OpenClaw container publishes a port on any address but loopback (0.0.0.0, ::, unset — the docker provider's default is 0.0.0.0 — or a LAN/public address) only when the stack shows an IP allowlist in front of it that does not admit everyone (0.0.0.0/0, ::/0, or ranges whose union is all of IPv4 or IPv6).",
    severity: "critical",
    enforcementLevel: "mandatory",
    framework: cis("5.13", "Ensure that incoming container traffic is bound to a specific host interface"),
    tags: areaTags("identity", "layer-3"),
    remediationSteps: "Publish on 127.0.0.1 (and reach it through SSH or a VPN), or put an ingress proxy with an IP allowlist of your clients' networks in front (clawcage: gateway.ipAllowlist). A firewall the stack cannot show can be declared with the policy config allowlistedContainers.",
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
            const exposed = list(props(container).ports)
                .map((p) => record(p))
                .filter((p) => {
                    const ip = str(p?.ip) ?? "";
                    return ALL_INTERFACES.has(ip) || !isLoopback(ip.replace(/^\[|\]$/g, ""));
                });
            if (exposed.length === 0 || declared.includes(name)) continue;
            const allowlist = visibleAllowlist(container, args.resources);
            if (allowlist?.narrow) continue;
            const ports = exposed
                .map((p) => {
                    const ip = str(p?.ip) ?? "";
                    const where = ALL_INTERFACES.has(ip) ? " (every interface)" : "";
                    return `${ip || "0.0.0.0 (unset)"}:${String(plain(p?.external) ?? plain(p?.internal))}${where}`;
                })
                .join(", ");
            const why = allowlist ? `the IP allowlist in front of it is none (${allowlist.why})` : "with no IP allowlist in front";
            reportViolation(`${name}: publishes ${ports} beyond loopback ${allowlist ? "but " : ""}${why}; list your clients' networks`, container.urn);
        }
    },
};
