import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runProcess } from "../../cli/live/process";
import { docker, exec } from "../../cli/live/docker";
import { byName, reveal, runStackConfig, type ProgramRun } from "../../cli/record/program";
import type { CheckResult } from "../../cli/verify";
import { e2eConfig, E2E_STACK_FILE, startExtra, STAND_IN, type Environment, type Log } from "./harness";
import { replay, type Deployed } from "./replay";
import { engineEnvironment, runRemote } from "./transport";
import { retargetedStackFile, VPS_CONTAINER, VPS_PORT, vpsTarget } from "./vps";
import { clawcage } from "./cli";
import { parseDocument } from "yaml";
import { hostKeyFingerprint, parseHostKey } from "../../components/host/sshHostKey";

/** Clients of the published port in network namespaces of the test's own, beyond loopback. */
const LAN = { bridge: "cc-e2e-lan", host: "192.168.77.1", allowed: "192.168.77.2", outsider: "192.168.77.3" };
// Clear of the ports the negative controls publish (28790, 28791).
const FIREWALLED_PORT = 28795;

const sh = (script: string) => runProcess("bash", ["-c", script], { timeoutMs: 60_000 });

async function makeLan(): Promise<void> {
    const lines = [`ip link add ${LAN.bridge} type bridge`, `ip addr add ${LAN.host}/24 dev ${LAN.bridge}`, `ip link set ${LAN.bridge} up`];
    for (const [ns, address] of [["cc-ok", LAN.allowed], ["cc-out", LAN.outsider]]) {
        lines.push(
            `ip netns add ${ns}`, `ip link add ${ns}-h type veth peer name ${ns}-c`, `ip link set ${ns}-h master ${LAN.bridge} up`, `ip link set ${ns}-c netns ${ns}`,
            `ip -n ${ns} addr add ${address}/24 dev ${ns}-c`, `ip -n ${ns} link set ${ns}-c up`, `ip -n ${ns} link set lo up`,
        );
    }
    const r = await sh(["set -e", ...lines].join("\n"));
    if (r.code !== 0) throw new Error(`cannot make the test LAN: ${r.stderr}`);
}

const removeLan = () => sh(`ip netns del cc-ok; ip netns del cc-out; ip link del ${LAN.bridge}; true`);

/** What a client in that namespace gets from the published port: the answer, or curl's exit code. */
async function reach(ns: string): Promise<string> {
    const r = await sh(`ip netns exec ${ns} curl -s -m 4 http://${LAN.host}:${FIREWALLED_PORT}/ || { code=$?; sleep 0.5; exit $code; }`);
    return r.code === 0 ? r.stdout.trim() : `curl exit ${r.code}`;
}

const dockerUser = async () => (await exec(VPS_CONTAINER, ["iptables", "-S", "DOCKER-USER"])).stdout.trim();

async function freshHostKey(): Promise<string> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-impostor-"));
    await runProcess("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(dir, "k")]);
    const line = fs.readFileSync(path.join(dir, "k.pub"), "utf8").split(" ").slice(0, 2).join(" ");
    fs.rmSync(dir, { recursive: true });
    return line;
}

export function vpsTests(deployed: () => Environment, results: CheckResult[], log: Log): void {
    const row = (r: CheckResult) => results.push(r);

    it("L1 every image, network and container went over SSH to the VPS's engine (a provider-less one is refused: negative control)", async () => {
        const env = deployed();
        const engine = engineEnvironment(env.run, { localEngine: false });
        assert.equal(engine.DOCKER_HOST, `ssh://root@127.0.0.1:${VPS_PORT}`);
        const logins = ((await docker(["logs", VPS_CONTAINER])).stderr.match(/Accepted publickey for root/g) ?? []).length;
        row({ layer: "L1", name: "deployed through the VPS's sshd only", expected: "docker over ssh://; sshd logins > 0", observed: `${engine.DOCKER_HOST}; ${logins} logins`, pass: logins > 0 });
        assert.ok(logins > 0, "sshd saw no login");
        const stray: ProgramRun = structuredClone(env.run);
        delete stray.resources.find((r) => r.name === "openclaw-gateway-container")?.provider;
        assert.throws(() => engineEnvironment(stray, { localEngine: false }), /engine where `pulumi up` runs|more than one engine/);
    });

    it("L2 a changed host key stops the deployment before anything runs, and each connection refuses it on its own", async () => {
        const env = deployed();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-impostor-"));
        const file = path.join(dir, "Pulumi.e2e.yaml");
        retargetedStackFile(E2E_STACK_FILE, file, await freshHostKey());
        const impostor = await runStackConfig(e2eConfig(env.images, file, env.vps.identity));
        const nothing: Deployed = { networks: [], containers: [], hostDeletes: [], engine: {} };
        const refused = await replay(impostor, STAND_IN, log, nothing, { localEngine: false }).then(() => "deployed", (e: Error) => e.message);
        // The operations CLI with that stack file refuses the host too, before any command.
        const cli = await clawcage(["verify", ...vpsTarget(env.vps, file)]);
        fs.rmSync(dir, { recursive: true });
        assert.equal(cli.code, 2, cli.stdout);
        assert.match(cli.stderr, /its host key is not the one host\.target\.hostKey pins; nothing was run/);
        row({ layer: "L2", name: "a changed SSH host key stops the deployment", expected: "refused, nothing created", observed: `${refused.split("\n")[0].slice(0, 90)}; created ${nothing.networks.length + nothing.containers.length + nothing.hostDeletes.length}`, pass: /but host\.target\.hostKey pins SHA256:/.test(refused) });
        assert.match(refused, /is now SHA256:\S+, but host\.target\.hostKey pins SHA256:/);
        assert.match(refused, /ssh_host_ed25519_key\.pub/, "says how to confirm the new key");
        assert.equal(nothing.networks.length + nothing.containers.length + nothing.hostDeletes.length, 0);
        // Past the preflight, the host step and the Docker provider check the pin themselves.
        const marker = `${path.dirname(env.settings.host.root)}/impostor-ran`;
        const step = await runRemote(byName(impostor, "openclaw-host-account"), `touch ${marker}`);
        assert.notEqual(step.code, 0);
        assert.match(step.stderr, /host key verification failed/i);
        assert.equal(fs.existsSync(marker), false, "the host step ran against a host with another key");
        const engine = await docker(["version"], { env: engineEnvironment(impostor, { localEngine: false }), timeoutMs: 60_000 });
        assert.notEqual(engine.code, 0);
        assert.match(engine.stderr, /host key verification failed/i);
        // Positive control: the pinned key gets in.
        const right = await runRemote(byName(env.run, "openclaw-host-account"), "true");
        assert.equal(right.code, 0, right.stderr);
    });

    it("L2 `clawcage host-key` reads the key the VPS offers and pins it only with the fingerprint confirmed on the console", async () => {
        const env = deployed();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-pin-"));
        const file = path.join(dir, "Pulumi.e2e.yaml");
        const doc = parseDocument(fs.readFileSync(env.vps.stackFile, "utf8"));
        doc.deleteIn(["config", "clawcage:settings", "host", "target", "hostKey"]);
        fs.writeFileSync(file, doc.toString());
        try {
            const key = parseHostKey(env.vps.hostKey);
            assert.ok(typeof key !== "string");
            const fingerprint = hostKeyFingerprint(key);
            const shown = await clawcage(["host-key", "--stack-file", file]);
            assert.equal(shown.code, 0, shown.stderr);
            assert.ok(shown.stdout.includes(fingerprint), shown.stdout);
            // Negative control: a fingerprint other than the one offered writes nothing.
            const wrong = await clawcage(["host-key", "--stack-file", file, "--confirm", "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]);
            assert.equal(wrong.code, 2, wrong.stdout);
            assert.match(wrong.stderr, /nothing written/);
            assert.doesNotMatch(fs.readFileSync(file, "utf8"), /hostKey/);
            const pinned = await clawcage(["host-key", "--stack-file", file, "--confirm", fingerprint]);
            assert.equal(pinned.code, 0, pinned.stderr);
            assert.equal(parseDocument(fs.readFileSync(file, "utf8")).getIn(["config", "clawcage:settings", "host", "target", "hostKey"]), env.vps.hostKey);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("L3 beyond loopback, the host firewall drops a client outside the allowlist even where the service admits everyone; delete removes its rules only", async () => {
        const env = deployed();
        const settings = e2eConfig(env.images, env.vps.stackFile, env.vps.identity);
        const s = settings["clawcage:settings"] as { gateway: Record<string, unknown> };
        // The same deployment published on the test LAN, its allowlist one client: only its firewall step is used here.
        const lanRun = await runStackConfig({ ...settings, "clawcage:settings": { ...s, gateway: { ...s.gateway, publish: { address: LAN.host, port: FIREWALLED_PORT }, ipAllowlist: [`${LAN.allowed}/32`] } } });
        const step = byName(lanRun, "openclaw-ingress-firewall");
        const { create, delete: remove } = reveal(step.inputs) as { create: string; delete: string };
        const before = await dockerUser();
        await makeLan();
        try {
            // A published service that admits everyone: an ingress whose own allowlist was opened up.
            await startExtra(env, ["--name", "clawcage-e2e-published", "-p", `${LAN.host}:${FIREWALLED_PORT}:80`, env.images.node, "node", "-e", `require("http").createServer((q,r)=>r.end("open door")).listen(80)`]);
            // The new LAN ports and the service take a moment: wait for the open door before anything is firewalled.
            let open = "";
            for (let i = 0; i < 20 && open !== "open door"; i++) open = await reach("cc-out");
            assert.equal(open, "open door", "without the firewall, the outsider reaches the service (negative control)");
            const first = await runRemote(step, create);
            assert.equal(first.code, 0, first.stderr);
            const rules = await dockerUser();
            const [allowed, outsider] = [await reach("cc-ok"), await reach("cc-out")];
            row({ layer: "L3", name: "host firewall (DOCKER-USER) beyond loopback", expected: "allowed: open door; outsider: dropped", observed: `allowed: ${allowed}; outsider: ${outsider}`, pass: allowed === "open door" && outsider !== "open door" });
            assert.equal(allowed, "open door");
            assert.equal(outsider, "curl exit 28", "the outsider is dropped (a timeout), not answered");
            const again = await runRemote(step, create);
            assert.equal(again.code, 0, again.stderr);
            assert.equal(await dockerUser(), rules, "a second run changed the rules");
            const removed = await runRemote(step, remove);
            assert.equal(removed.code, 0, removed.stderr);
            assert.equal(await dockerUser(), before, "delete left rules behind or removed others");
            assert.equal(await reach("cc-out"), "open door", "the rules are gone with the step");
        } finally {
            await runRemote(step, remove);
            await docker(["rm", "-f", "clawcage-e2e-published"]);
            await removeLan();
        }
    });
}
