import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { REPO_ROOT } from "../../cli/record/program";
import { SETTINGS_KEY } from "../../cli/stackFile";
import { checkLiveObjects, CLUSTER_POLICIES, podChecks } from "../../cli/verify/cluster";
import { pulumiTypeOf } from "../../cli/verify/cluster/liveObjects";
import type { ClusterObject } from "../../cli/live/kubectl";
import type { DeploymentSettingsInput } from "../../components/settings/schema";
import { EXIT_FAILED, EXIT_USAGE } from "../../cli/exitCodes";
import { CLUSTER_SETTINGS, everyObject, TEAM_SETTINGS } from "../support/kubernetesFixtures";
import { FROM_SOURCE, runCli } from "../support/cli";

/**
 * `clawcage verify --kubernetes` without a cluster: the pack's cluster policies on objects as the API server returns
 * them (the rendered ones, with what the server adds), each with the mutation that must fail it; and the command
 * line run against a stand-in kubectl that serves those objects and logs what it was asked. The in-pod probes are
 * proven on real containers in the e2e (test/e2e/clusterProbes.ts); here the stand-in's exec answers as a pod that
 * is gone, and every probe must fail on it.
 */

const K8S_STACK = path.join(REPO_ROOT, "stacks", "Pulumi.k8s.yaml");
const stackSettings = (file: string) => (parseDocument(fs.readFileSync(file, "utf8")).toJS() as { config: Record<string, DeploymentSettingsInput> }).config[SETTINGS_KEY];

/** What the API server adds to an object it holds: a uid, a version, a status, the namespace's name label. */
function asServed(o: ClusterObject): ClusterObject {
    const served = structuredClone(o) as ClusterObject & { status?: unknown; metadata: { labels?: Record<string, string> } };
    served.metadata = { ...served.metadata, uid: "0b6e2f7a-1d2c-4c59-9f7e-2b1c3e4d5f60", resourceVersion: "4711", creationTimestamp: "2026-12-04T12:00:00Z" };
    if (o.kind === "Namespace") served.metadata.labels = { ...served.metadata.labels, "kubernetes.io/metadata.name": o.metadata.name };
    if (o.kind === "Deployment") served.status = { replicas: 1, readyReplicas: 1 };
    return served;
}

const served = (raw: DeploymentSettingsInput) => (everyObject(raw) as unknown as ClusterObject[]).map(asServed);

type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a test's hand on a deep JSON object
const find = (objects: ClusterObject[], kind: string, name: RegExp) => {
    const o = objects.find((x) => x.kind === kind && name.test(x.metadata.name));
    assert.ok(o, `no ${kind} ${name}`);
    return o as Mutable;
};

describe("clawcage verify --kubernetes: the pack's cluster policies on the live objects", () => {
    it("names each object's type as the provider does", () => {
        assert.equal(pulumiTypeOf({ apiVersion: "v1", kind: "ConfigMap" }), "kubernetes:core/v1:ConfigMap");
        assert.equal(pulumiTypeOf({ apiVersion: "apps/v1", kind: "Deployment" }), "kubernetes:apps/v1:Deployment");
        assert.equal(pulumiTypeOf({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy" }), "kubernetes:networking.k8s.io/v1:NetworkPolicy");
    });

    for (const [what, raw] of [
        ["the k8s stack", stackSettings(K8S_STACK)],
        ["a team of two", TEAM_SETTINGS],
    ] as const) {
        it(`every cluster policy holds on ${what}'s objects as the API server returns them`, async () => {
            const results = await checkLiveObjects(served(raw));
            assert.deepEqual(results.map((r) => r.policy), CLUSTER_POLICIES.map((p) => p.name));
            assert.ok(results.length >= 2);
            for (const r of results) assert.ok(r.pass, `${r.policy}: ${r.observed}`);
        });
    }

    const controls: { what: string; policy: string; says: RegExp; mutate: (objects: ClusterObject[]) => ClusterObject[] }[] = [
        {
            what: "the gateway's root filesystem made writable by hand",
            policy: "kubernetes-pod-security",
            says: /gateway: the root filesystem is writable/,
            mutate: (objects) => {
                find(objects, "Deployment", /-gateway$/).spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false;
                return objects;
            },
        },
        {
            what: "the namespace relabelled to privileged",
            policy: "kubernetes-pod-security",
            says: /not declared in the stack with pod-security.kubernetes.io\/enforce=restricted/,
            mutate: (objects) => {
                find(objects, "Namespace", /./).metadata.labels["pod-security.kubernetes.io/enforce"] = "privileged";
                return objects;
            },
        },
        {
            what: "a NetworkPolicy added by hand that lets every pod out (the usual fix for a blocked download)",
            policy: "kubernetes-network-confined",
            says: /a gateway reaches beyond the egress proxy: .* → the internet/,
            mutate: (objects) => {
                const namespace = find(objects, "Namespace", /./).metadata.name as string;
                const allowAll = { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "allow-all-egress", namespace }, spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{}] } };
                return [...objects, allowAll];
            },
        },
        {
            what: "the Deployments gone (another namespace, or a failed apply)",
            policy: "kubernetes-network-confined",
            says: /nothing to read/,
            mutate: (objects) => objects.filter((o) => o.kind !== "Deployment"),
        },
    ];
    it("judges a NetworkPolicy that admits pods by address at the stack's own pod subnet, not a fixed one", async () => {
        const onSubnet = (podSubnet: string): DeploymentSettingsInput => ({ ...CLUSTER_SETTINGS, kubernetes: { ...CLUSTER_SETTINGS.kubernetes, podSubnet } });
        // Every pod of a 100.64/16 cluster let into the gateways by address, as a hand-written rule might.
        const byAddress = (objects: ClusterObject[]) => {
            const namespace = find(objects, "Namespace", /./).metadata.name as string;
            const rule = { podSelector: { matchLabels: { "app.kubernetes.io/component": "gateway" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: "100.64.0.0/16" } }] }] };
            return [...objects, { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "pods-by-address", namespace }, spec: rule }];
        };
        const confined = async (objects: ClusterObject[]) => (await checkLiveObjects(objects)).find((r) => r.policy === "kubernetes-network-confined");
        const there = await confined(byAddress(served(onSubnet("100.64.0.0/16"))));
        assert.ok(there && !there.pass, `passed on the cluster whose pods the rule admits: ${there?.observed}`);
        assert.match(there.observed, /→ openclaw-gateway/);
        // The control: on a cluster whose pods live elsewhere, the same rule admits no pod.
        const elsewhere = await confined(byAddress(served(onSubnet("10.244.0.0/16"))));
        assert.ok(elsewhere?.pass, elsewhere?.observed);
    });

    for (const c of controls) {
        it(`fails ${c.policy} on ${c.what} (a negative control)`, async () => {
            const before = (await checkLiveObjects(served(stackSettings(K8S_STACK)))).find((r) => r.policy === c.policy);
            assert.ok(before?.pass, before?.observed);
            const after = (await checkLiveObjects(c.mutate(served(stackSettings(K8S_STACK))))).find((r) => r.policy === c.policy);
            assert.ok(after && !after.pass, `${c.policy} passed: ${after?.observed}`);
            assert.match(after.observed, c.says);
        });
    }
});

/** A kubectl that serves the objects of a JSON file, logs every command line, and answers exec as a pod that is gone. */
const STAND_IN = `
const fs = require("fs");
const a = process.argv.slice(2);
fs.appendFileSync(process.env.KUBECTL_LOG, JSON.stringify(a) + "\\n");
const objects = JSON.parse(fs.readFileSync(process.env.KUBECTL_OBJECTS, "utf8"));
const rest = a.slice(a.indexOf("--namespace") + 2);
const ns = a[a.indexOf("--namespace") + 1];
if (rest[0] === "get" && rest[1] === "namespace") {
    const n = objects.find((o) => o.kind === "Namespace" && o.metadata.name === rest[2]);
    if (!n) { console.error('Error from server (NotFound): namespaces "' + rest[2] + '" not found'); process.exit(1); }
    console.log(JSON.stringify(n));
} else if (rest[0] === "get" && rest[1].startsWith("deployments.apps,")) {
    const items = objects.filter((o) => ["Deployment", "NetworkPolicy", "ConfigMap"].includes(o.kind) && o.metadata.namespace === ns);
    console.log(JSON.stringify({ apiVersion: "v1", kind: "List", items }));
} else if (rest[0] === "get" && rest[1] === "pods") {
    const wanted = rest[rest.indexOf("--selector") + 1].split(",").map((kv) => kv.split("="));
    const d = objects.find((o) => o.kind === "Deployment" && wanted.every(([k, v]) => o.spec.template.metadata.labels[k] === v));
    process.stdout.write(d ? d.metadata.name + "-7d9f5c-x2k4q" : "");
} else if (rest[0] === "exec") {
    console.error('error: unable to upgrade connection: container not found ("gateway")');
    process.exit(1);
} else { console.error("unexpected: " + a.join(" ")); process.exit(3); }
`;

describe("clawcage verify --kubernetes: the command line, with a stand-in kubectl", function () {
    this.timeout(120_000);
    let project = "";
    let log = "";
    let env: NodeJS.ProcessEnv = {};
    /** Writes the stack and the objects the stand-in serves. */
    const setUp = (raw: DeploymentSettingsInput, objects: ClusterObject[]) => {
        fs.mkdirSync(path.join(project, "stacks"), { recursive: true });
        fs.writeFileSync(path.join(project, "stacks", "Pulumi.k8s.yaml"), JSON.stringify({ config: { [SETTINGS_KEY]: raw } }));
        fs.writeFileSync(path.join(project, "objects.json"), JSON.stringify(objects));
    };
    const commands = () => fs.readFileSync(log, "utf8").split("\n").filter(Boolean).map((l) => (JSON.parse(l) as string[]).join(" "));
    beforeEach(() => {
        project = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-verify-k8s-"));
        log = path.join(project, "kubectl.log");
        fs.writeFileSync(log, "");
        const bin = path.join(project, "bin");
        fs.mkdirSync(bin);
        fs.writeFileSync(path.join(bin, "stand-in.js"), STAND_IN);
        fs.writeFileSync(path.join(bin, "kubectl"), `#!/bin/sh\nexec "${process.execPath}" "${path.join(bin, "stand-in.js")}" "$@"\n`, { mode: 0o755 });
        env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}`, KUBECTL_LOG: log, KUBECTL_OBJECTS: path.join(project, "objects.json") };
    });
    afterEach(() => fs.rmSync(project, { recursive: true, force: true }));
    const clawcage = (...args: string[]) => runCli(FROM_SOURCE, args, project, env);

    it("reads the stack's namespace in the given context, passes the pack's policies, and fails every probe of a pod it cannot exec into", () => {
        const raw = stackSettings(K8S_STACK);
        setUp(raw, served(raw));
        const r = clawcage("verify", "--kubernetes", "--stack", "k8s", "--context", "staging", "--json");
        assert.equal(r.code, EXIT_FAILED, r.out);
        const results = (JSON.parse(r.stdout) as { results: { name: string; pass: boolean; observed: string }[] }).results;
        const policyRows = results.filter((x) => x.name.startsWith("the pack's"));
        assert.equal(policyRows.length, CLUSTER_POLICIES.length);
        for (const row of policyRows) assert.ok(row.pass, `${row.name}: ${row.observed}`);
        assert.equal(results.length, CLUSTER_POLICIES.length + Object.keys(podChecks).length);
        for (const row of results.slice(policyRows.length)) assert.ok(!row.pass, `${row.name} passed on a pod it could not exec into: ${row.observed}`);
        const ran = commands();
        assert.ok(ran.every((c) => c.startsWith("--context staging --namespace openclaw ")), ran.join("\n"));
        assert.ok(ran.some((c) => c.includes("get pods --selector app.kubernetes.io/name=openclaw,app.kubernetes.io/component=gateway ")), ran.join("\n"));
        assert.ok(ran.some((c) => / exec -i openclaw-gateway-7d9f5c-x2k4q --container gateway -- id -u$/.test(c)), ran.join("\n"));
        const reads = ran.filter((c) => / get /.test(c));
        assert.equal(reads.length, 3, reads.join("\n"));
        assert.ok(!reads.some((c) => /secret/i.test(c)), `a Secret was read: ${reads.join("\n")}`);
    });

    it("fails the pod-security row on an object edited by hand since `pulumi up` (a negative control)", () => {
        const raw = stackSettings(K8S_STACK);
        const objects = served(raw);
        find(objects, "Deployment", /-egress-proxy$/).spec.template.spec.automountServiceAccountToken = true;
        setUp(raw, objects);
        const r = clawcage("verify", "--kubernetes", "--stack", "k8s", "--json");
        const row = (JSON.parse(r.stdout) as { results: { name: string; pass: boolean; observed: string }[] }).results.find((x) => x.name.includes("kubernetes-pod-security"));
        assert.ok(row && !row.pass, r.out);
        assert.match(row.observed, /egress-proxy: the service-account token is mounted/);
    });

    it("finds a team member's gateway pod by its member label, and asks which member when none is named", () => {
        setUp(TEAM_SETTINGS, served(TEAM_SETTINGS));
        const asked = clawcage("verify", "--kubernetes", "--stack", "k8s");
        assert.equal(asked.code, EXIT_USAGE, asked.out);
        assert.match(asked.stderr, /name the member whose gateway to work on with --member <name>/);
        assert.equal(commands().length, 0, "kubectl ran before the member was named");
        clawcage("verify", "--kubernetes", "--stack", "k8s", "--member", "bob");
        assert.ok(commands().some((c) => c.includes("app.kubernetes.io/component=gateway,clawcage.dev/member=bob ")), commands().join("\n"));
    });

    it("refuses --kubernetes on a Docker stack, and a cluster stack without it, before anything runs", () => {
        setUp(stackSettings(K8S_STACK), []);
        const plain = clawcage("verify", "--stack", "k8s");
        assert.equal(plain.code, EXIT_USAGE, plain.out);
        assert.match(plain.stderr, /settings.target is kubernetes: run `clawcage verify --kubernetes`/);
        fs.copyFileSync(path.join(REPO_ROOT, "stacks", "Pulumi.dev.yaml"), path.join(project, "stacks", "Pulumi.dev.yaml"));
        const docker = clawcage("verify", "--kubernetes", "--stack", "dev");
        assert.equal(docker.code, EXIT_USAGE, docker.out);
        assert.match(docker.stderr, /settings.target is docker: drop --kubernetes/);
        assert.equal(commands().length, 0);
    });

    it("says which namespace it could not read", () => {
        setUp(stackSettings(K8S_STACK), []);
        const r = clawcage("verify", "--kubernetes", "--stack", "k8s");
        assert.notEqual(r.code, 0);
        assert.match(r.stderr, /kubectl get namespace … failed \(1\): Error from server \(NotFound\): namespaces "openclaw" not found/);
    });
});
