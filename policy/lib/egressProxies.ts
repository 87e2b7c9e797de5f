import type { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { containerFileTexts } from "./containerFiles";
import { roleOf } from "./openclaw";
import { isSquidConf } from "./squidConf";
import { containerLabel, containers, props } from "./stack";
import { COMPONENT_LABEL, CONFIG_MAP } from "./kubernetesPods";
import { plain } from "./values";

export interface ProxyConfig {
    proxy: string;
    /** The resource that shows the text (the proxy itself, or the command writing into its mounts). */
    resource: PolicyResource;
    text: string;
}

/** The policies' config naming egress proxies that carry no clawcage.role label. */
export const PROXY_CONTAINERS_SCHEMA = {
    properties: {
        proxyContainers: { type: "array" as const, items: { type: "string" as const }, default: [], description: "Names of unlabelled egress proxy containers." },
    },
};

/**
 * Every squid.conf the stack shows for its egress proxies (labelled `clawcage.role=egress-proxy`, or named in the
 * policy config proxyContainers). None found: the policy is not applicable, and a read unknown at preview says why.
 */
export function egressSquidConfs(args: StackValidationArgs): ProxyConfig[] {
    const named = args.getConfig<{ proxyContainers?: string[] }>().proxyContainers ?? [];
    const proxies = containers(args.resources).filter((c) => roleOf(props(c)) === "egress-proxy" || named.includes(containerLabel(c)));
    const unknowns: (() => unknown)[] = [];
    const found = proxies.flatMap((proxy) =>
        containerFileTexts(proxy, args.resources, unknowns).flatMap(({ resource, texts }) => texts.filter(isSquidConf).map((text) => ({ proxy: containerLabel(proxy), resource, text }))),
    );
    // On a cluster: the egress proxy's ConfigMap (clawcage's component label), whose data is its files.
    for (const map of args.resources.filter((r) => r.type === CONFIG_MAP)) {
        const m = plain(props(map)) as { metadata?: { name?: string; labels?: Record<string, string> }; data?: Record<string, unknown> };
        if (m.metadata?.labels?.[COMPONENT_LABEL] !== "egress-proxy") continue;
        for (const text of Object.values(m.data ?? {})) if (typeof text === "string" && isSquidConf(text)) found.push({ proxy: m.metadata.name ?? map.name, resource: map, text });
    }
    if (found.length === 0) {
        unknowns.forEach((read) => read());
        args.notApplicable("the stack shows no squid.conf of an egress proxy (upload it into the container, or write it with a resource that names the folder it mounts)");
    }
    return found;
}
