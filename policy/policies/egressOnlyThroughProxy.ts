import type { StackValidationPolicy } from "@pulumi/policy";
import { areaTags } from "../lib/metadata";
import { roleOf } from "../lib/openclaw";
import { containerLabel, containers, gateways, networkInternalByName, networksOf, props } from "../lib/stack";

interface Config {
    proxyContainers?: string[];
}

// A container on both the gateway's internal network and a network with a route out is a bridge
// around the egress allowlist: only the proxies (labelled clawcage.role, or named in config) may be.
export const egressOnlyThroughProxy: StackValidationPolicy = {
    name: "egress-only-through-proxy",
    displayName: "Only the proxy bridges internal and egress networks",
    description: "Of the containers on the gateway's internal networks, only proxies (label clawcage.role egress-proxy/ingress-proxy, or listed in config) also join a non-internal network.",
    severity: "high",
    enforcementLevel: "advisory",
    tags: areaTags("network", "layer-5"),
    remediationSteps: "Attach only the allowlisting egress proxy (and the ingress proxy) to both networks; label it `clawcage.role=egress-proxy` or list it in the policy config proxyContainers. Point HTTP(S)_PROXY in the gateway at it.",
    configSchema: {
        properties: {
            proxyContainers: { type: "array", items: { type: "string" }, default: [], description: "Names of unlabelled proxy containers allowed to bridge networks." },
        },
    },
    validateStack: (args, reportViolation) => {
        const proxies = args.getConfig<Config>().proxyContainers ?? [];
        const internal = networkInternalByName(args.resources);
        const gatewayNets = new Set(gateways(args.resources).flatMap((g) => networksOf(props(g)).filter((n) => internal.get(n) === true)));
        if (gatewayNets.size === 0) args.notApplicable("no OpenClaw gateway on an internal network in the stack");
        for (const container of containers(args.resources)) {
            const nets = networksOf(props(container));
            const inside = nets.find((n) => gatewayNets.has(n));
            const outside = nets.find((n) => internal.get(n) !== true);
            if (!inside || !outside) continue;
            const role = roleOf(props(container));
            if (role === "egress-proxy" || role === "ingress-proxy" || proxies.includes(containerLabel(container))) continue;
            reportViolation(`${containerLabel(container)}: joins internal network '${inside}' and '${outside}' (route out) but is not a declared proxy`, container.urn);
        }
    },
};
