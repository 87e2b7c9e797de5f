import { strict as assert } from "node:assert";
import { renderSquidConf } from "../../components/egress/squidConf";
import { lookupBeforeAllowlist, squidRules } from "../../policy/lib/squidConf";

/** The alert watcher's way out through squid: its destinations, their ports, its address; nobody else's. */
describe("egress proxy: the alert watcher's deliveries", () => {
    const base = { allowedDomains: [".anthropic.com"], port: 3128, clientSubnets: ["10.89.41.0/24"], logDir: "/var/log/clawcage", relays: [], keysFile: "/etc/clawcage/model-keys.conf" };
    const conf = renderSquidConf({ ...base, alertDeliveries: { watcherAddresses: ["10.89.41.9"], destinations: [{ host: "hooks.slack.com", port: 443 }, { host: "smtp.example.org", port: 587 }] } });
    const access = conf.split("\n").filter((l) => l.startsWith("http_access"));

    it("allows each destination on its own port, from the watcher alone, right after refusing strangers; then nothing else from it", () => {
        assert.deepEqual(access.slice(0, 4), [
            "http_access deny !gateway_clients",
            "http_access allow CONNECT alert_watcher alert_dest_0 alert_port_0 !forbidden_dst",
            "http_access allow CONNECT alert_watcher alert_dest_1 alert_port_1 !forbidden_dst",
            "http_access deny alert_watcher",
        ]);
        assert.match(conf, /^acl alert_watcher src 10\.89\.41\.9$/m);
        assert.match(conf, /^acl alert_port_1 port 587$/m);
    });

    it("looks no name up before matching it against the destinations (the pack's check; the control: the lookup first is flagged)", () => {
        assert.equal(lookupBeforeAllowlist(squidRules(conf)), undefined);
        const lookupFirst = conf.replace("alert_watcher alert_dest_0 alert_port_0 !forbidden_dst", "alert_watcher !forbidden_dst alert_dest_0 alert_port_0");
        assert.equal(lookupBeforeAllowlist(squidRules(lookupFirst))?.acl, "forbidden_dst");
    });

    it("adds nothing without destinations (the control: the allowlist is otherwise unchanged)", () => {
        assert.equal(renderSquidConf({ ...base, alertDeliveries: { watcherAddresses: ["10.89.41.9"], destinations: [] } }), renderSquidConf(base));
        assert.ok(!renderSquidConf(base).includes("alert_watcher"));
    });
});
