import { strict as assert } from "node:assert";
import * as net from "node:net";
import { alertMail, egressAlerts, recordAlerts, webhookBody } from "../../components/watcher/alerts";
import { parseSettings } from "../../components/settings/parse";

/** What the watcher raises from the lines it reads: the audit plugin's record and squid's log (lines as measured). */
const RULES = parseSettings({}).alerts.rules;
const BLOCKED = '{"time":"2026-12-03T02:26:09.097Z","source":"gateway","event":"tool_call","actor":{"session":"agent:main:openai-user:e2e-1"},"tool":"read","toolCallId":"call_1","params":{"path":"~/.ssh/id_rsa"},"alerts":[{"rule":"secret-file","kind":"file","action":"block-and-notify","subject":"~/.ssh/id_rsa"}],"decision":"denied","layer":"alert rule secret-file"}';
const NOTIFIED = '{"time":"2026-12-03T02:40:56.233Z","source":"gateway","event":"tool_call","actor":{"session":"agent:main:main"},"tool":"exec","toolCallId":"call_2","params":{"command":"sudo apt update"},"alerts":[{"rule":"dangerous-command","kind":"command","action":"notify","subject":"sudo apt update"}],"decision":"allowed"}';
const BRIDGE = '{"time":"2026-12-03T02:41:01.891Z","source":"gateway","event":"tool_call","tool":"tool_call","params":{"id":"web_fetch","args":{"url":"https://www.torproject.org/"}},"alerts":[{"rule":"anonymizer-host","kind":"host","action":"notify","subject":"www.torproject.org"}],"decision":"allowed"}';
const SQUID = '{"time":"2026-12-03T02:45:06","client":"10.89.41.3","method":"CONNECT","url":"www.torproject.org:443","host":"www.torproject.org","port":"443","status":403,"action":"TCP_DENIED","bytes":3400}';

describe("alert watcher: the alerts of a line", () => {
    it("a rule that blocked, and one that only notified", () => {
        const [blocked] = recordAlerts(BLOCKED, "record:1:0");
        assert.deepEqual([blocked.id, blocked.rule, blocked.blocked, blocked.subject, blocked.act], ["record:1:0:secret-file", "secret-file", true, "~/.ssh/id_rsa", 'read {"path":"~/.ssh/id_rsa"}']);
        assert.equal(recordAlerts(NOTIFIED, "record:1:500")[0].blocked, false);
    });

    it("none for a line without a match, a result, an allowed bridge call (its inner call raises it) or a broken line", () => {
        for (const line of [NOTIFIED.replace(/"alerts":\[[^\]]*\]/, '"alerts":[]'), BRIDGE, '{"event":"tool_result"}', "{not json"]) assert.deepEqual(recordAlerts(line, "x"), [], line);
    });

    it("the proxy's log against the host rules, a request it refused counted as blocked (the control: an ordinary host raises none)", () => {
        const [a] = egressAlerts(SQUID, "egress:2:0", RULES);
        assert.deepEqual([a.rule, a.blocked, a.time, a.act], ["anonymizer-host", true, "2026-12-03T02:45:06.000Z", "CONNECT www.torproject.org:443 TCP_DENIED/403"]);
        assert.deepEqual(egressAlerts(SQUID.replace(/www\.torproject\.org/g, "api.anthropic.com"), "egress:2:0", RULES), []);
    });

    it("a team member's watcher raises only its own gateway's lines of the shared proxy log (the control: another member's)", () => {
        const alice = new net.BlockList();
        alice.addSubnet("10.89.41.0", 27, "ipv4");
        assert.equal(egressAlerts(SQUID, "egress:2:0", RULES, alice).length, 1);
        assert.deepEqual(egressAlerts(SQUID.replace("10.89.41.3", "10.89.41.35"), "egress:2:0", RULES, alice), []);
    });

    it("a Slack-compatible webhook body and a mail, both carrying the alert's id", () => {
        const [a] = recordAlerts(BLOCKED, "record:1:0");
        const body = webhookBody(a);
        assert.match(body.text, /^clawcage alert secret-file: blocked file ~\/\.ssh\/id_rsa\n/);
        assert.equal(body.clawcage.id, a.id);
        const mail = alertMail(a, "clawcage@example.org", ["ops@example.org"]);
        assert.equal(mail.subject, "[clawcage] clawcage alert secret-file: blocked file ~/.ssh/id_rsa");
        assert.equal(mail.messageId, "<record:1:0:secret-file@clawcage.alert>");
        assert.match(mail.text, /Alert id: record:1:0:secret-file/);
    });
});
