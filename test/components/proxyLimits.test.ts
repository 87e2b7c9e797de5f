import { strict as assert } from "node:assert";
import { ofType, reveal, runStackConfig, stackConfig } from "../../cli/record/program";
import { deploymentNames } from "../../components/deployment/names";
import { parseSettings } from "../../components/settings/parse";

/**
 * What the proxies get to carry every request: settings.container.proxyCpus, their CPU limit (npm run bench --
 * egress ingress measures each step), while the watcher beside them keeps its half CPU whatever the setting; and the
 * egress proxy's reuse of outgoing ports (EGRESS_SYSCTLS).
 */

const dev = stackConfig("dev");
/** The dev stack with a webhook, so that the watcher runs beside the proxies. */
const withProxyCpus = (proxyCpus?: number) => {
    const settings = dev["clawcage:settings"] as { container?: object };
    const container = { ...settings.container, ...(proxyCpus === undefined ? {} : { proxyCpus }) };
    return { ...dev, "clawcage:settings": { ...settings, container, alerts: { webhook: { host: "hooks.slack.com" } } } };
};

async function containersOf(proxyCpus?: number): Promise<Map<string, { cpus: string; sysctls?: Record<string, string> }>> {
    const run = await runStackConfig(withProxyCpus(proxyCpus));
    const all = ofType(run, "docker:index/container:Container").map((c) => reveal(c.inputs) as { name: string; cpus: string; sysctls?: Record<string, string> });
    return new Map(all.map((c) => [c.name, c]));
}
const cpusByContainer = async (proxyCpus?: number) => new Map([...(await containersOf(proxyCpus))].map(([name, c]) => [name, c.cpus]));

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

    it("lets the egress proxy alone reuse its outgoing ports in TIME_WAIT (tcp_tw_reuse in its own namespace)", async () => {
        const all = await containersOf();
        assert.deepEqual(all.get(names.egressProxy)?.sysctls, { "net.ipv4.tcp_tw_reuse": "1" });
        assert.deepEqual([...all].filter(([name, c]) => name !== names.egressProxy && c.sysctls).map(([name]) => name), []);
    });

    it("refuses a limit no proxy can run under, naming the field", () => {
        assert.throws(() => parseSettings({ container: { proxyCpus: 0 } }), /container\.proxyCpus/);
        assert.throws(() => parseSettings({ container: { proxyCpus: 65 } }), /container\.proxyCpus/);
    });
});
