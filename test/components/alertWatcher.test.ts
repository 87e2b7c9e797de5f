import { strict as assert } from "node:assert";
import { byName, ofType, plainStrings, reveal, runStackConfig, stackConfig, TEST_ALERT_MAIL_PASSWORD, testWebhookUrl, type ProgramRun } from "../../cli/record/program";
import { deploymentNames, watcherAddress } from "../../components/deployment/names";
import { parseSettings } from "../../components/settings/parse";
import { hostLayout } from "../../components/host/layout";

/** The dev stack with alerts going to a webhook and by mail. */
function withAlerts(alerts: Record<string, unknown>): Record<string, unknown> {
    const config = stackConfig("dev");
    const settings = config["clawcage:settings"] as Record<string, unknown>;
    return { ...config, "clawcage:settings": { ...settings, alerts } };
}

const ALERTS = { webhook: { host: "hooks.slack.com" }, mail: { host: "smtp.example.org", port: 465, user: "alerts", from: "clawcage@example.org", to: ["ops@example.org"] } };
const NAMES = deploymentNames();

interface ContainerInputs {
    volumes: { hostPath: string; containerPath: string; readOnly?: boolean }[];
    networksAdvanced: { name: string; ipv4Address?: string }[];
    envs?: string[];
    healthcheck?: { tests: string[] };
}

describe("the alert watcher in the deployment", () => {
    let run: ProgramRun;
    let quiet: ProgramRun;
    before(async function () {
        this.timeout(120000);
        run = await runStackConfig(withAlerts(ALERTS));
        quiet = await runStackConfig(stackConfig("dev"));
    });
    const settings = () => parseSettings((withAlerts(ALERTS) as { "clawcage:settings": unknown })["clawcage:settings"]);

    it("runs in its own container on the internal network alone, at its pinned address, reading the logs read-only; no Docker socket", () => {
        const c = reveal(ofType(run, "docker:index/container:Container").find((r) => r.name === `${NAMES.alertWatcher}-container`)?.inputs) as ContainerInputs;
        const s = settings();
        const layout = hostLayout(s);
        assert.deepEqual(c.networksAdvanced.map((n) => n.ipv4Address), [watcherAddress(s.network.internalSubnet)]);
        const mounts = Object.fromEntries(c.volumes.map((v) => [v.hostPath, v.readOnly]));
        assert.deepEqual(mounts, { [layout.watcherConfig]: true, [layout.gatewayAuditDir]: true, [layout.egressLogs]: true, [layout.watcherState]: false });
        assert.ok(!JSON.stringify(c).includes("docker.sock"));
        assert.ok(c.envs?.includes("HTTPS_PROXY=http://egress-proxy:3128"));
        assert.ok(c.healthcheck?.tests.join(" ").includes("heartbeat"));
    });

    it("the egress proxy lets the watcher alone reach the webhook on 443 and the mail server on its port", () => {
        const squid = String((reveal(byName(run, `${NAMES.egressProxy}-conf`).inputs) as { stdin: string }).stdin);
        assert.match(squid, new RegExp(`acl alert_watcher src ${watcherAddress(settings().network.internalSubnet).replace(/\./g, "\\.")}`));
        assert.match(squid, /acl alert_dest_0 dstdomain hooks\.slack\.com\nacl alert_port_0 port 443\n/);
        assert.match(squid, /acl alert_dest_1 dstdomain smtp\.example\.org\nacl alert_port_1 port 465\n/);
    });

    it("keeps the webhook's URL and the mail password secret: in the 600 secret file alone, never in plain state (control: they are there, revealed)", () => {
        const secrets = [testWebhookUrl("hooks.slack.com"), TEST_ALERT_MAIL_PASSWORD];
        const plain = run.resources.flatMap((r) => plainStrings(r.inputs)).join("\n") + JSON.stringify(run.outputs);
        for (const value of secrets) assert.ok(!plain.includes(value), "a delivery credential is in plain state");
        const revealed = JSON.stringify(run.resources.map((r) => reveal(r.inputs)));
        for (const value of secrets) assert.ok(revealed.includes(value), "the control: the credential is deployed");
    });

    it("without a webhook or mail, no watcher runs and squid has no alert lines (the control)", () => {
        assert.ok(!quiet.resources.some((r) => r.name === NAMES.alertWatcher));
        assert.ok(!JSON.stringify(quiet.outputs).includes("alert_watcher"));
    });

    it("refuses a webhook URL in plain http, or on another host than alerts.webhook.host, naming the config key; never echoing the URL", async function () {
        this.timeout(120000);
        for (const [url, problem] of [
            ["http://hooks.slack.com/services/T0/B0/secretpart", /alert-webhook-url: the URL is http, not https/],
            ["https://hooks.example.net/services/T0/B0/secretpart", /alert-webhook-url: the URL's host is not alerts\.webhook\.host \(hooks\.slack\.com\)/],
        ] as const) {
            await assert.rejects(runStackConfig({ ...withAlerts(ALERTS), "clawcage:alert-webhook-url": url }), (e: Error) => problem.test(e.message) && !e.message.includes("secretpart"));
        }
    });
});
