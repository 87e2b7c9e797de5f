import type { PolicyResource } from "@pulumi/policy";
import { ipv4At } from "./cidrs";
import { allowedConnections, type Endpoint, type PolicyObject } from "./networkGraph";
import { isSquidConf, squidRules } from "./squidConf";
import { props } from "./stack";
import { plain } from "./values";

/**
 * A stack's Kubernetes objects as the pack reads them: clawcage's pods by their component label, and the
 * NetworkPolicies between them. The pack imports nothing from the library, so the label names are repeated here
 * (components/kubernetes/labels.ts), as ROLE_LABEL is for Docker.
 */

export const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
export const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
export const NAMESPACE = "kubernetes:core/v1:Namespace";
export const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";
export const COMPONENT_LABEL = "app.kubernetes.io/component";

export interface ClusterPod {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    spec: Record<string, unknown>;
    /** The ports its containers declare. */
    ports: number[];
}

/** Each Deployment's pod template, with its namespace and labels. */
export function clusterPods(resources: PolicyResource[]): ClusterPod[] {
    return resources
        .filter((r) => r.type === DEPLOYMENT)
        .map((r) => {
            const d = plain(props(r)) as { metadata?: { name?: string; namespace?: string }; spec?: { template?: { metadata?: { labels?: Record<string, string> }; spec?: Record<string, unknown> } } };
            const spec = d.spec?.template?.spec ?? {};
            const containers = (spec.containers ?? []) as { ports?: { containerPort?: number }[] }[];
            return {
                name: d.metadata?.name ?? r.name,
                namespace: d.metadata?.namespace ?? "default",
                labels: d.spec?.template?.metadata?.labels ?? {},
                spec,
                ports: containers.flatMap((c) => (c.ports ?? []).map((p) => Number(p.containerPort))),
            };
        });
}

export const networkPolicies = (resources: PolicyResource[]): PolicyObject[] => resources.filter((r) => r.type === NETWORK_POLICY).map((r) => plain(props(r)) as PolicyObject);

/** The pod subnet when the stack shows none: the common default of kubeadm's network plugins. */
const DEFAULT_POD_SUBNET = "10.244.0.0/16";

/**
 * The pod subnet, where every pod's address lies: the clients the stack's egress proxy serves (its squid.conf's
 * `src` ACL, which clawcage renders from kubernetes.podSubnet), else the common default. A NetworkPolicy that admits
 * pods by address is judged at their real addresses: 10.244/16 would miss a rule written for a 100.64/10 cluster.
 */
export function podSubnet(resources: PolicyResource[]): string {
    for (const { text } of egressProxyConfigMapConfs(resources)) {
        const clients = [...squidRules(text).acls.values()].filter((a) => a.type === "src").flatMap((a) => a.values);
        const subnet = clients.find((c) => ipv4At(c, 0) !== undefined);
        if (subnet) return subnet;
    }
    return DEFAULT_POD_SUBNET;
}

/** The squid.conf texts of the egress proxy's ConfigMaps (clawcage's component label), whose data is its files. */
export function egressProxyConfigMapConfs(resources: PolicyResource[]): { name: string; resource: PolicyResource; text: string }[] {
    return resources
        .filter((r) => r.type === CONFIG_MAP)
        .flatMap((map) => {
            const m = plain(props(map)) as { metadata?: { name?: string; labels?: Record<string, string> }; data?: Record<string, unknown> };
            if (m.metadata?.labels?.[COMPONENT_LABEL] !== "egress-proxy") return [];
            const texts = Object.values(m.data ?? {}).filter((t): t is string => typeof t === "string" && isSquidConf(t));
            return texts.map((text) => ({ name: m.metadata?.name ?? map.name, resource: map, text }));
        });
}

/** A pod's address in the graph: the `i`-th of the pod subnet (from its end when negative); any of them stands for a pod. */
export function podAddress(subnet: string, i: number): string {
    const address = ipv4At(subnet, i >= 0 ? i + 2 : i - 1);
    if (!address) throw new Error(`the pod subnet ${subnet} has no room for the graph's ${Math.abs(i)}th pod`);
    return address;
}

/** Probes outside the deployment's pods: pods that are not clawcage's, the internet, the metadata address. */
const strangers = (subnet: string): Endpoint[] => [
    { id: "a pod of another namespace", ip: podAddress(subnet, -1), namespace: "clawcage-policy-probe", labels: {} },
    { id: "a pod of the namespace without clawcage's labels", ip: podAddress(subnet, -2), namespace: "", labels: {} },
    { id: "an address on the internet", ip: "93.184.216.34" },
    { id: "the cloud's metadata address", ip: "169.254.169.254" },
];

/**
 * Who can open a connection to each gateway pod on its ports, besides the ingress proxy's pods: empty when the
 * NetworkPolicies confine every gateway (the condition under which it may trust the pod subnet's identity headers).
 */
export function gatewayIntruders(resources: PolicyResource[]): string[] {
    const pods = clusterPods(resources);
    const gateways = pods.filter((p) => p.labels[COMPONENT_LABEL] === "gateway");
    if (gateways.length === 0) return ["no gateway pod (label app.kubernetes.io/component=gateway) in the stack"];
    const namespace = gateways[0].namespace;
    const subnet = podSubnet(resources);
    const endpoints: Endpoint[] = [
        ...pods.map((p, i) => ({ id: p.name, ip: podAddress(subnet, i), namespace: p.namespace, labels: p.labels })),
        ...strangers(subnet).map((s) => (s.namespace === "" ? { ...s, namespace } : s)),
    ];
    const ports = [...new Set(gateways.flatMap((g) => g.ports))].map((p) => `TCP/${p}`);
    let edges: string[];
    try {
        edges = allowedConnections(networkPolicies(resources), endpoints, ports);
    } catch (e) {
        return [`a NetworkPolicy cannot be judged: ${(e as Error).message}`];
    }
    const ingress = new Set(pods.filter((p) => p.labels[COMPONENT_LABEL] === "ingress-proxy").map((p) => p.name));
    const gatewayNames = new Set(gateways.map((g) => g.name));
    return edges.filter((e) => {
        const [from, to] = e.split(" → ");
        return gatewayNames.has(to.split(" ")[0]) && !ingress.has(from);
    });
}
