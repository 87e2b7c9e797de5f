import { strict as assert } from "node:assert";
import { docker } from "../../cli/live/docker";
import { inspect } from "../../cli/live/probe";
import { TEST_MODEL_KEY } from "../../cli/record/program";
import type { CheckResult } from "../../cli/verify";
import { deploymentNames } from "../../components/deployment/names";
import { chat, rowRecorder } from "./assistant";
import { STAND_IN, withSettings, type Environment, type Log } from "./harness";

/**
 * The exec stage at work: OpenClaw's sandboxed sessions run their commands on the sandbox host over SSH (its
 * ssh backend), never in the gateway and never through the host's Docker socket.
 */

const NAMES = deploymentNames();
const log: Log = (line) => console.log(`      · ${line}`);

/** The git stage, with a few harmless forms allowlisted. */
const EXEC_STAGE = { rollout: { stage: "git" }, tools: { exec: { allowCommands: ["hostname", "id", "ls *"] } } };

export function sandboxTests(envOf: () => Environment, results: CheckResult[]): void {
    const row = rowRecorder(results);

    it("L1 the sandbox host is hardened like the gateway and shares a network with the gateway alone", async () => {
        const env = envOf();
        const c = await inspect(NAMES.sandboxHost);
        const hardening = [
            `user ${c.Config.User}`,
            `read-only ${c.HostConfig.ReadonlyRootfs}`,
            `cap-drop ${(c.HostConfig.CapDrop ?? []).join(",")}`,
            `no-new-privileges ${(c.HostConfig.SecurityOpt ?? []).some((o) => o.startsWith("no-new-privileges"))}`,
            `memory limited ${c.HostConfig.Memory > 0}`,
            `networks ${Object.keys(c.NetworkSettings.Networks).join(",")}`,
        ].join("; ");
        // Negative control: the same reading of a container run as compose files often do (the harness's host stand-in: root, writable).
        const loose = await inspect(STAND_IN);
        assert.notEqual(`user ${loose.Config.User}; read-only ${loose.HostConfig.ReadonlyRootfs}`, hardening.split("; ").slice(0, 2).join("; "));
        const uid = env.settings.host.uid;
        row("L1", "sandbox host hardening", `user ${uid}:${uid}; read-only true; cap-drop ALL; no-new-privileges true; memory limited true; networks ${NAMES.networks.sandbox}`, hardening);
        // Whether a network is internal, and who is on it.
        const reading = async (network: string) => {
            const [internal, ...members] = (await docker(["network", "inspect", "-f", "{{.Internal}}{{range .Containers}} {{.Name}}{{end}}", network])).stdout.trim().split(" ");
            return `internal ${internal}; ${members.sort().join(" ")}`;
        };
        row("L5", "sandbox network: internal, the gateway and the sandbox host only", `internal true; ${[NAMES.gateway, NAMES.sandboxHost].sort().join(" ")}`, await reading(NAMES.networks.sandbox));
        // Negative control: the egress network, routed and shared with the stubs, reads otherwise.
        assert.notEqual(await reading(NAMES.networks.egress), await reading(NAMES.networks.sandbox));
    });

    it("L1 the sandbox host holds no gateway token and no model key (searched as its own uid)", async () => {
        const env = envOf();
        const token = (await env.live.onHost(`cat ${JSON.stringify(env.live.layout.gatewayTokenFile)}`)).stdout.trim();
        assert.ok(token.length >= 32, "the gateway token was read from the host");
        const search = () => docker(["exec", "-i", NAMES.sandboxHost, "sh", "-c", "grep -rlsF -f /dev/stdin / --exclude-dir=proc --exclude-dir=sys --exclude-dir=dev --exclude-dir=usr; true"], { input: `${token}\n${TEST_MODEL_KEY}\n` });
        row("L1", "sandbox host: no token or key anywhere it can read", "nowhere", (await search()).stdout.trim().replace(/\n/g, " ") || "nowhere");
        // Negative control: a token planted where the sandbox's account can read it is found.
        await docker(["exec", "-i", NAMES.sandboxHost, "sh", "-c", "cat > /tmp/planted-token"], { input: token });
        try {
            assert.equal((await search()).stdout.trim(), "/tmp/planted-token");
        } finally {
            await docker(["exec", NAMES.sandboxHost, "rm", "-f", "/tmp/planted-token"]);
        }
    });

    it("L1 exec stage: a chat's commands run on the sandbox host as the service uid, see no secret and have no way out", async () => {
        const env = envOf();
        await withSettings(env, EXEC_STAGE, log, async () => {
            const run = async (command: string) => (await chat(env, `CALL exec ${JSON.stringify({ command })}`)).answer;
            const where = await run("hostname");
            row("L1", "exec runs on the sandbox host", "openclaw-sandbox", /openclaw-sandbox/.test(where) ? "openclaw-sandbox" : where);
            const who = await run("id -u");
            row("L1", "exec runs as the service uid", String(env.settings.host.uid), new RegExp(`\\b${env.settings.host.uid}\\b`).test(who) ? String(env.settings.host.uid) : who);
            // Measured: OpenClaw applies the exec allowlist to host exec only; in the sandbox a command off it runs.
            // What holds it is the sandbox host: the service account, no route out, no secret.
            const offList = await run("whoami");
            row("L1", "exec stage: a command off the allowlist runs only as the service account in the sandbox", `tool exec said: ${env.settings.host.user}`, offList.trim());
            const out = await run("getent hosts openclaw-egress egress-proxy example.org; echo exit=$?");
            row("L5", "exec stage: the sandbox resolves no proxy and no outside name", "exit=2", /exit=\d+/.exec(out)?.[0] ?? out);
            const config = await run("ls /opt/openclaw/config");
            assert.match(config, /No such file or directory|cannot access/, config);
        });
    });
}
