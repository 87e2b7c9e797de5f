import { strict as assert } from "node:assert";
import { CONTAINER_WORKSPACE, DRAFTS_PATH } from "../../components/settings/constants";
import { FILE_MODE, PSA_VERSION } from "../../components/kubernetes/workloads";
import type { Manifest } from "../../components/kubernetes/manifest";
import { CLUSTER_SETTINGS, everyObject, SECRET_VALUES, TEAM_SETTINGS } from "../support/kubernetesFixtures";
import { schemaProblem } from "../support/kubernetesSchema";

/**
 * A deployment on a cluster, object by object (components/kubernetes): every object valid against the Kubernetes
 * 1.33 schema, every pod in Pod Security Admission's `restricted` form, every credential in a Secret alone.
 */

interface Container {
    name: string;
    securityContext: Record<string, unknown>;
    resources: { limits: Record<string, string>; requests: Record<string, string> };
    volumeMounts: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
}
interface PodSpec {
    automountServiceAccountToken: boolean;
    hostNetwork: boolean;
    hostPID: boolean;
    hostIPC: boolean;
    runtimeClassName?: string;
    hostname?: string;
    hostAliases?: { ip: string; hostnames: string[] }[];
    securityContext: Record<string, unknown>;
    containers: Container[];
    initContainers?: Container[];
    volumes: Record<string, unknown>[];
}

const podOf = (d: Manifest) => (d.spec as { template: { spec: PodSpec } }).template.spec;
const deployments = (objects: Manifest[]) => objects.filter((o) => o.kind === "Deployment");
const named = (objects: Manifest[], kind: string, name: string) => {
    const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
    assert.ok(o, `${kind} ${name}`);
    return o;
};

describe("kubernetes: a deployment's objects", () => {
    const single = everyObject(CLUSTER_SETTINGS);
    const team = everyObject(TEAM_SETTINGS);

    it("are the namespace, its policies, and per workload a Service, ConfigMap, Secret and Deployment (the gateway's volume claim too)", () => {
        const names = single.map((o) => `${o.kind} ${o.metadata.name}`);
        for (const expected of ["Namespace openclaw", "NetworkPolicy default-deny", "Deployment openclaw-gateway", "PersistentVolumeClaim openclaw-data", "Deployment openclaw-sandbox", "Deployment openclaw-egress-proxy", "Deployment openclaw-ingress-proxy", "Service openclaw-gateway", "Secret openclaw-gateway-secrets", "ConfigMap openclaw-gateway-config"]) {
            assert.ok(names.includes(expected), `${expected} in ${names.join(", ")}`);
        }
        assert.deepEqual(deployments(team).map((d) => d.metadata.name).sort(), ["openclaw-alice-gateway", "openclaw-alice-sandbox", "openclaw-bob-gateway", "openclaw-bob-sandbox", "openclaw-egress-proxy", "openclaw-ingress-proxy"]);
    });

    it("every object validates against the Kubernetes 1.33 schema (kubernetes-models)", () => {
        assert.deepEqual([...single, ...team].map(schemaProblem).filter(Boolean), []);
    });

    it("negative controls: a wrong type, an unknown enum value and a missing required field are each refused", () => {
        const deployment = structuredClone(named(single, "Deployment", "openclaw-gateway"));
        const broken = [
            (d: Manifest) => ((d.spec as { replicas: unknown }).replicas = "one"),
            (d: Manifest) => (podOf(d).containers[0].securityContext.seccompProfile = { type: "Anything" }),
            (d: Manifest) => delete (podOf(d) as Partial<PodSpec>).containers,
        ].map((change) => {
            const d = structuredClone(deployment);
            change(d);
            return schemaProblem(d);
        });
        assert.deepEqual(broken.map((p) => p !== undefined), [true, true, true], broken.join("; "));
    });

    it("the namespace enforces, audits and warns at Pod Security Admission's restricted level, at a pinned version", () => {
        const labels = named(single, "Namespace", "openclaw").metadata.labels ?? {};
        for (const mode of ["enforce", "audit", "warn"]) {
            assert.equal(labels[`pod-security.kubernetes.io/${mode}`], "restricted");
            assert.equal(labels[`pod-security.kubernetes.io/${mode}-version`], PSA_VERSION);
        }
    });

    it("every pod: non-root with the deployment's uid, no escalation, no capability, read-only root, RuntimeDefault seccomp, no token, no host namespace, limits equal to requests", () => {
        for (const d of deployments(team)) {
            const pod = podOf(d);
            const at = d.metadata.name;
            assert.deepEqual([pod.automountServiceAccountToken, pod.hostNetwork, pod.hostPID, pod.hostIPC], [false, false, false, false], at);
            assert.deepEqual(pod.securityContext, { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } }, at);
            for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
                assert.deepEqual(c.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, privileged: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" }, runAsUser: 10001, runAsGroup: 10001 }, `${at}/${c.name}`);
                assert.deepEqual(c.resources.limits, c.resources.requests, `${at}/${c.name}`);
                assert.ok(c.resources.limits.cpu && c.resources.limits.memory, `${at}/${c.name}`);
            }
            assert.ok(pod.volumes.every((v) => !("hostPath" in v)), `${at} mounts no host path`);
        }
    });

    it("the gateway: its workspace read-only but the stage's granted path, state and logs on its volume, files read-only, scratch in memory", () => {
        const pod = podOf(named(single, "Deployment", "openclaw-gateway"));
        const mounts = Object.fromEntries(pod.containers[0].volumeMounts.map((m) => [m.mountPath, `${m.subPath ?? m.name} ${m.readOnly ? "ro" : "rw"}`]));
        assert.equal(mounts[CONTAINER_WORKSPACE], "workspace ro");
        assert.equal(mounts[DRAFTS_PATH], "workspace/drafts rw");
        assert.equal(mounts["/opt/openclaw/.openclaw"], "state rw");
        assert.equal(mounts["/opt/openclaw/config"], "files-0 ro");
        assert.match(mounts["/tmp"], /^scratch-\d rw$/);
        const scratch = pod.volumes.filter((v) => "emptyDir" in v).map((v) => (v.emptyDir as { medium: string }).medium);
        assert.deepEqual([...new Set(scratch)], ["Memory"]);
        assert.deepEqual(pod.initContainers?.map((c) => c.name), ["prepare-volume"]);
        // A replaced gateway keeps its host name, under which OpenClaw reclaims its own lease on the state.
        assert.equal(pod.hostname, "openclaw-gateway");
    });

    it("each gateway finds the egress proxy and its own sandbox host in its hosts file, and has no DNS", () => {
        const services = Object.fromEntries(team.filter((o) => o.kind === "Service").map((o, i) => [o.metadata.name, `10.96.0.${10 + i}`]));
        for (const member of ["alice", "bob"]) {
            const aliases = podOf(named(team, "Deployment", `openclaw-${member}-gateway`)).hostAliases ?? [];
            const ipOf = (host: string) => aliases.find((a) => a.hostnames.includes(host))?.ip;
            assert.equal(ipOf("egress-proxy"), services["openclaw-egress-proxy"]);
            assert.equal(ipOf("openclaw-sandbox"), services[`openclaw-${member}-sandbox`], member);
        }
        const policy = named(team, "NetworkPolicy", "gateway-alice").spec as { egress: { ports: { port: number }[] }[] };
        assert.ok(policy.egress.every((r) => r.ports.every((p) => p.port !== 53)), "no DNS port in a gateway's egress");
    });

    it("the sandbox host runs on the configured RuntimeClass (gVisor), the proxies and gateway on the node's default", () => {
        const runtimes = Object.fromEntries(deployments(single).map((d) => [d.metadata.name, podOf(d).runtimeClassName ?? "default"]));
        assert.deepEqual(runtimes, { "openclaw-egress-proxy": "default", "openclaw-ingress-proxy": "default", "openclaw-gateway": "default", "openclaw-sandbox": "gvisor" });
    });

    it("every credential lives in a Secret, as a group-read-only file; no Secret value appears in any other object", () => {
        for (const o of [...single, ...team].filter((x) => x.kind !== "Secret")) {
            const text = JSON.stringify(o);
            for (const [what, value] of Object.entries(SECRET_VALUES)) assert.ok(!text.includes(value), `${what} in ${o.kind} ${o.metadata.name}`);
        }
        const modes = deployments(single).flatMap((d) => podOf(d).volumes.flatMap((v) => ((v.projected as { sources: { secret?: { items: { mode: number }[] } }[] } | undefined)?.sources ?? []).flatMap((s) => s.secret?.items ?? []).map((i) => i.mode)));
        assert.ok(modes.length >= 5, String(modes.length));
        assert.deepEqual([...new Set(modes)], [FILE_MODE]);
        // Negative control: the same scan finds a credential put in a ConfigMap.
        const planted = structuredClone(named(single, "ConfigMap", "openclaw-gateway-config"));
        (planted.data as Record<string, string>)["leak"] = SECRET_VALUES.token;
        assert.ok(JSON.stringify(planted).includes(SECRET_VALUES.token));
    });

    it("the ingress proxy's haproxy.cfg finds the gateways in its hosts file, not Docker's DNS, and refuses pod addresses", () => {
        const cfg = String((named(team, "ConfigMap", "openclaw-ingress-proxy-config").data as Record<string, string>)["haproxy.cfg"]);
        assert.doesNotMatch(cfg, /127\.0\.0\.11|resolvers docker/);
        assert.match(cfg, /server gateway openclaw-alice-gateway:18789 check/);
        assert.match(cfg, /acl internal_side src 10\.244\.0\.0\/16/);
    });

    it("the ingress Service keeps clients' own addresses beyond the cluster (externalTrafficPolicy Local)", () => {
        const exposed = everyObject({ ...CLUSTER_SETTINGS, kubernetes: { ...CLUSTER_SETTINGS.kubernetes, ingressService: "LoadBalancer" }, gateway: { publish: { address: "0.0.0.0", port: 18789 }, ipAllowlist: ["203.0.113.0/24"] } });
        assert.deepEqual(named(exposed, "Service", "openclaw-ingress-proxy").spec, { type: "LoadBalancer", selector: { "app.kubernetes.io/name": "openclaw", "app.kubernetes.io/component": "ingress-proxy" }, ports: [{ name: "tcp-18789", port: 18789, targetPort: 18789, protocol: "TCP" }], externalTrafficPolicy: "Local" });
        assert.equal((named(single, "Service", "openclaw-ingress-proxy").spec as { type: string }).type, "ClusterIP");
    });
});
