import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { containerChecks, LIVE_CHECKS, type CheckResult } from "../../cli/verify";
import { runStackConfig } from "../../cli/record/program";
import { docker } from "../../cli/live/docker";
import { endpointRequest } from "../../cli/live/endpoint";
import { inspect } from "../../cli/live/probe";
import { TOKEN_ENV } from "../../cli/live/deployment";
import type { RoutineItem } from "../../cli/routine/evaluate";
import type { AuditEvent } from "../../cli/audit/stream";
import { parseClientTokenMap } from "../../components/ingress/accessMaps";
import { deploymentNames } from "../../components/deployment/names";
import { e2eConfig, modelsStatus, reopenDoor, STAND_IN, waitForStatus, type Environment, type Log } from "./harness";
import { replayUpdate } from "./replay";
import { clawcage, jsonReport } from "./cli";
import { chat } from "./assistant";
import { call } from "./hostile/scenario";
import { vpsTarget } from "./vps";

function run(cmd: string, args: string[]): Promise<void> {
    const r = spawnSync(cmd, args);
    return r.status === 0 ? Promise.resolve() : Promise.reject(new Error(`${cmd} failed: ${r.stderr.toString()}`));
}

/**
 * The operations CLI against the deployment on the VPS, as a user runs it from their own machine: their stack
 * file and SSH key, the host key the stack pins, every host read and docker call through that one connection.
 */
export function operationsTests(deployed: () => Environment, log: Log): void {
    let env: Environment | undefined;
    beforeEach(() => {
        env = deployed();
    });
    const stackArgs = () => [...vpsTarget(deployed().vps), "--json"];

    it("`clawcage verify` passes every live check (the same check code as above)", async () => {
        assert.ok(env);
        await reopenDoor(env);
        const r = await clawcage(["verify", ...stackArgs()], { [TOKEN_ENV]: env.live.token });
        const report = jsonReport<{ ok: boolean; results: CheckResult[] }>(r);
        assert.equal(r.code, 0, report.results.filter((x) => !x.pass).map((x) => `${x.name}: ${x.observed}`).join("; "));
        assert.equal(report.results.length, LIVE_CHECKS.length);
    });

    it("`clawcage verify` exits 1 when the deployment differs from its stack (negative control)", async () => {
        assert.ok(env);
        await reopenDoor(env);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-drift-"));
        const file = path.join(dir, "Pulumi.drift.yaml");
        // The same stack declaring a tighter process limit than the running container has.
        fs.writeFileSync(file, fs.readFileSync(env.vps.stackFile, "utf8").replace("    rollout:", "    container:\n      maxProcesses: 128\n    rollout:"));
        const r = await clawcage(["verify", ...vpsTarget(env.vps, file), "--json"], { [TOKEN_ENV]: env?.live.token ?? "" });
        fs.rmSync(dir, { recursive: true, force: true });
        assert.equal(r.code, 1, r.stderr);
        const failed = jsonReport<{ results: CheckResult[] }>(r).results.filter((x) => !x.pass).map((x) => x.name);
        assert.deepEqual(failed, [containerChecks.limits.name]);
    });

    it("`clawcage weekly` counts the checks' refused attempts from the real logs and backs up the config (600)", async () => {
        assert.ok(env);
        const live = env.live;
        const backupDir = path.join(live.layout.root, "..", "backups");
        // The audit ledger is read through the endpoint, as a client of the published gateway: it takes a token.
        const r = await clawcage(["weekly", ...stackArgs(), "--backup-dir", backupDir], { [TOKEN_ENV]: live.token });
        const report = jsonReport<{ status: string; items: RoutineItem[] }>(r);
        const item = (name: string) => report.items.find((i) => i.item === name);
        // The access and egress checks above made 401s, a 429 lockout and squid denials: a warning, nothing failed.
        assert.equal(r.code, 3, r.stdout + r.stderr);
        assert.deepEqual(report.items.filter((i) => i.status === "fail"), []);
        assert.match(item("unauthorised attempts")?.observed ?? "", /^401 [1-9]\d*, 403 \d+, 429 [1-9]\d* from .*; egress denials [1-9]/);
        assert.equal(item("disk room for logs")?.status, "ok");
        // Read through the gateway's own `openclaw audit`: the calls the hostile suite's alert rules refused before
        // they ran are the ledger's blocked tool actions (measured: OpenClaw records a plugin's block as "blocked").
        assert.equal(item("audit ledger (OpenClaw's activity records)")?.status, "warn", JSON.stringify(item("audit ledger (OpenClaw's activity records)")));
        assert.match(item("audit ledger (OpenClaw's activity records)")?.observed ?? "", /^\d+ agent runs, \d+ tool actions, [1-9]\d* blocked/);
        assert.equal(item("container CPU / memory use")?.status, "ok");
        const archive = /\S+\.tar\.gz/.exec(item("config backup")?.observed ?? "")?.[0] ?? "";
        const listed = await live.onHost(`stat -c %a '${archive}' && tar -tzf '${archive}'`);
        assert.equal(listed.code, 0, listed.stderr);
        assert.match(listed.stdout, /^600\n/);
        assert.match(listed.stdout, /config\/gateway\/openclaw\.json/);
        assert.match(listed.stdout, /config\/ingress\/tokens\.map/);
    });

    it("`clawcage audit` joins the tool calls, the proxy's refusals and the ingress's refusals, with no token value in it", async () => {
        assert.ok(env);
        await reopenDoor(env);
        // A call that carries the gateway's own token in its arguments, as an injected exfiltration would send it.
        const own = (await env.live.onHost(`cat '${env.live.layout.gatewayTokenFile}'`)).stdout.trim();
        await chat(env, call("read", { path: `notes/${own}.md` }));
        const events = async (...filter: string[]) => {
            const r = await clawcage(["audit", ...stackArgs(), "--since", "6h", ...filter]);
            assert.equal(r.code, 0, r.stderr);
            return { text: r.stdout, list: r.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l) as AuditEvent) };
        };
        const denied = await events("--decision", "denied");
        const layers = new Set(denied.list.map((e) => `${e.source}: ${e.layer}`));
        // The hostile suite and the access checks above refused each of these in this run.
        for (const layer of ["gateway: alert rule secret-file", "gateway: exec allowlist", "egress: egress proxy allowlist", "ingress: ingress token check"]) assert.ok(layers.has(layer), `${layer} in ${[...layers].join(", ")}`);
        assert.ok(denied.list.every((e) => e.decision === "denied"));
        // The control of the filter: unfiltered, the allowed work is there too.
        const all = await events();
        assert.ok(all.list.some((e) => e.decision === "allowed" && e.source === "ingress") && all.list.length > denied.list.length);
        assert.ok(all.list.every((e, i) => i === 0 || all.list[i - 1].time <= e.time), "oldest first");
        const admin = await events("--actor", "admin");
        assert.ok(admin.list.length > 0 && admin.list.every((e) => (e.actor ?? "").includes("admin")));
        // The call that carried the gateway's own token is in the stream, masked.
        assert.ok(all.list.some((e) => e.source === "gateway" && e.what === 'read {"path":"notes/[masked].md"}'), "the call that carried the token is in the stream");
        for (const [name, value] of Object.entries({ ...(env.run.outputs.tokens as Record<string, string>), gateway: env.live.token, own })) {
            assert.ok(!all.text.includes(value), `token ${name}'s value is in the audit output`);
        }
    });

    it("`clawcage monthly` reports version, token and image age, and fails on permission drift (negative control)", async () => {
        assert.ok(env);
        const live = env.live;
        const r = await clawcage(["monthly", ...stackArgs()]);
        const report = jsonReport<{ items: RoutineItem[] }>(r);
        assert.deepEqual(report.items.filter((i) => i.status === "fail"), [], r.stdout);
        assert.equal(report.items.find((i) => i.item === "token age")?.status, "ok");
        assert.match(report.items.find((i) => i.item === "token age")?.observed ?? "", /admin.*ops|ops.*admin/);
        assert.ok(report.items.some((i) => i.item === "image age" && i.status === "ok"));
        assert.ok(report.items.some((i) => i.item === "pinned OpenClaw version vs latest"));
        await live.onHost(`chmod 644 '${live.layout.ingressClientTokenMap}'`);
        try {
            const drifted = await clawcage(["monthly", ...stackArgs()]);
            assert.equal(drifted.code, 1, drifted.stdout);
            const failed = jsonReport<{ items: RoutineItem[] }>(drifted).items.filter((i) => i.status === "fail");
            assert.deepEqual(failed.map((i) => i.item), ["permission drift: credential and config files are 600, owned by the service account"]);
        } finally {
            await live.onHost(`chmod 600 '${live.layout.ingressClientTokenMap}'`);
        }
    });

    it("`clawcage revoke-token ops` refuses ops at once while admin works; `pulumi up` then gives ops alone a new value", async () => {
        assert.ok(env);
        const e = env;
        await reopenDoor(e);
        const tokens = e.run.outputs.tokens as Record<string, string>;
        assert.deepEqual([await modelsStatus(e, tokens.admin), await modelsStatus(e, tokens.ops)], [200, 200]);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-revoke-"));
        const file = path.join(dir, "Pulumi.e2e.yaml");
        fs.copyFileSync(e.vps.stackFile, file);
        try {
            const r = await clawcage(["revoke-token", "ops", ...vpsTarget(e.vps, file), "--json"]);
            assert.equal(r.code, 0, r.stdout + r.stderr);
            const adminAfter = await waitForStatus(e, tokens.admin, 200);
            if (adminAfter !== 200) {
                const state = await docker(["inspect", "-f", "{{json .State}}", e.live.ingressProxy ?? ""]);
                const logs = await docker(["logs", "--tail", "15", e.live.ingressProxy ?? ""]);
                assert.fail(`admin stopped working (${adminAfter}); ingress ${state.stdout} ${logs.stdout} ${logs.stderr}`);
            }
            assert.equal(await modelsStatus(e, tokens.ops), 401, "the revoked token still works");
            // The ingress log names the token of each request: the audit trail of a leaked token.
            assert.match((await docker(["logs", e.live.ingressProxy ?? ""])).stdout, /token=admin "GET \/v1\/models/);

            // `pulumi up` with the edited stack: only ops' random value, its map line and the ingress change.
            const next = await runStackConfig(e2eConfig(e.images, file, e.vps.identity), e.run);
            const replaced = await replayUpdate(e.run, next, STAND_IN, log);
            e.run = next;
            assert.ok(replaced.every((n) => n.startsWith(deploymentNames().ingressProxy)), `replaced beyond the ingress: ${replaced.join(", ")}`);
            const rotated = next.outputs.tokens as Record<string, string>;
            assert.equal(rotated.admin, tokens.admin, "admin's value changed");
            assert.notEqual(rotated.ops, tokens.ops, "ops kept its value");
            assert.equal(await waitForStatus(e, rotated.ops, 200), 200, "the new ops token is refused");
            assert.deepEqual([await modelsStatus(e, tokens.admin), await modelsStatus(e, tokens.ops)], [200, 401]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("`clawcage emergency-stop` keeps every log line and a snapshot, then leaves the gateway unreachable", async () => {
        assert.ok(env);
        const live = env.live;
        const logFiles = [`${live.layout.gatewayLogs}/openclaw.log`, `${live.layout.egressLogs}/access.log`];
        const before = await live.onHost(logFiles.map((f) => `wc -l < '${f}'`).join("; "));
        const tokenBefore = (await live.onHost(`cat '${live.layout.gatewayTokenFile}'`)).stdout;
        const alerts: string[] = [];
        const hook = http.createServer((req, res) => {
            let body = "";
            req.on("data", (c: Buffer) => (body += c.toString()));
            req.on("end", () => {
                alerts.push(body);
                res.end("ok");
            });
        });
        await new Promise<void>((r) => hook.listen(0, "127.0.0.1", () => r()));
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-evidence-"));
        try {
            const r = await clawcage(["emergency-stop", ...stackArgs(), "--out", out, "--revoke-tokens", "--webhook", `http://127.0.0.1:${(hook.address() as AddressInfo).port}/alert`]);
            const report = jsonReport<{ ok: boolean; evidenceDir: string; snapshotImage: string; steps: { step: string; ok: boolean }[] }>(r);
            assert.equal(r.code, 0, r.stdout + r.stderr);
            assert.deepEqual(report.steps.map((s) => s.step), ["save container logs", "save the logs volume", "snapshot the gateway", "cut the network", "stop the gateway", "revoke every token", "send the webhook alert"]);
            // Every line the logs held before the stop is in the evidence.
            const saved = path.join(report.evidenceDir, "logs");
            fs.mkdirSync(saved);
            await run("tar", ["-xf", path.join(report.evidenceDir, "logs.tar"), "-C", saved]);
            const counts = before.stdout.trim().split("\n").map(Number);
            ["gateway/openclaw.log", "egress/access.log"].forEach((f, i) => {
                const lines = fs.readFileSync(path.join(saved, "logs", f), "utf8").split("\n").filter(Boolean).length;
                assert.ok(lines >= counts[i] && counts[i] > 0, `${f}: ${lines} saved of ${counts[i]}`);
            });
            assert.ok(fs.statSync(path.join(report.evidenceDir, `${live.gateway}.docker.log`)).size > 0);
            assert.equal((await docker(["image", "inspect", report.snapshotImage])).code, 0, "snapshot image exists");
            await docker(["rmi", report.snapshotImage]);
            const state = await inspect(live.gateway);
            assert.equal(state.State.Running, false);
            assert.deepEqual(Object.keys(state.NetworkSettings.Networks), []);
            const health = await endpointRequest(live, "/healthz", { timeoutMs: 5000 }).then((x) => x.status, () => 0);
            assert.notEqual(health, 200, "gateway still answers");
            assert.notEqual((await live.onHost(`cat '${live.layout.gatewayTokenFile}'`)).stdout, tokenBefore, "token not revoked");
            assert.deepEqual([...parseClientTokenMap((await live.onHost(`cat '${live.layout.ingressClientTokenMap}'`)).stdout).values()], [], "a named token is still admitted");
            assert.equal(alerts.length, 1);
            assert.equal((JSON.parse(alerts[0]) as { event: string }).event, "clawcage.emergency-stop");
        } finally {
            hook.close();
            fs.rmSync(out, { recursive: true, force: true });
        }
    });
}
