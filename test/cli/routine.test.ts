import { strict as assert } from "node:assert";
import { runRoutine } from "../../cli/routine/runtimeChecklist";
import {
    compareVersions,
    countEgressDenials,
    countIngressAttempts,
    evaluateAuditLedger,
    evaluateConfigBackup,
    evaluateContainerLoad,
    evaluateDeploymentSize,
    evaluateImageAge,
    evaluateLogRoom,
    evaluateOpenclawVersion,
    evaluateTokenAge,
    evaluateUnauthorisedAttempts,
    fromCheckResult,
    parseAuditPage,
    parseDf,
} from "../../cli/routine/evaluate";

/**
 * Samples are real output (df, docker stats, haproxy and squid logs of the clawcage proxy images); each
 * evaluator starts from a healthy sample and a single change must flip its status (a negative control).
 */

const DF = [
    "Filesystem     1024-blocks     Used Available Capacity Mounted on",
    "/dev/vda         264212084 28568508  77822404      27% /",
    "/dev/vda         264212084 28568508  77822404      27% /",
].join("\n");
const dfWith = (used: number, available: number, mount = "/") => `Filesystem     1024-blocks     Used Available Capacity Mounted on\n/dev/vdb  ${used + available} ${used} ${available} ${Math.ceil((used / (used + available)) * 100)}% ${mount}\n`;

const statsLine = (name: string, cpu: string, mem: string) =>
    `{"BlockIO":"0B / 0B","CPUPerc":"${cpu}","Container":"${name}","ID":"bc2461156eff","MemPerc":"${mem}","MemUsage":"5.855MiB / 4GiB","Name":"${name}","NetIO":"8.42kB / 6.23kB","PIDs":"3"}`;
const LIMITS = { "openclaw-gateway": 2, "openclaw-egress": 0.5 };
const STATS = [statsLine("openclaw-gateway", "12.40%", "31.02%"), statsLine("openclaw-egress", "0.06%", "2.10%")].join("\n");

const HAPROXY_OK = [
    "[NOTICE]   (1) : New worker (8) forked",
    "[NOTICE]   (1) : Loading success.",
    "[WARNING]  (8) : Server openclaw/gateway ('upstream') is UP/READY (resolves again).",
    '172.18.0.1:37016 [24/Nov/2026:19:39:41.497] gateway openclaw/gateway 0/0/1/27/28 200 314 - - ---- 1/1/0/0/0 0/0 {admin} "GET /v1/models HTTP/1.1"',
    '172.18.0.1:37018 [24/Nov/2026:19:39:41.557] gateway openclaw/gateway 0/0/0/2/2 200 314 - - ---- 1/1/0/0/0 0/0 {ops} "GET /v1/models HTTP/1.1"',
].join("\n");
const LINE_401 = '172.18.0.1:37008 [24/Nov/2026:19:39:41.466] gateway gateway/<NOSRV> 0/-1/-1/-1/0 401 168 - - PR-- 1/1/0/0/0 0/0 {} "GET /v1/models HTTP/1.1"';
const LINE_429 = '203.0.113.7:37040 [24/Nov/2026:19:39:41.651] gateway gateway/<NOSRV> 0/-1/-1/-1/0 429 77 - - PR-- 1/1/0/0/0 0/0 {} "GET /healthz HTTP/1.1"';
const LINE_403 = '172.18.0.1:40012 [24/Nov/2026:19:40:01.123] gateway openclaw/gateway 0/0/1/2/3 403 180 - - ---- 1/1/0/0/0 0/0 {ops} "POST /tools/invoke HTTP/1.1"';

const SQUID_OK = [
    '{"time":"2026-11-24T19:43:53","client":"172.19.0.3","method":"CONNECT","url":"api.anthropic.com:443","host":"api.anthropic.com","port":"443","status":200,"action":"TCP_TUNNEL","bytes":5120}',
    '{"time":"2026-11-24T19:43:54","client":"172.19.0.3","method":"GET","url":"http://api.anthropic.com/","host":"api.anthropic.com","port":"80","status":403,"action":"TCP_MISS","bytes":210}',
].join("\n");
const DENIED = '{"time":"2026-11-24T19:44:08","client":"127.0.0.1","method":"CONNECT","url":"evil.example.com:443","host":"evil.example.com","port":"443","status":403,"action":"TCP_DENIED","bytes":3408}';
const DENIED_QUOTE = '{"time":"2026-11-24T19:43:35","client":"127.0.0.1","method":"GET","url":"http://10.0.0.1/x\\"y","host":"10.0.0.1","port":"80","status":403,"action":"TCP_DENIED","bytes":3404}';

const NOW = new Date("2026-11-24T20:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

describe("routine checklist: evaluators (pure)", () => {
    describe("disk room for logs", () => {
        it("reads df -Pk rows, including a mount point with spaces", () => {
            assert.deepEqual(parseDf(dfWith(10, 90, "/mnt/log disk")).map((r) => [r.mount, Math.round(r.freePercent)]), [["/mnt/log disk", 90]]);
        });
        it("ok with 73% free, reported once per filesystem", () => {
            const r = evaluateLogRoom(DF);
            assert.equal(r.status, "ok");
            assert.equal(r.observed, "/: 73.1% free (74.2 GiB)");
            assert.equal(r.advice, "");
        });
        it("warns under 20% free", () => assert.equal(evaluateLogRoom(dfWith(85, 15)).status, "warn"));
        it("fails under 5% free (negative control: 3%)", () => {
            const r = evaluateLogRoom(dfWith(97, 3));
            assert.equal(r.status, "fail");
            assert.match(r.advice, /access\.log/);
        });
        it("the worst filesystem decides", () => assert.equal(evaluateLogRoom(DF + "\n" + dfWith(97, 3, "/var/log").split("\n")[1]).status, "fail"));
        it("fails when df printed no row (folder missing)", () => assert.equal(evaluateLogRoom("df: /opt/openclaw/logs/gateway: No such file or directory\n").status, "fail"));
    });

    describe("container CPU / memory use", () => {
        it("ok under both limits, CPU read against the container's CPU limit", () => {
            const r = evaluateContainerLoad(STATS, LIMITS);
            assert.equal(r.status, "ok");
            assert.match(r.observed, /openclaw-gateway: CPU 6\.2% of 2 CPU, memory 31\.0%/);
        });
        it("warns when memory is above 80% of the limit (negative control)", () => {
            assert.equal(evaluateContainerLoad(STATS.replace('"MemPerc":"31.02%"', '"MemPerc":"85.50%"'), LIMITS).status, "warn");
        });
        it("warns when CPU is above 90% of the limit: 190% on 2 CPUs", () => {
            assert.equal(evaluateContainerLoad(STATS.replace('"CPUPerc":"12.40%"', '"CPUPerc":"190.00%"'), LIMITS).status, "warn");
        });
        it("the same 60% is fine on 2 CPUs but too much for half a CPU", () => {
            assert.equal(evaluateContainerLoad(statsLine("openclaw-gateway", "60.00%", "1%"), { "openclaw-gateway": 2 }).status, "ok");
            assert.equal(evaluateContainerLoad(statsLine("openclaw-gateway", "60.00%", "1%"), { "openclaw-gateway": 0.5 }).status, "warn");
        });
        it("fails when a container of the deployment has no stats line", () => {
            const r = evaluateContainerLoad(STATS.split("\n")[0], LIMITS);
            assert.equal(r.status, "fail");
            assert.match(r.observed, /openclaw-egress: no stats/);
        });
        it("warns on an unreadable reading (docker prints -- for a stopping container)", () => {
            assert.equal(evaluateContainerLoad(statsLine("openclaw-gateway", "--", "--"), { "openclaw-gateway": 2 }).status, "warn");
        });
    });

    describe("host disk use of the deployment root", () => {
        it("reports the size, ok under the mark", () => {
            const r = evaluateDeploymentSize("1572864\t/opt/openclaw\n", 10_240);
            assert.deepEqual([r.status, r.observed], ["ok", "1.5 GiB in /opt/openclaw"]);
        });
        it("warns above the mark (negative control: 1 MiB mark)", () => assert.equal(evaluateDeploymentSize("1572864\t/opt/openclaw\n", 1).status, "warn"));
        it("fails when du printed no size", () => assert.equal(evaluateDeploymentSize("du: cannot access '/opt/openclaw': No such file or directory", 1).status, "fail"));
    });

    describe("unauthorised attempts", () => {
        it("ok for accepted requests and haproxy's own notices", () => {
            const r = evaluateUnauthorisedAttempts(HAPROXY_OK, SQUID_OK);
            assert.equal(r.status, "ok");
            assert.equal(r.observed, "401 0, 403 0, 429 0; egress denials 0");
        });
        it("warns on a single 401 (negative control) and points at the audit trail", () => {
            const r = evaluateUnauthorisedAttempts(`${HAPROXY_OK}\n${LINE_401}`, SQUID_OK);
            assert.equal(r.status, "warn");
            assert.match(r.observed, /^401 1, 403 0, 429 0 from 172\.18\.0\.1;/);
            assert.match(r.advice, /audit trail/);
        });
        it("counts 401, 403 and 429 separately, most frequent source first", () => {
            assert.deepEqual(countIngressAttempts([LINE_401, LINE_429, LINE_429, LINE_429, LINE_403, HAPROXY_OK].join("\n")), { unauthorized: 1, forbidden: 1, rateLimited: 3, sources: ["203.0.113.7", "172.18.0.1"] });
        });
        it("a status in the client-chosen request line is not counted", () => {
            const forged = '172.18.0.1:37016 [24/Nov/2026:19:39:41.497] gateway openclaw/gateway 0/0/1/27/28 200 314 - - ---- 1/1/0/0/0 0/0 {admin} "GET /x 401 HTTP/1.1"';
            assert.equal(countIngressAttempts(forged).unauthorized, 0);
        });
        it("warns on a squid denial (negative control), including a URL with an escaped quote", () => {
            assert.equal(countEgressDenials([SQUID_OK, DENIED, DENIED_QUOTE].join("\n")), 2);
            const r = evaluateUnauthorisedAttempts(HAPROXY_OK, `${SQUID_OK}\n${DENIED}`);
            assert.equal(r.status, "warn");
            assert.match(r.observed, /egress denials 1$/);
        });
        it("a requester-chosen URL cannot forge squid's own action field", () => {
            const forged = '{"time":"2026-11-24T19:43:53","client":"172.19.0.3","method":"GET","url":"http://x/\\"action\\":\\"TCP_DENIED\\"","host":"x","port":"80","status":200,"action":"TCP_MISS","bytes":10}';
            assert.equal(countEgressDenials(forged), 0);
        });
        it("denials older than the window do not count", () => {
            assert.equal(countEgressDenials(DENIED, new Date("2026-11-24T19:44:09Z")), 0);
            assert.equal(countEgressDenials(DENIED, new Date("2026-11-24T19:44:08Z")), 1);
        });
        it("an unpublished gateway is judged on egress denials alone", () => {
            const quiet = evaluateUnauthorisedAttempts(undefined, SQUID_OK);
            assert.equal(quiet.status, "ok");
            assert.match(quiet.observed, /not published/);
            assert.equal(evaluateUnauthorisedAttempts(undefined, DENIED).status, "warn");
        });
    });

    describe("token age", () => {
        it("ok for a token rotated 10 days ago", () => assert.equal(evaluateTokenAge({ gateway: daysAgo(10) }, NOW).status, "ok"));
        it("warns past 30 days (negative control) and names the rotate command", () => {
            const r = evaluateTokenAge({ gateway: daysAgo(10), admin: daysAgo(45) }, NOW);
            assert.equal(r.status, "warn");
            assert.match(r.observed, /admin: 45 days/);
            assert.match(r.advice, /`clawcage rotate-token admin`/);
            assert.doesNotMatch(r.advice, /rotate-token gateway/);
        });
        it("the limit is a parameter", () => assert.equal(evaluateTokenAge({ gateway: daysAgo(45) }, NOW, 90).status, "ok"));
        it("fails on an unreadable date", () => assert.equal(evaluateTokenAge({ gateway: new Date("garbage") }, NOW).status, "fail"));
    });

    describe("pinned OpenClaw version vs latest", () => {
        it("compares YYYY.M.P numerically, not as text", () => {
            assert.ok(compareVersions("2026.9.6", "2026.10.0") < 0);
            assert.ok(compareVersions("2026.10.0", "2026.9.6") > 0);
            assert.equal(compareVersions("2026.9.6", "2026.9.6"), 0);
        });
        it("ok when the pin is the latest", () => assert.equal(evaluateOpenclawVersion("2026.9.6", "2026.9.6").status, "ok"));
        it("warns when a newer release exists (negative control)", () => {
            const r = evaluateOpenclawVersion("2026.9.6", "2026.10.1");
            assert.equal(r.status, "warn");
            assert.match(r.advice, /image\.openclawVersion to 2026\.10\.1/);
        });
        it("warns when the latest is unknown (registry unreachable or unreadable answer)", () => {
            assert.match(evaluateOpenclawVersion("2026.9.6", undefined).observed, /latest unknown/);
            assert.equal(evaluateOpenclawVersion("2026.9.6", "npm error 404").status, "warn");
        });
    });

    describe("image age", () => {
        it("ok for an image built 3 days ago", () => assert.equal(evaluateImageAge({ "clawcage/gateway:aa5c1f51f9e6fbb1": new Date("2026-11-21T17:25:13.857154638Z") }, NOW).status, "ok"));
        it("warns past 30 days (negative control) with scan and rebuild advice", () => {
            const r = evaluateImageAge({ "clawcage/gateway:aa5c1f51f9e6fbb1": daysAgo(3), "clawcage/egress-proxy:114346f573c97840": daysAgo(40) }, NOW);
            assert.equal(r.status, "warn");
            assert.match(r.advice, /scan clawcage\/egress-proxy:114346f573c97840/);
        });
    });

    describe("config backup", () => {
        it("ok for a non-empty archive", () => assert.equal(evaluateConfigBackup("/root/backups/clawcage-config-2026-11-24T20-00-00-000Z.tar.gz", 2211).status, "ok"));
        it("fails for a zero-byte archive (negative control)", () => assert.equal(evaluateConfigBackup("/root/backups/x.tar.gz", 0).status, "fail"));
        it("fails when the size could not be read", () => assert.equal(evaluateConfigBackup("/root/backups/x.tar.gz", Number.NaN).status, "fail"));
    });

    describe("permission drift", () => {
        const result = { layer: "L2", name: "password login locked", expected: "status L", observed: "status L", pass: true };
        it("a passing host check is ok", () => assert.deepEqual(fromCheckResult(result), { item: "permission drift: password login locked", status: "ok", observed: "status L", advice: "" }));
        it("a failing host check fails (negative control)", () => {
            const r = fromCheckResult({ ...result, observed: "status P", pass: false });
            assert.equal(r.status, "fail");
            assert.match(r.advice, /pulumi up/);
        });
    });
});

describe("audit ledger", () => {
    // Shapes as OpenClaw 2026.9.6's audit recorder writes them (dist/audit-recorder-*.mjs).
    const run = (status: string) => ({ kind: "agent_run", action: "agent.run.finished", status, runId: "r1" });
    const tool = (toolName: string, status: string) => ({ kind: "tool_action", action: "tool.action.finished", status, toolName, runId: "r1" });
    const started = { kind: "tool_action", action: "tool.action.started", status: "started", toolName: "read", runId: "r1" };

    it("ok for an empty week (what the e2e gateway, with no model key, records)", () => {
        const r = evaluateAuditLedger({ events: [] });
        assert.equal(r.status, "ok");
        assert.equal(r.observed, "0 agent runs, 0 tool actions, 0 blocked, 0 failed");
    });
    it("counts finished runs and tool actions; an ordinary failed call is not a warning", () => {
        const r = evaluateAuditLedger({ events: [run("succeeded"), started, tool("read", "succeeded"), tool("read", "failed")] });
        assert.equal(r.status, "ok");
        assert.equal(r.observed, "1 agent runs, 2 tool actions, 0 blocked, 1 failed");
    });
    it("warns on a blocked tool action and names the tool and the run to explain (negative control)", () => {
        const r = evaluateAuditLedger({ events: [run("succeeded"), tool("exec", "blocked"), tool("exec", "blocked")] });
        assert.equal(r.status, "warn");
        assert.match(r.observed, /2 blocked \(exec ×2\)/);
        assert.match(r.advice, /openclaw audit --run r1 --explain/);
    });
    it("says when the page did not hold the whole week", () => {
        assert.match(evaluateAuditLedger({ events: [], nextCursor: "42" }).observed, /first page only/);
    });
    it("reads the CLI's JSON after any notice it printed first", () => {
        const page = parseAuditPage(`[plugins] notice\n${JSON.stringify({ events: [tool("exec", "blocked")], extra: 1 })}`);
        assert.equal(evaluateAuditLedger(page).status, "warn");
    });
    it("refuses a page in an unknown shape, naming the field (negative control: never a silent zero)", () => {
        assert.throws(() => parseAuditPage(JSON.stringify({ events: [{ kind: "tool_action", status: "blocked" }] })), /events\.0\.action: .*pinned OpenClaw/);
        assert.throws(() => parseAuditPage(JSON.stringify({ rows: [] })), /events: /);
        assert.throws(() => parseAuditPage("gateway not reachable"), /no JSON document/);
    });
});

describe("routine checklist: every item runs on its own", () => {
    it("a collector that throws becomes that item's fail; the others still run and progress names each", async () => {
        const seen: string[] = [];
        const items = await runRoutine(
            [
                { item: "first", collect: async () => { throw new Error("docker: no such container"); } },
                { item: "second", collect: async () => evaluateConfigBackup("/b.tar.gz", 10) },
                { item: "third", collect: async () => [fromCheckResult({ layer: "L2", name: "x", expected: "", observed: "", pass: true })] },
            ],
            (line) => seen.push(line),
        );
        assert.deepEqual(seen, ["first", "second", "third"]);
        assert.deepEqual(items.map((i) => [i.item, i.status]), [["first", "fail"], ["config backup", "ok"], ["permission drift: x", "ok"]]);
        assert.equal(items[0].observed, "error: docker: no such container");
    });
});
