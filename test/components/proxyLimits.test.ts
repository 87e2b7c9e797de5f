import { strict as assert } from "node:assert";
import { ofType, reveal, runStackConfig, stackConfig } from "../../cli/record/program";
import { deploymentNames } from "../../components/deployment/names";
import { parseSettings } from "../../components/settings/parse";

/**
 * settings.container.proxyCpus: the proxies' CPU limit, the one figure that moved their throughput under load
 * (npm run bench -- egress ingress). The watcher beside them keeps its half CPU whatever the setting.
 */

const dev = stackConfig("dev");
/** The dev stack with a webhook, so that the watcher runs beside the proxies. */
const withProxyCpus = (proxyCpus?: number) => {
    const settings = dev["clawcage:settings"] as { container?: object };
    const container = { ...settings.container, ...(proxyCpus === undefined ? {} : { proxyCpus }) };
    return { ...dev, "clawcage:settings": { ...settings, container, alerts: { webhook: { host: "hooks.slack.com" } } } };
};

async function cpusByContainer(proxyCpus?: number): Promise<Map<string, string>> {
    const run = await runStackConfig(withProxyCpus(proxyCpus));
    const all = ofType(run, "docker:index/container:Container").map((c) => reveal(c.inputs) as { name: string; cpus: string });
    return new Map(all.map((c) => [c.name, c.cpus]));
}

describe("proxy limits: settings.container.proxyCpus", () => {
    const names = deploymentNames();

    it("gives each proxy one CPU by default and the watcher half of one", async () => {
        assert.equal(parseSettings({}).container.proxyCpus, 1);
        const cpus = await cpusByContainer();
        assert.equal(cpus.get(names.egressProxy), "1.0");
        assert.equal(cpus.get(names.ingressProxy), "1.0");
        assert.equal(cpus.get(names.alertWatcher), "0.5");
    });

    it("gives both proxies the CPUs the setting names, and the watcher still half of one", async () => {
        const cpus = await cpusByContainer(2);
        assert.equal(cpus.get(names.egressProxy), "2.0");
        assert.equal(cpus.get(names.ingressProxy), "2.0");
        assert.equal(cpus.get(names.alertWatcher), "0.5");
    });

    it("refuses a limit no proxy can run under, naming the field", () => {
        assert.throws(() => parseSettings({ container: { proxyCpus: 0 } }), /container\.proxyCpus/);
        assert.throws(() => parseSettings({ container: { proxyCpus: 65 } }), /container\.proxyCpus/);
    });
});
