import type { StackValidationPolicy } from "@pulumi/policy";
import { unregistrableDomainReason } from "../lib/domains";
import { egressSquidConfs, PROXY_CONTAINERS_SCHEMA } from "../lib/egressProxies";
import { areaTags } from "../lib/metadata";
import { lookupBeforeAllowlist, squidRules } from "../lib/squidConf";

/** What is wrong with each `http_access allow` rule of a squid.conf, as messages. */
function problems(text: string): string[] {
    const rules = squidRules(text);
    const { allows, acls } = rules;
    const out: string[] = [];
    const lookup = lookupBeforeAllowlist(rules);
    if (lookup) out.push(`'${lookup.line}' looks up every name asked (acl ${lookup.acl} is dst) before the unlisted ones are refused: a refused request still sends its name to DNS, a way out for a secret written into it; refuse them first with \`http_access deny !<allowlist acl>\``);
    for (const rule of allows) {
        // `all` is squid's built-in ACL matching every client: it narrows nothing.
        const required = rule.acls.filter((name) => name !== "all");
        if (required.length === 0) out.push(`'${rule.line}' lets every request out, to any domain`);
        for (const name of required) {
            const acl = acls.get(name);
            if (acl?.type === "dstdom_regex") out.push(`acl ${name} (dstdom_regex) cannot be judged; list domains with dstdomain`);
            if (acl?.type !== "dstdomain") continue;
            for (const entry of acl.values) {
                const why = entry.startsWith('"') ? "a file the stack does not show" : unregistrableDomainReason(entry);
                if (why) out.push(`acl ${name} dstdomain '${entry}' is ${why}`);
            }
        }
    }
    return out;
}

// The egress proxy is the agent's only way out (guide layer 5): an entry that is a public suffix
// (.com, .github.io), a local name or an IP opens it to hosts nobody chose, e.g. an attacker's
// exfiltration endpoint under the same suffix.
export const egressAllowlistDomains: StackValidationPolicy = {
    name: "egress-allowlist-domains",
    displayName: "Egress allowlist names registrable domains",
    description: "Every `http_access allow` rule of the egress proxy's squid.conf (uploaded into it, or written into a folder it mounts) is limited by dstdomain entries that each name a registrable domain of the public internet: no public suffix (.com, co.uk, .github.io), no local name (localhost, *.internal), no IP literal or wildcard; and no destination-address (dst) rule looks up a name before the names off the list are refused (the lookup alone would carry a secret out in the name).",
    severity: "high",
    enforcementLevel: "advisory",
    tags: areaTags("network", "layer-5"),
    remediationSteps: "List each service's own domain (`api.anthropic.com`, or `.anthropic.com` with its subdomains; clawcage: egress.allowedDomains) and end with `http_access deny all`. Label the proxy `clawcage.role=egress-proxy` or list it in the policy config proxyContainers.",
    configSchema: PROXY_CONTAINERS_SCHEMA,
    validateStack: (args, reportViolation) => {
        for (const { proxy, resource, text } of egressSquidConfs(args)) {
            for (const problem of problems(text)) reportViolation(`${proxy}: squid.conf (${resource.name}): ${problem}`, resource.urn);
        }
    },
};
