import { cidrContains } from "./cidrs";

/**
 * Kubernetes NetworkPolicies read as a graph: which endpoint may open a connection to which, on which port. The
 * semantics are the API's: a pod selected by a policy of a direction is isolated in that direction and admits only
 * what some rule of those policies lists; a connection needs both the client's egress and the server's ingress.
 * Only what clawcage's renderers write is understood (matchLabels, ipBlock, numbered ports); anything else throws,
 * so a policy this reader cannot judge is never taken as safe.
 */

export interface Endpoint {
    id: string;
    ip: string;
    /** A pod's namespace and labels; an address outside the cluster has none. */
    namespace?: string;
    labels?: Record<string, string>;
}

export interface PolicyObject {
    metadata?: { namespace?: unknown };
    spec?: unknown;
}

interface Rule {
    peers?: Record<string, unknown>[];
    ports?: { protocol?: string; port?: unknown }[];
}

type Direction = "Ingress" | "Egress";

function matchLabels(selector: unknown, labels: Record<string, string> | undefined): boolean {
    const s = (selector ?? {}) as Record<string, unknown>;
    const unknown = Object.keys(s).filter((k) => k !== "matchLabels");
    if (unknown.length > 0) throw new Error(`selector field ${unknown.join(", ")} is not understood`);
    return Object.entries((s.matchLabels ?? {}) as Record<string, string>).every(([k, v]) => labels?.[k] === v);
}

function peerMatches(peer: Record<string, unknown>, policyNamespace: string, e: Endpoint): boolean {
    const block = peer.ipBlock as { cidr: string; except?: string[] } | undefined;
    if (block) return cidrContains(block.cidr, e.ip) && !(block.except ?? []).some((x) => cidrContains(x, e.ip));
    if (e.namespace === undefined) return false;
    const inNamespace = peer.namespaceSelector === undefined ? e.namespace === policyNamespace : matchLabels(peer.namespaceSelector, { "kubernetes.io/metadata.name": e.namespace });
    return inNamespace && (peer.podSelector === undefined || matchLabels(peer.podSelector, e.labels));
}

const portMatches = (ports: Rule["ports"], port: string) => !ports || ports.length === 0 || ports.some((p) => `${p.protocol ?? "TCP"}/${String(p.port)}` === port);

/** Whether `self` admits a connection with `other` in one direction, on `port` ("TCP/443"). */
function admits(policies: readonly PolicyObject[], direction: Direction, self: Endpoint, other: Endpoint, port: string): boolean {
    if (self.namespace === undefined) return true;
    const selecting = policies.filter((p) => {
        const spec = p.spec as { podSelector?: unknown; policyTypes?: string[] };
        return p.metadata?.namespace === self.namespace && matchLabels(spec.podSelector, self.labels) && (spec.policyTypes ?? ["Ingress"]).includes(direction);
    });
    if (selecting.length === 0) return true;
    return selecting.some((p) => {
        const spec = p.spec as { ingress?: { from?: Rule["peers"]; ports?: Rule["ports"] }[]; egress?: { to?: Rule["peers"]; ports?: Rule["ports"] }[] };
        const rules: Rule[] = direction === "Ingress" ? (spec.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports })) : (spec.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }));
        return rules.some((r) => portMatches(r.ports, port) && (!r.peers || r.peers.length === 0 || r.peers.some((peer) => peerMatches(peer, String(p.metadata?.namespace), other))));
    });
}

/** Every `from → to port` the policies allow among the endpoints, over the ports asked about, sorted. */
export function allowedConnections(policies: readonly PolicyObject[], endpoints: readonly Endpoint[], ports: readonly string[]): string[] {
    const edges: string[] = [];
    for (const from of endpoints) {
        for (const to of endpoints) {
            if (from === to) continue;
            for (const port of ports) {
                if (admits(policies, "Egress", from, to, port) && admits(policies, "Ingress", to, from, port)) edges.push(`${from.id} → ${to.id} ${port}`);
            }
        }
    }
    return edges.sort();
}
