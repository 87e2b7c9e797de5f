import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { docker, dockerOk, exec } from "../../cli/live/docker";
import { inspect, nodeProbeOn } from "../../cli/live/probe";
import { UNLISTED_HOST } from "../../cli/verify/cluster";
import { clusterWorkloads, type ClusterWorkload } from "../../components/kubernetes/clusterPlan";
import { deploymentNames } from "../../components/deployment/names";
import { modelRelays } from "../../components/deployment/modelProviders";
import { EGRESS_PROXY_PORT } from "../../components/egress/egressProxy";
import { renderRelayKeys } from "../../components/egress/squidConf";
import { PROXY_PATHS } from "../../components/host/layout";
import { parseSettings } from "../../components/settings/parse";
import { clusterInputs, CLUSTER_SETTINGS } from "../support/kubernetesFixtures";
import { HARNESS, startExtra, type Environment } from "./harness";

/** A network in the pod subnet of the settings below: its containers stand for pods. */
const POD_NETWORK = { name: `${HARNESS}-pods`, subnet: "10.244.77.0/24" };

/**
 * The cluster's egress proxy workload, run on Docker as its pod spec says: its image, its command, its files
 * mounted read-only at their paths, its scratch folders in memory, a read-only root, no capability, the uid. No
 * cluster runs here; this is the part of the pod a kubelet would not change.
 */
async function runEgressWorkload(env: Environment, name: string, w: ClusterWorkload, dir: string): Promise<string> {
    const mounts = w.files.flatMap((f, i) => {
        const local = path.join(dir, String(i));
        fs.writeFileSync(local, String(f.text), { mode: 0o644 });
        return ["-v", `${local}:${f.path}:ro`];
    });
    const image = (await inspect(deploymentNames().egressProxy)).Config.Image;
    const [entrypoint, ...args] = w.command ?? [];
    const hardened = ["--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--user", `${w.uid}:${w.uid}`];
    const scratch = w.scratch.flatMap((s) => ["--tmpfs", `${s.path}:size=${s.sizeMb}m,uid=${w.uid},gid=${w.uid}`]);
    return startExtra(env, ["--name", name, "--network", POD_NETWORK.name, ...hardened, ...scratch, ...mounts, "--entrypoint", entrypoint, image, ...args]);
}

/** A CONNECT to a name no allowlist holds, from a client in the pod subnet, retried while squid starts: its status. */
const refusedConnect = (proxy: string) =>
    `const net=require("net");let n=0;const go=()=>{const s=net.connect({host:${JSON.stringify(proxy)},port:${EGRESS_PROXY_PORT}},()=>s.write("CONNECT ${UNLISTED_HOST}:443 HTTP/1.1\\r\\nHost: ${UNLISTED_HOST}:443\\r\\n\\r\\n"));` +
    `s.once("data",d=>{console.log(String(d).split(" ")[1]);s.destroy()});s.on("error",()=>{if(++n<40)setTimeout(go,500);else console.log("NO PROXY")})};go()`;

/** The access log's JSON lines about the refused name, in a text. */
const refusals = (text: string) => text.split("\n").filter((l) => l.includes(UNLISTED_HOST) && /"status":403/.test(l));

export function clusterEgressTests(envOf: () => Environment): void {
    it("L5 on a cluster the egress proxy's audit log is its container's output, not its memory: a refusal is a JSON line in the container's log (the control: the Docker target's folder)", async () => {
        const env = envOf();
        const s = parseSettings({ ...CLUSTER_SETTINGS, kubernetes: { ...CLUSTER_SETTINGS.kubernetes, podSubnet: "10.244.0.0/16" } });
        const workload = (logsToFolder: boolean) => {
            const inputs = { ...clusterInputs("openclaw", s), modelKeys: renderRelayKeys(modelRelays(s), { anthropic: "sk-ant-e2e-only" }) };
            const w = clusterWorkloads("openclaw", s, inputs).find((x) => x.component === "egress-proxy");
            assert.ok(w, "no egress proxy workload");
            if (!logsToFolder) return w;
            // The control: the same pod with the Docker target's log lines, and a folder in memory for them.
            const conf = w.files.find((f) => f.path.endsWith("squid.conf"));
            assert.ok(conf);
            const folder = String(conf.text).replace("access_log stdio:/dev/stdout", `access_log stdio:${PROXY_PATHS.logs}/access.log`).replace("cache_log /dev/stderr", `cache_log ${PROXY_PATHS.logs}/cache.log`);
            assert.notEqual(folder, conf.text);
            return { ...w, files: w.files.map((f) => (f === conf ? { ...f, text: folder } : f)), scratch: [...w.scratch, { path: PROXY_PATHS.logs, sizeMb: 16 }] };
        };
        await docker(["network", "rm", POD_NETWORK.name]);
        await dockerOk(["network", "create", "--internal", "--subnet", POD_NETWORK.subnet, POD_NETWORK.name]);
        const files = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-cluster-egress-"));
        try {
            const seen: Record<string, { status: string; stdout: string[]; file: string[] }> = {};
            for (const [label, logsToFolder] of [["cluster", false], ["control", true]] as const) {
                const proxy = await runEgressWorkload(env, `${HARNESS}-pod-egress-${label}`, workload(logsToFolder), fs.mkdtempSync(path.join(files, `${label}-`)));
                const status = await nodeProbeOn(POD_NETWORK.name, env.images.node, refusedConnect(proxy));
                await new Promise((resolve) => setTimeout(resolve, 1000));
                const logs = await docker(["logs", proxy]);
                const file = await exec(proxy, ["cat", `${PROXY_PATHS.logs}/access.log`]);
                seen[label] = { status, stdout: refusals(logs.stdout), file: refusals(file.stdout) };
                await docker(["rm", "-f", proxy]);
            }
            assert.equal(seen.cluster.status, "403", "squid refused the name");
            assert.equal(seen.cluster.stdout.length, 1, `the refusal in the container's output: ${JSON.stringify(seen.cluster)}`);
            assert.equal(seen.cluster.file.length, 0);
            assert.equal(seen.control.status, "403");
            assert.deepEqual([seen.control.stdout.length, seen.control.file.length], [0, 1], `the control logs to its folder: ${JSON.stringify(seen.control)}`);
        } finally {
            await docker(["network", "rm", POD_NETWORK.name]);
            fs.rmSync(files, { recursive: true, force: true });
        }
    });
}
