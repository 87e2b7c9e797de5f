import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { byName, reveal, runStackConfig, stackConfig, type ProgramRun } from "../../cli/record/program";
import { APPARMOR_DIR, appArmorProfileName, renderAppArmorLoadScript, renderAppArmorProfile, renderAppArmorUnloadScript } from "../../components/container/apparmor";
import { isolationOf } from "../../components/container/runtime";
import { parseSettings } from "../../components/settings/parse";
import { asRoot } from "../../components/host/hostScript";

const dev = stackConfig("dev");
const withContainer = (container: object) => ({ ...dev, "clawcage:settings": { ...(dev["clawcage:settings"] as object), container } });
const inputsOf = (run: ProgramRun, name: string) => reveal(byName(run, name).inputs) as { securityOpts?: string[]; create?: string; delete?: string; stdin?: string };

describe("AppArmor: each container's profile, loaded where the host's kernel has AppArmor", () => {
    it("refuses what the other layers refuse too: raw and packet sockets, mounts, tracing; capabilities are only those given back", () => {
        const plain = renderAppArmorProfile({ container: "openclaw-gateway", capAdd: [] });
        for (const rule of ["deny network raw,", "deny network packet,", "deny mount,", "deny pivot_root,", "ptrace (read,readby) peer=clawcage-openclaw-gateway,"]) assert.ok(plain.includes(rule), rule);
        assert.ok(!/^\s*capability\b/m.test(plain), "a container given no capability back is allowed one");
        assert.ok(!/\bptrace\b[^\n]*\btrace\b/.test(plain), "tracing is allowed");
        const ingress = renderAppArmorProfile({ container: "openclaw-ingress", capAdd: ["NET_BIND_SERVICE"] });
        assert.deepEqual(ingress.match(/^\s*capability .*$/gm)?.map((l) => l.trim()), ["capability net_bind_service,"]);
    });

    it("names each container's own profile, and the engine's option follows the setting (none on gVisor)", async () => {
        const run = await runStackConfig(withContainer({ apparmor: { sandbox: "docker-default" }, runtime: { watcher: "gvisor" } }));
        assert.ok(inputsOf(run, "openclaw-gateway-container").securityOpts?.includes(`apparmor=${appArmorProfileName("openclaw-gateway")}`));
        assert.ok(inputsOf(run, "openclaw-sandbox-container").securityOpts?.includes("apparmor=docker-default"));
        assert.ok(!run.resources.some((r) => r.name === "openclaw-sandbox-apparmor"), "Docker's default needs no host step");
        const mixed = parseSettings({ container: { apparmor: { proxies: "docker-default" }, runtime: { gateway: "gvisor" } } });
        assert.deepEqual([isolationOf(mixed, "gateway").apparmor, isolationOf(mixed, "proxies").apparmor, isolationOf(mixed, "sandbox").apparmor], ["none", "docker-default", "clawcage"]);
    });

    it("refuses a profile it does not know, naming the field", () => {
        assert.throws(() => parseSettings({ container: { apparmor: "unconfined" } }), /container\.apparmor: use "clawcage" or "docker-default"/);
    });

    it("on a host whose kernel has no AppArmor (this one) the load step says it skipped and writes nothing", () => {
        // As the host step runs it: wrapped to run as root.
        const r = spawnSync("bash", ["-c", asRoot(renderAppArmorLoadScript("clawcage-test-skip"))], { input: renderAppArmorProfile({ container: "clawcage-test-skip", capAdd: [] }), encoding: "utf8" });
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, /AppArmor: skipped for clawcage-test-skip, this host's kernel has none/);
        assert.ok(!fs.existsSync(path.join(APPARMOR_DIR, appArmorProfileName("clawcage-test-skip"))));
        // Removing what was never there is a no-op, as every delete script must be.
        assert.equal(spawnSync("bash", ["-c", asRoot(renderAppArmorUnloadScript("clawcage-test-skip"))]).status, 0);
    });
});
