import { strict as assert } from "node:assert";
import { clusterPaths, renderNetworkPolicies } from "../../components/kubernetes/networkPolicies";
import { podLabels } from "../../components/kubernetes/labels";
import type { Manifest } from "../../components/kubernetes/manifest";
import { parseSettings } from "../../components/settings/parse";
import type { DeploymentSettingsInput } from "../../components/settings/schema";
import { allowedConnections, type Endpoint, type PolicyObject } from "../../policy/lib/networkGraph";

/**
 * The cluster's NetworkPolicies read as a graph (policy/lib/networkGraph.ts): every connection they allow that
 * touches one of the deployment's pods, among pods given addresses in the pod subnet (an ipBlock matches a pod's
 * address on most CNIs, so the graph assumes it does) and addresses outside: a client in the allowlist, a stranger,
 * the internet, the cloud's metadata address, a LAN host, the cluster's DNS and a pod of another namespace.
 */

const NS = "openclaw";
const pod = (id: string, ip: string, labels: Record<string, string>, namespace = NS): Endpoint => ({ id, ip, namespace, labels });
const OUTSIDE: Endpoint[] = [
    { id: "client", ip: "203.0.113.7" },
    { id: "stranger", ip: "198.51.100.9" },
    { id: "internet", ip: "93.184.216.34" },
    { id: "metadata", ip: "169.254.169.254" },
    { id: "lan", ip: "192.168.1.5" },
    pod("dns", "10.244.0.5", { "k8s-app": "kube-dns" }, "kube-system"),
    pod("neighbour", "10.244.2.2", { app: "other" }, "default"),
];
const PORTS = ["TCP/18789", "TCP/3128", "TCP/2222", "TCP/443", "TCP/80", "TCP/22", "UDP/53", "TCP/53"];

function podsOf(members: (string | undefined)[]): Endpoint[] {
    const shared = [pod("egress-proxy", "10.244.1.2", podLabels("egress-proxy")), pod("ingress-proxy", "10.244.1.3", podLabels("ingress-proxy"))];
    return [...shared, ...members.flatMap((m, i) => [pod(m ? `gateway-${m}` : "gateway", `10.244.1.${10 + 2 * i}`, podLabels("gateway", m)), pod(m ? `sandbox-${m}` : "sandbox", `10.244.1.${11 + 2 * i}`, podLabels("sandbox", m))])];
}

/** The connections that start or end at one of the deployment's pods. */
function graph(policies: Manifest[], members: (string | undefined)[]): string[] {
    const ours = podsOf(members);
    const ids = new Set(ours.map((p) => p.id));
    return allowedConnections(policies as PolicyObject[], [...ours, ...OUTSIDE], PORTS).filter((edge) => {
        const [from, , to] = edge.split(" ");
        return ids.has(from) || ids.has(to);
    });
}

const BASE: DeploymentSettingsInput = { gateway: { ipAllowlist: ["203.0.113.0/24"] } };
const policiesOf = (raw: DeploymentSettingsInput) => renderNetworkPolicies(clusterPaths(parseSettings(raw)));

/** The egress proxy's way out: the DNS pods, and every public address (the client's and the stranger's are public too) on the web's ports. */
const EGRESS_PROXY_OUT = ["dns TCP/53", "dns UDP/53", ...["client", "internet", "stranger"].flatMap((to) => [`${to} TCP/443`, `${to} TCP/80`])].map((e) => `egress-proxy → ${e}`);

describe("kubernetes: the NetworkPolicies, read as a graph", () => {
    it("one gateway: clients reach the ingress proxy alone, the gateway reaches its sandbox host and the egress proxy alone, and only the egress proxy reaches DNS and the internet", () => {
        assert.deepEqual(
            graph(policiesOf(BASE), [undefined]),
            [
                "client → ingress-proxy TCP/18789",
                ...EGRESS_PROXY_OUT,
                "gateway → egress-proxy TCP/3128",
                "gateway → sandbox TCP/2222",
                "ingress-proxy → gateway TCP/18789",
            ].sort(),
        );
    });

    it("a team: each member's gateway reaches its own sandbox host alone, and no gateway reaches another", () => {
        const team = { ...BASE, team: { members: { alice: { internalSubnet: "10.89.43.0/27" }, bob: { internalSubnet: "10.89.43.32/27" } } } };
        assert.deepEqual(
            graph(policiesOf(team), ["alice", "bob"]),
            [
                "client → ingress-proxy TCP/18789",
                ...EGRESS_PROXY_OUT,
                "gateway-alice → egress-proxy TCP/3128",
                "gateway-alice → sandbox-alice TCP/2222",
                "gateway-bob → egress-proxy TCP/3128",
                "gateway-bob → sandbox-bob TCP/2222",
                "ingress-proxy → gateway-alice TCP/18789",
                "ingress-proxy → gateway-bob TCP/18789",
            ].sort(),
        );
    });

    it("without an IP allowlist nothing reaches the ingress proxy over the network (kubectl port-forward alone)", () => {
        const edges = graph(policiesOf({}), [undefined]);
        assert.deepEqual(edges.filter((e) => e.includes("→ ingress-proxy")), []);
    });

    it("a model server's own port is opened to the internet for the egress proxy alone", () => {
        const raw = { ...BASE, models: { default: "local/llama3.1:8b", providers: { local: { kind: "openai-compatible" as const, baseUrl: "https://llm.example.com:8443/v1", auth: "none" as const } } } };
        const egress = renderNetworkPolicies(clusterPaths(parseSettings(raw))).find((p) => p.metadata?.name === "egress-proxy");
        assert.match(JSON.stringify(egress), /"port":8443/);
    });

    describe("negative controls: a weakened policy changes the graph", () => {
        const weakened = (change: (ps: Manifest[]) => void): string[] => {
            const ps = structuredClone(policiesOf(BASE));
            change(ps);
            return graph(ps, [undefined]);
        };
        const named = (ps: Manifest[], name: string) => {
            const p = ps.find((x) => x.metadata?.name === name);
            assert.ok(p?.spec, name);
            return p.spec as { egress: { to: unknown[]; ports?: unknown[] }[]; ingress: { from: unknown[] }[] };
        };

        it("the egress proxy's internet rule without its exceptions reaches the LAN, the metadata address and other pods", () => {
            const edges = weakened((ps) => ((named(ps, "egress-proxy").egress[1].to[0] as { ipBlock: { except?: string[] } }).ipBlock.except = []));
            for (const e of ["egress-proxy → lan TCP/443", "egress-proxy → metadata TCP/80", "egress-proxy → neighbour TCP/443"]) assert.ok(edges.includes(e), e);
        });

        it("a gateway egress rule to anywhere reaches the internet and the DNS", () => {
            const edges = weakened((ps) => named(ps, "gateway").egress.push({ to: [] }));
            for (const e of ["gateway → internet TCP/443", "gateway → dns UDP/53", "gateway → lan TCP/22"]) assert.ok(edges.includes(e), e);
        });

        it("an ingress proxy open to every address lets the stranger in", () => {
            const edges = weakened((ps) => (named(ps, "ingress-proxy").ingress[0].from = [{ ipBlock: { cidr: "0.0.0.0/0" } }]));
            assert.ok(edges.includes("stranger → ingress-proxy TCP/18789"));
        });

        it("with the member dropped from both sides' selectors, one member's gateway reaches the other's sandbox host (from one side alone, it still does not)", () => {
            const team = structuredClone(policiesOf({ ...BASE, team: { members: { alice: { internalSubnet: "10.89.43.0/27" }, bob: { internalSubnet: "10.89.43.32/27" } } } }));
            const sandbox = team.find((p) => p.metadata?.name === "sandbox-alice")?.spec as { ingress: { from: { podSelector: { matchLabels: Record<string, string> } }[] }[] };
            delete sandbox.ingress[0].from[0].podSelector.matchLabels["clawcage.dev/member"];
            assert.ok(!graph(team, ["alice", "bob"]).includes("gateway-bob → sandbox-alice TCP/2222"), "bob's gateway's egress still names his own sandbox host alone");
            const bobEgress = team.find((p) => p.metadata?.name === "gateway-bob")?.spec as { egress: { to: { podSelector: { matchLabels: Record<string, string> } }[] }[] };
            delete bobEgress.egress[1].to[0].podSelector.matchLabels["clawcage.dev/member"];
            assert.ok(graph(team, ["alice", "bob"]).includes("gateway-bob → sandbox-alice TCP/2222"));
        });
    });
});
