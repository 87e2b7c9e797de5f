import { strict as assert } from "node:assert";
import { docker } from "../../cli/live/docker";
import { containerChecks, formatTable, runChecks, type Check, type CheckResult } from "../../cli/verify";
import { deploymentContainers } from "../../cli/verify/check";
import { chat } from "./assistant";
import { deployForTest, reopenDoor, tearDownEnvironment, withSettings, type Environment } from "./harness";
import { negativeControlTests } from "./controlTests";

/**
 * The runtime proof again with the sandbox host (where a chat's commands run) and the watcher on gVisor (runsc): every
 * container check, a chat, a chat's command in the sandbox, and the controls of the checks whose reading gVisor changes.
 * Once per CI run, beside the runc suite. The other layers' checks read the host, the gateway and the proxies, which
 * are the same on both runtimes: the runc suite runs them. The gateway and the proxies stay on runc, as measured with Debian's runsc
 * (2022-12): it lacks openat2, which OpenClaw's file-safety library needs to start, and squid's model relay answers
 * 503 under it (README, "gVisor").
 */
const GVISOR_ROLES = { gateway: "runc", sandbox: "gvisor", proxies: "runc", watcher: "gvisor" } as const;

const log = (line: string) => console.log(`    · ${line}`);
/** Every check that reads a container: the ones a container's runtime can change. */
const CONTAINER_CHECKS: Check[] = Object.values(containerChecks);
/** The checks that read something gVisor shows otherwise (its own kernel, its own /proc, no cgroup inside). */
const READ_OTHERWISE: Check[] = [containerChecks.runtime, containerChecks.seccomp, containerChecks.noNewPrivileges, containerChecks.pidsLimit, containerChecks.limits, containerChecks.scratchMountFlags, containerChecks.writableOnlyDeclared];

describe("runtime proof under gVisor: the sandbox host and the watcher on runsc", function () {
    this.timeout(30 * 60 * 1000);
    let env: Environment | undefined;
    const results: CheckResult[] = [];
    const deployed = () => {
        assert.ok(env, "deployment is up");
        return env;
    };

    before(async () => {
        const runtimes = await docker(["info", "--format", "{{json .Runtimes}}"]);
        assert.match(runtimes.stdout, /"runsc"/, "dockerd does not know gVisor's runtime runsc: run `sudo bash scripts/register-gvisor.sh`");
        env = await deployForTest(log, (settings) => (settings.container = { ...(settings.container as object), runtime: GVISOR_ROLES }));
    });

    after(async () => {
        if (results.length > 0) console.log(`\n${formatTable(results)}\n`);
        if (env) await tearDownEnvironment(env, log);
    });

    for (const check of CONTAINER_CHECKS) {
        it(`${check.layer} ${check.name}`, async () => {
            const [r] = await runChecks([check], deployed().live);
            results.push(r);
            assert.ok(r.pass, `expected ${r.expected || "pass"}, observed ${r.observed}`);
        });
    }

    it("L4 a chat is answered through OpenClaw's agent loop on gVisor", async () => {
        const e = deployed();
        await reopenDoor(e);
        const r = await chat(e, "hello from gVisor");
        results.push({ layer: "L4", name: "chat answered under gVisor", expected: "200 stub heard: hello from gVisor", observed: `${r.status} ${r.answer}`, pass: r.status === 200 });
        assert.equal(`${r.status} ${r.answer}`, "200 stub heard: hello from gVisor");
    });

    it("L1 exec stage: a chat's command runs on the sandbox host, on gVisor's kernel, not the host's", async () => {
        const e = deployed();
        await withSettings(e, { rollout: { stage: "git" }, tools: { exec: { allowCommands: ["hostname"] } } }, log, async () => {
            const run = async (command: string) => (await chat(e, `CALL exec ${JSON.stringify({ command })}`)).answer;
            const kernel = await run("hostname; dmesg | head -1");
            results.push({ layer: "L1", name: "a chat's command meets gVisor's kernel", expected: "openclaw-sandbox, Starting gVisor", observed: kernel.replace(/\s+/g, " "), pass: /openclaw-sandbox[\s\S]*Starting gVisor/.test(kernel) });
            assert.match(kernel, /openclaw-sandbox[\s\S]*Starting gVisor/);
        });
    });

    it("L1 pids in use under gVisor stay within each container's limit (its own kernel's threads included)", async () => {
        const e = deployed();
        const stats = await docker(["stats", "--no-stream", "--format", "{{.Name}} {{.PIDs}}", ...deploymentContainers(e.live)]);
        log(`pids in use: ${stats.stdout.trim().replace(/\n/g, ", ")}`);
        const [r] = await runChecks([containerChecks.healthy], e.live);
        assert.ok(r.pass, r.observed);
    });

    describe("negative controls of the checks gVisor reads otherwise", () => negativeControlTests(deployed, READ_OTHERWISE));
});
