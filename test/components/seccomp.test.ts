import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { byName, reveal, runStackConfig, stackConfig, type ProgramRun } from "../../cli/record/program";
import { isolationOf } from "../../components/container/runtime";
import { recordedCalls, SECCOMP_PROBE, seccompProfile, type SeccompProfile } from "../../components/container/seccomp/profile";
import { SERVICE_ROLES } from "../../components/settings/constants";
import { parseSettings } from "../../components/settings/parse";
import { createArgs } from "../e2e/replay";

const dev = stackConfig("dev");
const withContainer = (container: object) => ({ ...dev, "clawcage:settings": { ...(dev["clawcage:settings"] as object), container } });
const securityOpts = (run: ProgramRun, name: string) => (reveal(byName(run, name).inputs) as { securityOpts: string[] }).securityOpts;
const profileOf = (opts: string[]): SeccompProfile | undefined => {
    const opt = opts.find((o) => o.startsWith("seccomp="));
    return opt === undefined ? undefined : (JSON.parse(opt.slice("seccomp=".length)) as SeccompProfile);
};
const allowed = (p: SeccompProfile) => p.syscalls.filter((r) => r.action === "SCMP_ACT_ALLOW").flatMap((r) => r.names);

describe("seccomp: each image's recorded profile", () => {
    it("has a recording for every container of the deployment, and the probe's call is in none", () => {
        for (const role of SERVICE_ROLES) {
            const calls = recordedCalls(role);
            assert.ok(calls.length > 30, `${role}: ${calls.length} calls`);
            assert.ok(!allowed(seccompProfile(calls)).includes(SECCOMP_PROBE.call), `${role} allows ${SECCOMP_PROBE.call}: the check's probe would prove nothing`);
        }
    });

    it("refuses every unlisted call, clone3 with ENOSYS (glibc then falls back to clone), on x86_64 only", () => {
        const p = seccompProfile(["read", "clone3"]);
        assert.equal(p.defaultAction, "SCMP_ACT_ERRNO");
        assert.deepEqual(p.syscalls.filter((r) => r.names.includes("clone3")), [{ names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: 38 }]);
        assert.deepEqual(p.architectures, ["SCMP_ARCH_X86_64"]);
        for (const refused of ["ptrace", "unshare", "setns", "mount", "bpf", "keyctl", "userfaultfd", "io_uring_setup"]) assert.ok(!allowed(p).includes(refused), refused);
    });

    it("refuses io_uring even where it was recorded (libuv falls back to its thread pool)", () => {
        const p = seccompProfile(["io_uring_setup", "io_uring_enter", "read"]);
        assert.ok(!allowed(p).some((n) => n.startsWith("io_uring")), allowed(p).join(" "));
    });

    it("binds clone and personality to the arguments Docker's default allows them with", () => {
        const p = seccompProfile(["clone", "personality", "read"]);
        const clone = p.syscalls.filter((r) => r.names.includes("clone"));
        assert.deepEqual(clone, [{ names: ["clone"], action: "SCMP_ACT_ALLOW", args: [{ index: 0, value: 0x7e020000, valueTwo: 0, op: "SCMP_CMP_MASKED_EQ" }] }]);
        const personalities = p.syscalls.filter((r) => r.names.includes("personality")).map((r) => r.args?.[0].value);
        assert.deepEqual(personalities, [0x0, 0x8, 0x20000, 0x20008, 0xffffffff]);
        assert.ok(p.syscalls.every((r) => r.args !== undefined || !r.names.includes("clone")), "clone is never allowed without its argument rule");
    });

    it("is recorded for every role by default, Docker's default where asked, none on gVisor", () => {
        assert.equal(isolationOf(parseSettings({}), "gateway").seccomp, "recorded");
        const mixed = parseSettings({ container: { seccomp: { sandbox: "docker-default" }, runtime: { watcher: "gvisor" } } });
        assert.equal(isolationOf(mixed, "sandbox").seccomp, "docker-default");
        assert.equal(isolationOf(mixed, "proxies").seccomp, "recorded");
        assert.equal(isolationOf(mixed, "watcher").seccomp, "none");
    });

    it("refuses a profile it does not know, naming the field", () => {
        assert.throws(() => parseSettings({ container: { seccomp: "unconfined" } }), /container\.seccomp: use "recorded" or "docker-default"/);
    });

    it("gives each container its own image's profile inline, as Docker's API takes it", async () => {
        const run = await runStackConfig(withContainer({ seccomp: { sandbox: "docker-default" } }));
        const gateway = profileOf(securityOpts(run, "openclaw-gateway-container"));
        const egress = profileOf(securityOpts(run, "openclaw-egress-container"));
        assert.ok(gateway && egress);
        assert.deepEqual(gateway, seccompProfile(recordedCalls("gateway")));
        assert.deepEqual(egress, seccompProfile(recordedCalls("egress-proxy")));
        assert.notDeepEqual(allowed(gateway), allowed(egress));
        assert.deepEqual(securityOpts(run, "openclaw-sandbox-container"), ["no-new-privileges:true", "apparmor=clawcage-openclaw-sandbox"]);
    });

    it("the replayer hands the CLI a file of the same JSON", async () => {
        const run = await runStackConfig(dev);
        const opts = securityOpts(run, "openclaw-gateway-container");
        const args = createArgs({ name: "c", image: "i", securityOpts: opts });
        const file = args[args.indexOf("--security-opt", args.indexOf("no-new-privileges:true")) + 1].slice("seccomp=".length);
        assert.equal(fs.readFileSync(file, "utf8"), opts[1].slice("seccomp=".length));
    });
});
