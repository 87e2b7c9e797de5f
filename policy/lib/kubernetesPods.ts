import type { PolicyResource } from "@pulumi/policy";
import { allowedConnections, type Endpoint, type PolicyObject } from "./networkGraph";
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

/** Addresses the pods are given in the graph: any address in the pod subnet stands for a pod. */
const POD_ADDRESS = (i: number) => `10.244.${Math.floor(i / 250) + 1}.${(i % 250) + 2}`;

/** Probes outside the deployment's pods: a pod of another namespace, a cluster-internal address, the internet. */
const STRANGERS: Endpoint[] = [
    { id: "a pod of another namespace", ip: "10.244.200.2", namespace: "clawcage-policy-probe", labels: {} },
    { id: "a pod of the namespace without clawcage's labels", ip: "10.244.200.3", namespace: "", labels: {} },
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
    const endpoints: Endpoint[] = [
        ...pods.map((p, i) => ({ id: p.name, ip: POD_ADDRESS(i), namespace: p.namespace, labels: p.labels })),
        ...STRANGERS.map((s) => (s.namespace === "" ? { ...s, namespace } : s)),
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
