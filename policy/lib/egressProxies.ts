import type { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { containerFileTexts } from "./containerFiles";
import { roleOf } from "./openclaw";
import { isSquidConf } from "./squidConf";
import { containerLabel, containers, props } from "./stack";
import { egressProxyConfigMapConfs } from "./kubernetesPods";

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
    // On a cluster: the egress proxy's ConfigMap, whose data is its files.
    for (const { name, resource, text } of egressProxyConfigMapConfs(args.resources)) found.push({ proxy: name, resource, text });
    if (found.length === 0) {
        unknowns.forEach((read) => read());
        args.notApplicable("the stack shows no squid.conf of an egress proxy (upload it into the container, or write it with a resource that names the folder it mounts)");
    }
    return found;
}
