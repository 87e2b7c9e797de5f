import type { StackValidationPolicy } from "@pulumi/policy";
import { areaTags, cis } from "../lib/metadata";
import { containerLabel, gateways, networkInternalByName, networksOf, props } from "../lib/stack";

// The gateway must have no route out of its own: every byte to the internet goes through the egress
// proxy's allowlist (guide layer 1: "a bridge network marked internal").
export const gatewayInternalNetworks: StackValidationPolicy = {
    name: "gateway-internal-networks-only",
    displayName: "Gateway on internal networks only",
    description: "The OpenClaw gateway joins only docker networks declared in the stack with `internal: true` (never the default bridge, host, or a network with a route out).",
    severity: "critical",
    enforcementLevel: "mandatory",
    framework: cis("5.29", "Ensure that Docker's default bridge \"docker0\" is not used"),
    tags: areaTags("network", "layer-1"),
    remediationSteps: "Declare a docker.Network with `internal: true`, set the gateway's networkMode and networksAdvanced to it only, and reach the internet through an egress proxy on that network.",
    validateStack: (args, reportViolation) => {
        const found = gateways(args.resources);
        if (found.length === 0) args.notApplicable("no OpenClaw gateway container in the stack");
        const internal = networkInternalByName(args.resources);
        for (const gateway of found) {
            for (const network of networksOf(props(gateway))) {
                const isInternal = internal.get(network);
                if (isInternal === true) continue;
                const why = isInternal === false ? "is not internal" : network.startsWith("container:") ? "shares another container's network" : "is not a network declared in this stack with internal: true";
                reportViolation(`${containerLabel(gateway)}: joins network '${network}', which ${why}`, gateway.urn);
            }
        }
    },
};
