import type { StackValidationPolicy } from "@pulumi/policy";
import { clusterPods, COMPONENT_LABEL, gatewayIntruders, networkPolicies, podAddress, podSubnet } from "../lib/kubernetesPods";
import { areaTags } from "../lib/metadata";
import { allowedConnections, type Endpoint } from "../lib/networkGraph";

/** Where a gateway must not go: the internet, the metadata address, the cluster's DNS (a pod). */
const outside = (subnet: string): Endpoint[] => [
    { id: "the internet", ip: "93.184.216.34" },
    { id: "the cloud's metadata address", ip: "169.254.169.254" },
    { id: "the cluster DNS", ip: podAddress(subnet, -3), namespace: "kube-system", labels: { "k8s-app": "kube-dns" } },
];
const PROBE_PORTS = ["TCP/80", "TCP/443", "UDP/53", "TCP/53", "TCP/22"];

// Guide layer 5 on a cluster: the NetworkPolicies, read as a graph, keep the gateway between the ingress proxy and
// the egress proxy, as Docker's internal networks do. A policy the graph reader does not understand is a violation.
export const kubernetesNetworkConfined: StackValidationPolicy = {
    name: "kubernetes-network-confined",
    displayName: "NetworkPolicies confine the gateway between the two proxies",
    description: "Read as a graph, the stack's NetworkPolicies let nothing but the ingress proxy's pods reach a gateway pod, and let a gateway pod reach nothing outside the namespace (no internet, no metadata address, no DNS): its way out is the egress proxy.",
    severity: "critical",
    enforcementLevel: "mandatory",
    tags: areaTags("network", "layer-5", "kubernetes"),
    remediationSteps: "Render the NetworkPolicies with clawcage (target: kubernetes): a default deny, then one policy per path. The cluster's network plugin must enforce NetworkPolicies (Calico, Cilium, ...).",
    validateStack: (args, reportViolation) => {
        const pods = clusterPods(args.resources);
        const gateways = pods.filter((p) => p.labels[COMPONENT_LABEL] === "gateway");
        if (gateways.length === 0) {
            args.notApplicable("no gateway pod (label app.kubernetes.io/component=gateway) in the stack");
            return;
        }
        for (const edge of gatewayIntruders(args.resources)) reportViolation(`reaches a gateway besides the ingress proxy: ${edge}`);
        try {
            const subnet = podSubnet(args.resources);
            const endpoints: Endpoint[] = [...gateways.map((g, i) => ({ id: g.name, ip: podAddress(subnet, i), namespace: g.namespace, labels: g.labels })), ...outside(subnet)];
            const names = new Set(gateways.map((g) => g.name));
            for (const edge of allowedConnections(networkPolicies(args.resources), endpoints, PROBE_PORTS)) {
                if (names.has(edge.split(" → ")[0])) reportViolation(`a gateway reaches beyond the egress proxy: ${edge}`);
            }
        } catch (e) {
            reportViolation(`a NetworkPolicy cannot be judged: ${(e as Error).message}`);
        }
    },
};
