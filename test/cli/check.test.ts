import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { REPO_ROOT, stackConfig } from "../../cli/record/program";
import { FROM_SOURCE, runCli } from "../support/cli";

/** Runs `clawcage check <args>` from source in the checkout, as `npm run check -- <args>` does. */
const runCheck = (...args: string[]) => runCli(FROM_SOURCE, ["check", ...args], REPO_ROOT);

function writeStackFile(settings: Record<string, unknown>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-check-"));
    const file = path.join(dir, "Pulumi.mutated.yaml");
    fs.writeFileSync(file, stringify({ config: { "clawcage:settings": settings } }));
    return file;
}

describe("clawcage check (offline checklist)", () => {
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
        const { code, stdout, out } = runCheck("--stack-file", file);
        assert.equal(code, 2, out);
        // The refusal table on stdout, not a crash message: the check recognised the refusal.
        assert.match(stdout, /the settings are refused, so nothing would be deployed/);
        assert.match(stdout, /\| settings\.gateway\.auth: .*\| FAIL/);
    });

    it("--json: the same verdict as data", () => {
        const { code, stdout } = runCheck("--stack", "dev", "--json");
        assert.equal(code, 0, stdout);
        const report = JSON.parse(stdout) as { ok: boolean; stackFile: string; mandatoryViolations: number; results: { policy: string; status: string }[] };
        assert.equal(report.ok, true);
        assert.equal(report.stackFile, path.join("stacks", "Pulumi.dev.yaml"));
        assert.equal(report.mandatoryViolations, 0);
        assert.ok(report.results.some((r) => r.policy === "container-non-root-user" && r.status === "pass"));
    });

    it("a stack that does not exist exits 2 and names the files looked for", () => {
        const { code, out } = runCheck("--stack", "no-such-stack");
        assert.equal(code, 2, out);
        assert.match(out, /stacks\/Pulumi\.no-such-stack\.yaml and \S*Pulumi\.no-such-stack\.yaml/);
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

    it("--policy-config that does not fit the pack exits 2 naming the field (negative control: nothing is checked)", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-packconfig-"));
        const config = path.join(dir, "policy-config.json");
        fs.writeFileSync(config, JSON.stringify({ "openclaw-audit-log": { enforcementLevel: "mandatroy" } }));
        const typo = runCheck("--stack", "dev", "--policy-config", config);
        assert.equal(typo.code, 2, typo.out);
        assert.match(typo.out, /openclaw-audit-log\.enforcementLevel: expected one of advisory, mandatory, remediate, disabled, got "mandatroy"/);
        assert.doesNotMatch(typo.out, /\| item +\|/);
    });
});
