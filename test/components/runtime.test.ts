import { strict as assert } from "node:assert";
import { byName, reveal, runStackConfig, stackConfig, type ProgramRun } from "../../cli/record/program";
import { GVISOR_OWN_PIDS, pidsLimitFor, runtimeOf, runtimes } from "../../components/container/runtime";
import { parseSettings } from "../../components/settings/parse";

const dev = stackConfig("dev");
const withRuntime = (runtime: unknown) => ({ ...dev, "clawcage:settings": { ...(dev["clawcage:settings"] as object), container: { runtime } } });
const recorded = (run: ProgramRun, name: string) => reveal(byName(run, name).inputs) as { runtime?: string; create?: string };

describe("container runtime: runc or gVisor, for all or per role", () => {
    it("runc everywhere unless the settings say otherwise", () => {
        assert.deepEqual(runtimes(parseSettings({})), { gateway: "runc", sandbox: "runc", proxies: "runc", watcher: "runc" });
    });

    it("one value sets every role; an object sets the roles it names", () => {
        assert.deepEqual(runtimes(parseSettings({ container: { runtime: "gvisor" } })), { gateway: "gvisor", sandbox: "gvisor", proxies: "gvisor", watcher: "gvisor" });
        const some = parseSettings({ container: { runtime: { sandbox: "gvisor" } } });
        assert.equal(runtimeOf(some, "sandbox"), "gvisor");
        assert.equal(runtimeOf(some, "gateway"), "runc");
    });

    it("refuses a runtime it does not know, naming the field", () => {
        assert.throws(() => parseSettings({ container: { runtime: "kata" } }), /container\.runtime: use "runc" or "gvisor"/);
        assert.throws(() => parseSettings({ container: { runtime: { gateway: "gvisor", agent: "gvisor" } } }), /container\.runtime/);
    });

    it("gives gVisor's own threads room on top of the program's, under gVisor only", () => {
        assert.equal(pidsLimitFor("runc", 256), 256);
        assert.equal(pidsLimitFor("gvisor", 256), 256 + GVISOR_OWN_PIDS);
    });

    it("deploys each container on its role's runtime, registered as runsc for gVisor, with the pids limit to match", async () => {
        const run = await runStackConfig(withRuntime({ gateway: "gvisor", sandbox: "gvisor" }));
        assert.equal(recorded(run, "openclaw-gateway-container").runtime, "runsc");
        assert.equal(recorded(run, "openclaw-sandbox-container").runtime, "runsc");
        assert.equal(recorded(run, "openclaw-egress-container").runtime, "runc");
        // Under gVisor the engine changes a stopped container's limit only: stop, update, start.
        assert.equal(
            recorded(run, "openclaw-gateway-pids-limit").create,
            `set -e\ndocker stop --time 30 openclaw-gateway >/dev/null\ndocker update --pids-limit ${256 + GVISOR_OWN_PIDS} openclaw-gateway >/dev/null\ndocker start openclaw-gateway >/dev/null\n`,
        );
        assert.equal(recorded(run, "openclaw-egress-pids-limit").create, "docker update --pids-limit 128 openclaw-egress >/dev/null\n");
    });
});
