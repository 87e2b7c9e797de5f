import type * as k8s from "@pulumi/kubernetes";
import { FORBIDDEN_DESTINATIONS } from "../egress/squidConf";
import { EGRESS_PROXY_PORT } from "../egress/egressProxy";
import { modelRelays } from "../deployment/modelProviders";
import { gatewayPlans } from "../deployment/team";
import { DEPLOYMENT_NAME } from "../deployment/names";
import { SANDBOX_SSH_PORT } from "../sandbox/sshdConfig";
import type { DeploymentSettings } from "../settings/schema";
import type { Manifest } from "./manifest";
import { APP_LABEL, APP_NAME, podLabels, type ClusterComponent } from "./labels";

/**
 * Guide layer 5 on a cluster: every pod of the namespace denied every way in and out, then one policy per path the
 * deployment needs. A gateway reaches its own sandbox host and the egress proxy, nothing else (no DNS either: it
 * finds both by hostAliases); only the ingress proxy reaches a gateway; only the egress proxy reaches the
 * internet, on the web's ports and the model relays' upstream ports, never a private, link-local or pod address;
 * only it and the cluster's DNS pods talk DNS. A pure renderer: the same settings give the same policies.
 */

type NetworkPolicy = k8s.types.input.networking.v1.NetworkPolicy;
type Peer = k8s.types.input.networking.v1.NetworkPolicyPeer;

/** What the policies are made of, derived from the settings in one place. */
export interface ClusterPaths {
    namespace: string;
    /** One entry per gateway: the member's name, or undefined for a deployment of one gateway. */
    members: (string | undefined)[];
    gatewayPort: number;
    /** Client networks that may reach the ingress proxy (gateway.ipAllowlist); none: only `kubectl port-forward`. */
    clientBlocks: string[];
    /** Ports the egress proxy opens upstream: 80 and 443, and each model relay's upstream port. */
    internetPorts: number[];
    /** Addresses the egress proxy never reaches: the forbidden destinations and the pod subnet. */
    internetExcept: string[];
    dns: { namespace: string; podLabel: [string, string] };
}

export function clusterPaths(s: DeploymentSettings): ClusterPaths {
    const [key, value] = s.kubernetes.dns.podLabel.split("=");
    const v4 = FORBIDDEN_DESTINATIONS.filter((d) => !d.includes(":"));
    return {
        namespace: s.kubernetes.namespace,
        members: gatewayPlans(DEPLOYMENT_NAME, s).map((p) => p.member),
        gatewayPort: s.gateway.port,
        clientBlocks: [...s.gateway.ipAllowlist],
        internetPorts: [...new Set([80, 443, ...modelRelays(s).map((r) => r.upstream.port)])].sort((a, b) => a - b),
        internetExcept: [...new Set([...v4, s.kubernetes.podSubnet])],
        dns: { namespace: s.kubernetes.dns.namespace, podLabel: [key, value] },
    };
}

const selector = (component: ClusterComponent, member?: string) => ({ matchLabels: podLabels(component, member) });
const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: "TCP", port }));
const DNS_PORTS = [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }];

function policy(p: ClusterPaths, name: string, podSelector: object, rules: { ingress?: { from: Peer[]; ports: object[] }[]; egress?: { to: Peer[]; ports: object[] }[] }): Manifest {
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name, namespace: p.namespace, labels: { [APP_LABEL]: APP_NAME } },
        spec: {
            podSelector,
            policyTypes: [...(rules.ingress ? ["Ingress"] : []), ...(rules.egress ? ["Egress"] : [])],
            ...(rules.ingress ? { ingress: rules.ingress } : {}),
            ...(rules.egress ? { egress: rules.egress } : {}),
        },
    } satisfies NetworkPolicy;
}

const suffix = (member: string | undefined) => (member === undefined ? "" : `-${member}`);

export function renderNetworkPolicies(p: ClusterPaths): Manifest[] {
    const denyAll = policy(p, "default-deny", {}, { ingress: [], egress: [] });
    const perGateway = p.members.flatMap((member) => [
        policy(p, `gateway${suffix(member)}`, selector("gateway", member), {
            ingress: [{ from: [{ podSelector: selector("ingress-proxy") }], ports: tcp(p.gatewayPort) }],
            egress: [
                { to: [{ podSelector: selector("egress-proxy") }], ports: tcp(EGRESS_PROXY_PORT) },
                { to: [{ podSelector: selector("sandbox", member) }], ports: tcp(SANDBOX_SSH_PORT) },
            ],
        }),
        // No egress rule: the sandbox host has no way out, as on Docker's internal sandbox network.
        policy(p, `sandbox${suffix(member)}`, selector("sandbox", member), {
            ingress: [{ from: [{ podSelector: selector("gateway", member) }], ports: tcp(SANDBOX_SSH_PORT) }],
            egress: [],
        }),
    ]);
    const gateways = p.members.map((member) => ({ podSelector: selector("gateway", member) }));
    const dnsPods: Peer = {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": p.dns.namespace } },
        podSelector: { matchLabels: { [p.dns.podLabel[0]]: p.dns.podLabel[1] } },
    };
    const egressProxy = policy(p, "egress-proxy", selector("egress-proxy"), {
        ingress: [{ from: gateways, ports: tcp(EGRESS_PROXY_PORT) }],
        egress: [
            { to: [dnsPods], ports: DNS_PORTS },
            { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: p.internetExcept } }], ports: tcp(...p.internetPorts) },
        ],
    });
    const ingressProxy = policy(p, "ingress-proxy", selector("ingress-proxy"), {
        ingress: p.clientBlocks.length > 0 ? [{ from: p.clientBlocks.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp(p.gatewayPort) }] : [],
        egress: [{ to: gateways, ports: tcp(p.gatewayPort) }],
    });
    return [denyAll, ...perGateway, egressProxy, ingressProxy];
}
