import { strict as assert } from "node:assert";
import { plainStrings, reveal, runStack, runStackConfig, SECRET_SIG_KEY, stackConfig, type ProgramRun } from "../../cli/record/program";
import { FILES_DIGEST_ANNOTATION } from "../../components/kubernetes/workloads";
import type { Manifest } from "../../components/kubernetes/manifest";
import { refusalTests } from "../support/refusals";
import { CLUSTER_SETTINGS } from "../support/kubernetesFixtures";
import { schemaProblem } from "../support/kubernetesSchema";

/**
 * The committed `k8s` stack (stacks/Pulumi.k8s.yaml) as the program declares it under Pulumi's mocks: Kubernetes
 * objects and pushed images, nothing of a Docker host; every object valid; every credential in a Secret.
 */

/** The recorded Kubernetes objects, secrets revealed, as the provider would receive them. */
const objectsOf = (run: ProgramRun): Manifest[] => run.resources.filter((r) => r.type.startsWith("kubernetes:")).map((r) => reveal(r.inputs) as Manifest);

describe("kubernetes: the k8s stack under mocks", () => {
    let run: ProgramRun;
    before(async function () {
        this.timeout(120_000);
        run = await runStack("k8s");
    });

    it("declares the namespace, Services, NetworkPolicies, ConfigMaps, Secrets, a volume claim and Deployments, and nothing of a Docker host", () => {
        const kinds = new Set(objectsOf(run).map((o) => o.kind));
        assert.deepEqual([...kinds].sort(), ["ConfigMap", "Deployment", "Namespace", "NetworkPolicy", "PersistentVolumeClaim", "Secret", "Service"]);
        const docker = run.resources.filter((r) => r.type.startsWith("docker:") || r.type.startsWith("command:"));
        assert.deepEqual(docker.map((r) => r.type), ["docker:index/image:Image", "docker:index/image:Image", "docker:index/image:Image", "docker:index/image:Image"], "images only: built here, pushed");
        for (const image of docker) assert.match(String((image.inputs as { imageName: string }).imageName), /^registry\.example\.com\/openclaw\/clawcage\/[a-z-]+:[0-9a-f]{16}$/);
        assert.ok(!docker.some((r) => (r.inputs as { skipPush?: boolean }).skipPush), "every image is pushed");
    });

    it("every object validates against the Kubernetes 1.33 schema", () => {
        assert.deepEqual(objectsOf(run).map(schemaProblem).filter(Boolean), []);
    });

    it("the pods run the images pushed for them", () => {
        const pushed = run.resources.filter((r) => r.type === "docker:index/image:Image").map((r) => String((r.inputs as { imageName: string }).imageName));
        const used = objectsOf(run)
            .filter((o) => o.kind === "Deployment")
            .flatMap((d) => (d.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers.map((c) => c.image));
        assert.ok(used.length >= 4 && used.every((image) => pushed.includes(image)), used.join(", "));
    });

    it("a changed file rolls its pods alone: each pod template carries its files' digest (secret), and a new allowlisted domain changes the egress proxy's", async function () {
        this.timeout(120_000);
        const digests = (r: ProgramRun) =>
            Object.fromEntries(objectsOf(r).filter((o) => o.kind === "Deployment").map((d) => [d.metadata.name, (d.spec as { template: { metadata: { annotations?: Record<string, string> } } }).template.metadata.annotations?.[FILES_DIGEST_ANNOTATION]]));
        const before = digests(run);
        assert.ok(Object.values(before).every((d) => /^[0-9a-f]{64}$/.test(String(d))), JSON.stringify(before));
        const config = stackConfig("k8s");
        const settings = config["clawcage:settings"] as object;
        const wider = await runStackConfig({ ...config, "clawcage:settings": { ...settings, egress: { allowedDomains: [".anthropic.com", ".github.com", ".npmjs.com", ".example.org"] } } }, run);
        const after = digests(wider);
        assert.deepEqual(Object.keys(before).filter((d) => before[d] !== after[d]), ["openclaw-egress-proxy"]);
    });

    it("every credential is a secret value inside a Secret: no generated token appears in any other object or output", () => {
        assert.ok(run.generatedSecrets.length > 0);
        const secretData = run.resources.filter((r) => r.type === "kubernetes:core/v1:Secret").map((r) => (r.inputs as { stringData: Record<string, unknown> }).stringData);
        assert.equal(secretData.length, 4);
        for (const data of secretData) assert.ok(SECRET_SIG_KEY in data, "a Secret's data is a secret output (encrypted in the state)");
        const plain = run.resources.filter((r) => r.type !== "kubernetes:core/v1:Secret").flatMap((r) => plainStrings(r.inputs));
        const configMaps = JSON.stringify(objectsOf(run).filter((o) => o.kind === "ConfigMap"));
        for (const secret of run.generatedSecrets) {
            assert.ok(!plain.some((text) => text.includes(secret)), "a generated secret outside a Secret");
            assert.ok(!configMaps.includes(secret), "a generated secret in a ConfigMap");
        }
        // Negative control: the same scan finds a token put in a ConfigMap.
        assert.ok(JSON.stringify({ data: { leak: run.generatedSecrets[0] } }).includes(run.generatedSecrets[0]));
    });
});

describe("kubernetes: settings a cluster cannot honour are refused before anything is deployed", () => {
    const on = (extra: object) => ({ ...CLUSTER_SETTINGS, ...extra });
    refusalTests([
        { what: "a cluster without a registry", bad: on({ kubernetes: {} }), field: "settings.kubernetes.registry", says: /docker login/, neighbour: CLUSTER_SETTINGS },
        { what: "a pod subnet that admits everyone", bad: on({ kubernetes: { registry: "r.example.com/x", podSubnet: "0.0.0.0/0" } }), field: "settings.kubernetes.podSubnet", says: /pod CIDR/, neighbour: CLUSTER_SETTINGS },
        { what: "an SSH host target on a cluster", bad: on({ host: { target: { kind: "ssh", address: "vps.example.com", hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl" } } }), field: "settings.host.target", says: /remove host.target/, neighbour: CLUSTER_SETTINGS },
        { what: "a host folder mounted on a cluster", bad: on({ container: { mounts: [{ hostPath: "/srv/project", containerPath: "/opt/openclaw/workspace/project" }] } }), field: "settings.container.mounts[0]", says: /workspace volume/, neighbour: CLUSTER_SETTINGS },
        { what: "alerts by webhook on a cluster", bad: on({ alerts: { webhook: { host: "hooks.slack.com" } } }), field: "settings.alerts.webhook", says: /not deployed on a cluster/, neighbour: CLUSTER_SETTINGS },
        { what: "a LoadBalancer without an IP allowlist", bad: on({ kubernetes: { registry: "r.example.com/x", ingressService: "LoadBalancer" } }), field: "settings.kubernetes.ingressService", says: /ipAllowlist/, neighbour: on({ kubernetes: { registry: "r.example.com/x", ingressService: "LoadBalancer" }, gateway: { publish: { address: "127.0.0.1", port: 18789 }, ipAllowlist: ["203.0.113.0/24"] } }) },
        { what: "a model server on a private network", bad: on({ models: { default: "local/m", providers: { local: { kind: "openai-compatible", baseUrl: "http://10.0.0.5:11434/v1", auth: "none", privateNetwork: true } } } }), field: "settings.models.providers.local.privateNetwork", says: /public name/, neighbour: CLUSTER_SETTINGS },
    ]);
});
