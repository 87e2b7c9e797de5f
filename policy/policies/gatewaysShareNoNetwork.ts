import type { StackValidationPolicy } from "@pulumi/policy";
import { areaTags } from "../lib/metadata";
import { roleOf } from "../lib/openclaw";
import { containerLabel, containers, gateways, networksOf, props } from "../lib/stack";

/** The containers that serve every gateway of a stack from one place: the egress and the ingress proxy. */
const SHARED_ROLES = new Set(["egress-proxy", "ingress-proxy"]);

// A team's gateways each hold one member's workspace, tokens and sessions: one that shares a network with another,
// or with a container on another's network, lets a prompt-injected agent talk straight to the other member's gateway.
export const gatewaysShareNoNetwork: StackValidationPolicy = {
    name: "gateways-share-no-network",
    displayName: "Gateways share no network",
    description: "In a stack with several OpenClaw gateways (one per team member), no two gateways join the same docker network, and no container but the egress and ingress proxies joins the networks of two gateways.",
    severity: "critical",
    enforcementLevel: "mandatory",
    tags: areaTags("network", "layer-5"),
    remediationSteps: "Give each gateway an internal network (and a sandbox network) of its own; let only the egress and ingress proxies join several (clawcage does, from settings.team.members).",
    validateStack: (args, reportViolation) => {
        const found = gateways(args.resources);
        if (found.length === 0) args.notApplicable("no OpenClaw gateway container in the stack");
        // Which gateway's networks each network is: a network two gateways join is reported once per extra gateway.
        const gatewayOf = new Map<string, string>();
        for (const gateway of found) {
            for (const network of networksOf(props(gateway))) {
                const other = gatewayOf.get(network);
                if (other !== undefined) reportViolation(`${containerLabel(gateway)} and ${other} both join network '${network}'`, gateway.urn);
                else gatewayOf.set(network, containerLabel(gateway));
            }
        }
        for (const c of containers(args.resources).filter((x) => !found.includes(x))) {
            const reached = [...new Set(networksOf(props(c)).flatMap((n) => gatewayOf.get(n) ?? []))];
            if (reached.length > 1 && !SHARED_ROLES.has(roleOf(props(c)) ?? "")) {
                reportViolation(`${containerLabel(c)} joins the networks of ${reached.join(" and ")}: only the egress and ingress proxies may stand between gateways`, c.urn);
            }
        }
    },
};
