import type { StackValidationPolicy } from "@pulumi/policy";
import { egressSquidConfs, PROXY_CONTAINERS_SCHEMA } from "../lib/egressProxies";
import { areaTags } from "../lib/metadata";
import { servesAnyClient, squidRules } from "../lib/squidConf";

// The egress proxy has a leg on a network with a route out: without a client rule, any container there (or the
// host) uses it as a door to the allowlisted services, and to the model relay that adds the provider keys.
export const egressProxyClients: StackValidationPolicy = {
    name: "egress-proxy-clients",
    displayName: "The egress proxy serves only the gateway's network",
    description: "The egress proxy's squid.conf refuses, before any other rule, every client outside a `src` ACL (the gateway's internal network): a container on its other network cannot use it.",
    severity: "high",
    enforcementLevel: "advisory",
    tags: areaTags("network", "layer-5"),
    remediationSteps: "Start the access rules with `acl gateway_clients src <the internal network's subnet> 127.0.0.1/32` and `http_access deny !gateway_clients` (clawcage does, from network.internalSubnet).",
    configSchema: PROXY_CONTAINERS_SCHEMA,
    validateStack: (args, reportViolation) => {
        for (const { proxy, resource, text } of egressSquidConfs(args)) {
            const why = servesAnyClient(squidRules(text));
            if (why) reportViolation(`${proxy}: squid.conf (${resource.name}) serves any client that reaches it: ${why}`, resource.urn);
        }
    },
};
