import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { REPO_ROOT, stackConfig } from "../../cli/record/program";

/** Runs `npm run check -- <args>` the way a user does (ts-node, no Pulumi CLI). */
function runCheck(...args: string[]) {
    const result = spawnSync(process.execPath, [require.resolve("ts-node/dist/bin"), "--transpile-only", "cli/check/command.ts", ...args], { cwd: REPO_ROOT, encoding: "utf8" });
    return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

function writeStackFile(settings: Record<string, unknown>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-check-"));
    const file = path.join(dir, "Pulumi.mutated.yaml");
    fs.writeFileSync(file, stringify({ config: { "clawcage:settings": settings } }));
    return file;
}

describe("npm run check (offline checklist)", () => {
    it("dev: prints the checklist table and exits 0", () => {
        const { code, out } = runCheck("--stack", "dev");
        assert.equal(code, 0, out);
        assert.match(out, /\| item +\| status +\| why +\| how to fix +\|/);
        assert.match(out, /container-non-root-user/);
        assert.match(out, /0 mandatory violation\(s\)/);
    });

    it("a stack file whose settings pass validation but fail a mandatory policy exits 1 with the fix", () => {
        const dev = stackConfig("dev")["clawcage:settings"] as Record<string, unknown>;
        // Groups answered without an @-mention: the settings accept it, the guide does not.
        const file = writeStackFile({ ...dev, channels: { telegram: { allowFrom: ["1"], groupAllowFrom: ["-100"], requireMentionIn: [] } } });
        const { code, out } = runCheck("--stack-file", file);
        assert.equal(code, 1, out);
        assert.match(out, /FAIL/);
        assert.match(out, /openclaw-mention-gating/);
        assert.match(out, /no "\*" entry/);
        assert.match(out, /1 mandatory violation\(s\)/);
    });

    it("a stack file with refused settings exits 2 and names the field", () => {
        const file = writeStackFile({ gateway: { auth: "none" } });
        const { code, out } = runCheck("--stack-file", file);
        assert.equal(code, 2, out);
        assert.match(out, /settings\.gateway\.auth/);
    });

    it("--policy-config raises an advisory item to mandatory", () => {
        const dev = stackConfig("dev")["clawcage:settings"] as Record<string, unknown>;
        const file = writeStackFile({ ...dev, logging: { audit: false } });
        assert.equal(runCheck("--stack-file", file).code, 0);
        const config = path.join(path.dirname(file), "policy-config.json");
        fs.writeFileSync(config, JSON.stringify({ "openclaw-audit-log": "mandatory" }));
        const { code, out } = runCheck("--stack-file", file, "--policy-config", config);
        assert.equal(code, 1, out);
    });
});
