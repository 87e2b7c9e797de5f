import { strict as assert } from "node:assert";
import { egressEvents, formatEvent, gatewayEvents, ingressEvents, joinEvents, parseSince } from "../../cli/audit/stream";

/** The audit stream's sources, as measured on the e2e deployment (lines copied from its logs). */
const GATEWAY = [
    '{"time":"2026-12-03T02:26:08.802Z","source":"gateway","event":"prompt","actor":{"session":"agent:main:openai-user:e2e-1","agent":"main","channel":"webchat"},"decision":"allowed","prompt":"CALL read {\\"path\\":\\"~/.ssh/id_rsa\\"}"}',
    '{"time":"2026-12-03T02:26:09.097Z","source":"gateway","event":"tool_call","actor":{"session":"agent:main:openai-user:e2e-1","agent":"main","channel":"webchat"},"tool":"read","toolCallId":"call_1","params":{"path":"~/.ssh/id_rsa"},"subjects":{"command":[],"file":["~/.ssh/id_rsa"],"host":[]},"alerts":[{"rule":"secret-file","kind":"file","action":"block-and-notify","subject":"~/.ssh/id_rsa"}],"decision":"denied","layer":"alert rule secret-file","reason":"matched file \\"~/.ssh/id_rsa\\""}',
    '{"time":"2026-12-03T02:40:56.428Z","source":"gateway","event":"tool_result","actor":{"session":"agent:main:main","agent":"main"},"tool":"exec","toolCallId":"call_2","decision":"denied","layer":"exec allowlist","reason":"exec denied: allowlist miss","durationMs":243}',
    "not json",
].join("\n");
const EGRESS = [
    '{"time":"2026-12-03T02:45:05","client":"10.89.41.3","method":"CONNECT","url":"model-stub:443","host":"model-stub","port":"443","status":200,"action":"TCP_TUNNEL","bytes":1148}',
    '{"time":"2026-12-03T02:45:06","client":"10.89.41.3","method":"CONNECT","url":"clawhub.ai:443","host":"clawhub.ai","port":"443","status":403,"action":"TCP_DENIED","bytes":3400}',
    '{"time":"2026-12-03T02:49:16","client":"127.0.0.1","method":"-","url":"error:transaction-end-before-headers","host":"-","port":"-","status":0,"action":"NONE_NONE","bytes":0}',
].join("\n");
const INGRESS = [
    '172.26.0.1:52770 [03/Dec/2026:02:44:58.859] gateway~ openclaw/gateway 0/0/0/6707/6707 200 622 ---- 1/1/0/0/0 0/0 token=admin "POST /v1/chat/completions HTTP/1.1"',
    '172.26.0.1:52771 [03/Dec/2026:02:45:01.000] gateway~ openclaw/<NOSRV> 0/-1/-1/-1/0 401 217 PR-- 1/1/0/0/0 0/0 token=- "POST /v1/chat/completions HTTP/1.1"',
    '172.26.0.1:52772 [03/Dec/2026:02:45:02.000] gateway~ openclaw/<NOSRV> 0/-1/-1/-1/0 429 217 PR-- 1/1/0/0/0 0/0 token=- "GET /healthz HTTP/1.1"',
    "[NOTICE]   (1) : haproxy version is 3.0",
].join("\n");

describe("audit stream: each source's lines as events", () => {
    it("the audit plugin's record: prompts, calls with their arguments and alerts, results with the refusing layer", () => {
        const events = gatewayEvents(GATEWAY);
        assert.equal(events.length, 3, "an unreadable line is skipped");
        assert.deepEqual(events[1], { time: "2026-12-03T02:26:09.097Z", source: "gateway", actor: "agent:main:openai-user:e2e-1", what: 'read {"path":"~/.ssh/id_rsa"}', decision: "denied", layer: "alert rule secret-file", alerts: ["secret-file"] });
        assert.equal(events[2].what, "exec finished: exec denied: allowlist miss");
        assert.match(events[0].what, /^prompt /);
    });

    it("squid's access log: requests out, a refusal named as the allowlist's, its idle lines left out", () => {
        const events = egressEvents(EGRESS);
        assert.deepEqual(events.map((e) => [e.time, e.decision, e.what, e.layer]), [
            ["2026-12-03T02:45:05.000Z", "allowed", "CONNECT model-stub:443 TCP_TUNNEL/200", undefined],
            ["2026-12-03T02:45:06.000Z", "denied", "CONNECT clawhub.ai:443 TCP_DENIED/403", "egress proxy allowlist"],
        ]);
    });

    it("haproxy's log: requests in under their token's name, 401 and 429 as the ingress's refusals", () => {
        const events = ingressEvents(INGRESS);
        assert.deepEqual(events.map((e) => [e.time, e.actor, e.decision, e.layer ?? ""]), [
            ["2026-12-03T02:44:58.859Z", "admin", "allowed", ""],
            ["2026-12-03T02:45:01.000Z", "172.26.0.1", "denied", "ingress token check"],
            ["2026-12-03T02:45:02.000Z", "172.26.0.1", "denied", "ingress rate limit"],
        ]);
    });
});

describe("audit stream: joined, filtered, printed", () => {
    const all = [gatewayEvents(GATEWAY), egressEvents(EGRESS), ingressEvents(INGRESS)];

    it("joins the sources oldest first", () => {
        const times = joinEvents(all, {}).map((e) => e.time);
        assert.deepEqual(times, [...times].sort());
        assert.equal(times.length, 8);
    });

    it("filters by decision, actor and time (the control: no filter keeps them all)", () => {
        assert.deepEqual(joinEvents(all, { decision: "denied" }).map((e) => e.source), ["gateway", "gateway", "ingress", "ingress", "egress"]);
        assert.deepEqual(joinEvents(all, { actor: "admin" }).map((e) => e.what), ["POST /v1/chat/completions 200"]);
        assert.equal(joinEvents(all, { since: new Date("2026-12-03T02:45:00Z"), until: new Date("2026-12-03T02:45:05.5Z") }).length, 3);
    });

    it("prints one line per event, the deciding layer and alerts beside the decision", () => {
        assert.equal(formatEvent(gatewayEvents(GATEWAY)[1]), '2026-12-03T02:26:09.097Z  gateway  denied (alert rule secret-file)  agent:main:openai-user:e2e-1  read {"path":"~/.ssh/id_rsa"} [alert secret-file]');
    });

    it("--since takes a time or a duration back, and names the fix for anything else", () => {
        const now = new Date("2026-12-03T12:00:00Z");
        assert.equal(parseSince("12h", now).toISOString(), "2026-12-03T00:00:00.000Z");
        assert.equal(parseSince("2026-12-01T00:00:00Z", now).toISOString(), "2026-12-01T00:00:00.000Z");
        assert.throws(() => parseSince("yesterday", now), /--since "yesterday": give a time .* or a duration back from now/);
    });
});
