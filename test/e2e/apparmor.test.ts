import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { reveal, runStackConfig, stackConfig } from "../../cli/record/program";
import { renderAppArmorProfile } from "../../components/container/apparmor";

/*
 * AppArmor's own parser is a system program (Debian: apt-get install apparmor), so this proof runs with the runtime
 * proof's system tools, not with `npm test`. It compiles; loading needs a kernel with AppArmor, which this machine's
 * has not (the runtime proof's AppArmor check reports that as a skip).
 */

/** Compiles a profile with AppArmor's own parser, without loading it (this machine's kernel has no AppArmor). */
function compile(profile: string): { code: number | null; stderr: string; binary: number } {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-aa-")), "profile");
    fs.writeFileSync(file, profile);
    const r = spawnSync("apparmor_parser", ["--skip-kernel-load", "--stdout", file], { encoding: "buffer" });
    assert.ok(!r.error, `apparmor_parser: ${r.error?.message} (install it: apt-get install apparmor)`);
    return { code: r.status, stderr: r.stderr.toString(), binary: r.stdout.length };
}

describe("AppArmor's own parser compiles each container's profile", () => {
    it("every container's profile of both committed stacks compiles; a broken rule does not (negative control)", async () => {
        const steps = [];
        for (const stack of ["dev", "prod"]) steps.push(...(await runStackConfig(stackConfig(stack))).resources.filter((r) => r.name.endsWith("-apparmor")));
        assert.ok(steps.length >= 7, steps.map((s) => s.name).join(", "));
        for (const step of steps) {
            const profile = (reveal(step.inputs) as { stdin?: string }).stdin ?? "";
            const compiled = compile(profile);
            assert.equal(compiled.code, 0, `${step.name}: ${compiled.stderr}`);
            assert.ok(compiled.binary > 1000, `${step.name}: ${compiled.binary} bytes of policy`);
        }
        const broken = compile(renderAppArmorProfile({ container: "c", capAdd: [] }).replace("deny network raw,", "deny network rawest,"));
        assert.notEqual(broken.code, 0, "a profile with an unknown network type compiled");
    });
});
