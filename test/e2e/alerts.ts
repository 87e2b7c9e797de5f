import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { docker, dockerOk, exec } from "../../cli/live/docker";
import { inspect } from "../../cli/live/probe";
import { isolationOf } from "../../components/container/runtime";
import { seccompSecurityOpts } from "../../components/container/seccomp/profile";
import { appArmorSecurityOpts } from "../../components/container/apparmor";
import { deploymentNames } from "../../components/deployment/names";
import { EGRESS_PROXY_URL } from "../../components/egress/egressProxy";
import { shellQuote } from "../../components/host/hostScript";
import { alertFixtures, deliveredSince, receivedAlerts, secretFileReads, WEBHOOK_STUB, type Received } from "./alertStubs";
import { withSettings, type Environment, type Log } from "./harness";
import { chat } from "./assistant";
import { clawcage, jsonReport } from "./cli";
import { call } from "./hostile/scenario";
import { vpsTarget } from "./vps";

/**
 * The alert watcher under load and trouble, on the deployed stack: a burst of records, restarts in the middle of
 * one, a webhook that is down for a while; and its cage: it reaches its two destinations alone, holds no Docker
 * socket, and no delivery credential reaches a log. The events are written into the audit plugin's record in the
 * plugin's own format (its auditLine, its rule matching), as a burst of real tool calls would leave them.
 */

const NAMES = deploymentNames();

/** A workspace file the pause test reads as ordinary work. */
const NOTE = "alerts-note.md";
const NOTE_TEXT = "an ordinary note";


/** Appends to the record as the gateway's account, in one write. */
async function appendToRecord(env: Environment, text: string): Promise<void> {
    const r = await env.live.onHost(`cat >> ${shellQuote(env.live.layout.gatewayAuditFile)}`, text);
    assert.equal(r.code, 0, r.stderr);
}

/** The alerts received so far whose read path carries `tag`, by id, at one stub. */
const tagged = (list: Received[], ids: Set<string>) => list.filter((a) => ids.has(a.id));

/** The ids the watcher gives the lines just appended: `record:<inode>:<offset>:<rule>`. */
async function idsOf(env: Environment, before: number, text: string): Promise<Set<string>> {
    const inode = (await env.live.onHost(`stat -c %i ${shellQuote(env.live.layout.gatewayAuditFile)}`)).stdout.trim();
    const ids = new Set<string>();
    let offset = before;
    for (const line of text.split("\n").filter(Boolean)) {
        ids.add(`record:${inode}:${offset}:secret-file`);
        offset += Buffer.byteLength(line) + 1;
    }
    return ids;
}

async function recordSize(env: Environment): Promise<number> {
    return Number((await env.live.onHost(`stat -c %s ${shellQuote(env.live.layout.gatewayAuditFile)}`)).stdout.trim());
}

/** Each of `ids` delivered exactly `times` at both stubs (counts per id), and how long the whole took. */
async function deliveredCounts(ids: Set<string>): Promise<{ webhook: Map<string, number>; mail: Map<string, number> }> {
    const got = await receivedAlerts();
    const count = (list: Received[]) => tagged(list, ids).reduce((m, a) => m.set(a.id, (m.get(a.id) ?? 0) + 1), new Map<string, number>());
    return { webhook: count(got.webhook), mail: count(got.mail) };
}

const missing = (ids: Set<string>, counts: Map<string, number>) => [...ids].filter((id) => !counts.has(id));
const twice = (counts: Map<string, number>) => [...counts].filter(([, n]) => n > 1).map(([id]) => id);

export function alertTests(deployed: () => Environment, log: Log): void {
    it("a burst of 1,000 events: every alert reaches the webhook and the mail server once, none lost", async function () {
        this.timeout(900_000);
        const env = deployed();
        const started = Date.now();
        const before = await recordSize(env);
        const text = secretFileReads(env.settings.alerts.rules, "burst", 1000);
        await appendToRecord(env, text);
        const ids = await idsOf(env, before, text);
        await deliveredSince(env.live, started, 600_000);
        const counts = await deliveredCounts(ids);
        log(`1,000 alerts at both stubs after ${((Date.now() - started) / 1000).toFixed(1)} s`);
        assert.deepEqual(missing(ids, counts.webhook), []);
        assert.deepEqual(missing(ids, counts.mail), []);
        assert.deepEqual([...twice(counts.webhook), ...twice(counts.mail)], []);
    });

    it("the time from an event to its alert, one event at a time (reported: a time is measured, never asserted)", async function () {
        this.timeout(300_000);
        const env = deployed();
        const times: { webhook: number; mail: number }[] = [];
        for (let i = 0; i < 10; i++) {
            const before = await recordSize(env);
            const text = secretFileReads(env.settings.alerts.rules, `latency${i}`, 1);
            const written = Date.now();
            await appendToRecord(env, text);
            const [id] = await idsOf(env, before, text);
            for (;;) {
                const got = await receivedAlerts();
                const at = (list: Received[]) => list.find((a) => a.id === id)?.time;
                const webhook = at(got.webhook);
                const mail = at(got.mail);
                if (webhook && mail) {
                    times.push({ webhook: Date.parse(webhook) - written, mail: Date.parse(mail) - written });
                    break;
                }
                if (Date.now() - written > 60_000) throw new Error(`alert ${id} not at both stubs after 60 s`);
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
        }
        const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
        const w = times.map((t) => t.webhook);
        const m = times.map((t) => t.mail);
        log(`event → alert over ${times.length} events: webhook median ${median(w)} ms (max ${Math.max(...w)}), mail median ${median(m)} ms (max ${Math.max(...m)})`);
        assert.equal(times.length, 10);
    });

    it("restarted in the middle of a backlog (stopped, then killed): no alert lost; stopped, none sent twice; killed, at most the one in hand", async function () {
        this.timeout(900_000);
        const env = deployed();
        const before = await recordSize(env);
        const text = secretFileReads(env.settings.alerts.rules, "restart", 200);
        await appendToRecord(env, text);
        const ids = await idsOf(env, before, text);
        const sent = async () => (await deliveredCounts(ids)).webhook.size;
        const waitFor = async (n: number) => {
            const started = Date.now();
            while ((await sent()) < n) {
                if (Date.now() - started > 120_000) throw new Error(`fewer than ${n} of the 200 alerts delivered after 120 s`);
                await new Promise((resolve) => setTimeout(resolve, 200));
            }
        };
        await waitFor(30);
        // docker stop: SIGTERM, the alert in hand is finished and its position saved before the watcher ends.
        await dockerOk(["restart", "--time", "30", NAMES.alertWatcher]);
        await waitFor(80);
        const beforeKill = await deliveredCounts(ids);
        // docker kill: SIGKILL, nothing finished; the position on disk is the last one saved.
        await dockerOk(["kill", NAMES.alertWatcher]);
        await dockerOk(["start", NAMES.alertWatcher]);
        await deliveredSince(env.live, Date.now(), 300_000);
        const counts = await deliveredCounts(ids);
        assert.deepEqual(missing(ids, counts.webhook), []);
        assert.deepEqual(missing(ids, counts.mail), []);
        // Sent twice can only be what was in hand at the kill: ids delivered after the stop's restart.
        const dups = [...new Set([...twice(counts.webhook), ...twice(counts.mail)])];
        assert.ok(dups.length <= 1, `sent twice: ${dups.join(", ")}`);
        assert.ok(dups.every((id) => !beforeKill.webhook.has(id) || beforeKill.webhook.get(id) === 1), "a duplicate from the graceful restart");
        log(`restart: 200 delivered; stop: none twice; kill: ${dups.length} twice`);
    });

    it("a webhook that is down: the alerts wait and go out once it is back, none lost (the control: while down, none arrived)", async function () {
        this.timeout(600_000);
        const env = deployed();
        await dockerOk(["stop", "--time", "1", WEBHOOK_STUB]);
        const before = await recordSize(env);
        const text = secretFileReads(env.settings.alerts.rules, "down", 5);
        await appendToRecord(env, text);
        const ids = await idsOf(env, before, text);
        try {
            // Long enough for the watcher to have tried: it polls every second.
            await new Promise((resolve) => setTimeout(resolve, 5000));
            assert.equal((await deliveredCounts(ids)).webhook.size, 0, "the control: an alert arrived while the webhook was down");
        } finally {
            await dockerOk(["start", WEBHOOK_STUB]);
        }
        await deliveredSince(env.live, Date.now(), 300_000);
        const counts = await deliveredCounts(ids);
        assert.deepEqual(missing(ids, counts.webhook), []);
        assert.deepEqual(missing(ids, counts.mail), []);
    });

    it("a block-and-pause rule: the call refused, the agent's tools paused (an ordinary read refused too) until `clawcage resume`; the control: a block-and-notify rule refuses the one call", async function () {
        this.timeout(900_000);
        const env = deployed();
        fs.writeFileSync(path.join(env.live.layout.workspace, NOTE), `${NOTE_TEXT}\n`);
        const read = async (file: string) => (await chat(env, call("read", { path: file }))).answer;
        // Both rules in one deployment: the control's rule fires first, as it pauses nothing.
        const canaries = [
            { name: "notify-canary", kind: "file", pattern: "notify-canary", action: "block-and-notify" },
            { name: "pause-canary", kind: "file", pattern: "pause-canary", action: "block-and-pause" },
        ];
        try {
            const seen = await withSettings(env, { alerts: { rules: [...env.settings.alerts.rules, ...canaries] } }, log, async () => {
                const since = Date.now();
                const notified = await read("notes/notify-canary.md");
                const afterNotify = await read(NOTE);
                const paused = await read("notes/pause-canary.md");
                const afterPause = await read(NOTE);
                const resumed = jsonReport<{ resumed: { rule: string } | null }>(await clawcage(["resume", ...vpsTarget(env.vps), "--json"])).resumed?.rule;
                const again = await read(NOTE);
                return { notified, afterNotify, paused, afterPause, resumed, again, alerts: await deliveredSince(env.live, since) };
            });
            assert.match(seen.notified, /refused by the alert rule 'notify-canary'/);
            assert.ok(seen.afterNotify.includes(NOTE_TEXT), `the control: block-and-notify paused the tools: ${seen.afterNotify}`);
            assert.match(seen.paused, /refused by the alert rule 'pause-canary'/);
            assert.match(seen.afterPause, /the agent's tools are paused since .* by the alert rule 'pause-canary'/);
            assert.equal(seen.resumed, "pause-canary");
            assert.ok(seen.again.includes(NOTE_TEXT), seen.again);
            const alerts = ["notify-canary blocked", "pause-canary paused"];
            assert.deepEqual([seen.alerts.webhook, seen.alerts.mail], [alerts, alerts]);
        } finally {
            fs.rmSync(path.join(env.live.layout.workspace, NOTE), { force: true });
        }
    });

    it("reaches its webhook and mail server alone, through the proxy; nothing else (the control: the gateway cannot reach them)", async () => {
        const env = deployed();
        const host = env.settings.alerts.webhook?.host ?? "";
        const probe = (container: string, target: string) =>
            exec(container, ["node", "-e", `const h=require("http");const r=h.request({host:"${new URL(EGRESS_PROXY_URL).hostname}",port:${new URL(EGRESS_PROXY_URL).port},method:"CONNECT",path:"${target}"});r.on("connect",(res)=>{console.log(res.statusCode);process.exit(0)});r.on("response",(res)=>{console.log(res.statusCode);process.exit(0)});r.on("error",(e)=>{console.log(e.code);process.exit(0)});r.end()`]);
        const watcher = (await probe(NAMES.alertWatcher, `${host}:443`)).stdout.trim();
        const elsewhere = (await probe(NAMES.alertWatcher, `${env.live.fixtures?.allowedHost}:443`)).stdout.trim();
        const otherPort = (await probe(NAMES.alertWatcher, `${host}:80`)).stdout.trim();
        const gateway = (await probe(env.live.gateway, `${host}:443`)).stdout.trim();
        assert.deepEqual({ watcher, elsewhere, otherPort, gateway }, { watcher: "200", elsewhere: "403", otherPort: "403", gateway: "403" });
    });

    it("holds no Docker socket and no capability, its root read-only, the logs mounted read-only", async () => {
        const c = await inspect(NAMES.alertWatcher);
        const mounts = (c as unknown as { Mounts: { Destination: string; RW: boolean }[] }).Mounts.map((m) => `${m.Destination}:${m.RW ? "rw" : "ro"}`).sort();
        assert.deepEqual(mounts, ["/etc/clawcage:ro", "/var/lib/clawcage-watcher:rw", "/watch/audit:ro", "/watch/egress:ro"]);
        assert.ok(c.HostConfig.ReadonlyRootfs);
        assert.deepEqual(c.HostConfig.CapDrop, ["ALL"]);
        // And its image's recorded seccomp profile and its AppArmor profile, as the settings declare them (on gVisor: none).
        const { seccomp, apparmor } = isolationOf(deployed().settings, "watcher");
        assert.deepEqual(c.HostConfig.SecurityOpt, ["no-new-privileges:true", ...seccompSecurityOpts(seccomp, "alert-watcher"), ...appArmorSecurityOpts(apparmor, NAMES.alertWatcher)]);
    });

    it("no delivery credential in any log (the control: the secret file holds them)", async () => {
        const env = deployed();
        const f = alertFixtures(env.settings);
        const needles = [f.webhookPath, f.mailPassword];
        const secretFile = (await env.live.onHost(`cat ${shellQuote(env.live.layout.watcherSecretsFile)}`)).stdout;
        assert.ok(needles.every((n) => secretFile.includes(n)), "the control: the credentials are deployed");
        const hostLogs = await env.live.onHost(`grep -rlF -e ${needles.map(shellQuote).join(" -e ")} ${shellQuote(path.posix.join(env.live.layout.root, "logs"))}; true`);
        assert.equal(hostLogs.stdout.trim(), "");
        for (const container of [NAMES.alertWatcher, NAMES.egressProxy, NAMES.gateway]) {
            const logs = await docker(["logs", container]);
            assert.ok(!needles.some((n) => `${logs.stdout}${logs.stderr}`.includes(n)), `a credential in ${container}'s log`);
        }
    });
}
