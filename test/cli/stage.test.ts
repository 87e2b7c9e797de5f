import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../../cli/record/program";
import { FROM_SOURCE, runCli } from "../support/cli";

/**
 * `clawcage stage` and `clawcage check --previous` as a user runs them: the stack file walked forward and back
 * with its comments kept, the one-loosening guard refusing a jump in the CLI and in the offline check.
 */

describe("clawcage stage: walk the rollout in the stack file", function () {
    this.timeout(120_000);
    let project = "";
    let file = "";
    beforeEach(() => {
        project = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-stage-"));
        file = path.join(project, "stacks", "Pulumi.dev.yaml");
        fs.mkdirSync(path.dirname(file));
        fs.copyFileSync(path.join(REPO_ROOT, "stacks", "Pulumi.dev.yaml"), file);
    });
    afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

    const clawcage = (...args: string[]) => runCli(FROM_SOURCE, args, project);
    const stageOf = () => /stage: (\S+)/.exec(fs.readFileSync(file, "utf8"))?.[1];

    it("walks observe → draft → git → build and back, one permission per step, keeping the file's comments", () => {
        const comment = fs.readFileSync(file, "utf8").split("\n")[0];
        const added: string[] = [];
        for (const stage of ["draft", "git", "build"]) {
            const r = clawcage("stage", "next", "--json");
            assert.equal(r.code, 0, r.out);
            const step = JSON.parse(r.stdout) as { to: string; diff: { added: { what: string }[]; changed: unknown[] } };
            assert.equal(step.to, stage);
            assert.equal(step.diff.added.length + step.diff.changed.length, 1, r.stdout);
            added.push(step.diff.added[0].what);
            assert.equal(stageOf(), stage);
        }
        assert.deepEqual(added, ["writes in /opt/openclaw/workspace/drafts", "runs git", "runs npm"]);
        assert.equal(clawcage("stage", "next").code, 2, "no stage after build");
        for (const stage of ["git", "draft", "observe"]) {
            const r = clawcage("stage", "back");
            assert.equal(r.code, 0, r.out);
            assert.match(r.stdout, /\| - \| L4/);
            assert.equal(stageOf(), stage);
        }
        assert.equal(fs.readFileSync(file, "utf8").split("\n")[0], comment);
        assert.equal(fs.readFileSync(file, "utf8"), fs.readFileSync(path.join(REPO_ROOT, "stacks", "Pulumi.dev.yaml"), "utf8"), "back to the committed file, byte for byte");
    });

    it("refuses a step that loosens two permissions, naming both, unless --allow-multiple (and writes nothing)", () => {
        fs.appendFileSync(file, "    filesystem:\n      writablePaths: [/opt/openclaw/workspace/a, /opt/openclaw/workspace/b]\n");
        const before = fs.readFileSync(file, "utf8");
        const refused = clawcage("stage", "next");
        assert.equal(refused.code, 1, refused.out);
        assert.match(refused.stderr, /observe → draft refused, nothing written: this change loosens 2 permissions at once: L4 writes in \/opt\/openclaw\/workspace\/a; L4 writes in \/opt\/openclaw\/workspace\/b.*--allow-multiple/);
        assert.equal(fs.readFileSync(file, "utf8"), before);
        // The accepted neighbour: the same step with the flag.
        assert.equal(clawcage("stage", "next", "--allow-multiple").code, 0);
        assert.equal(stageOf(), "draft");
    });

    it("shows what every stage grants this stack", () => {
        const r = clawcage("stage", "show", "--json");
        const views = (JSON.parse(r.stdout) as { stages: { stage: string; current: boolean; tools: string[]; execForms: string[] }[] }).stages;
        assert.deepEqual(views.map((v) => `${v.stage}${v.current ? "*" : ""}`), ["observe*", "draft", "git", "build"]);
        assert.deepEqual(views[0].tools, ["read", "web_search"]);
        assert.deepEqual(views[3].execForms, ["git diff *", "git log *", "git show *", "git status", "npm test"]);
    });

    it("check --previous: the offline check runs the pack's guard against the stack as last deployed", () => {
        const previous = path.join(project, "Pulumi.dev.deployed.yaml");
        fs.copyFileSync(file, previous);
        fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("stage: observe", "stage: git"));
        const jump = clawcage("check", "--previous", previous, "--json");
        assert.equal(jump.code, 1, jump.out);
        const guard = (JSON.parse(jump.stdout) as { results: { policy: string; status: string; violations: { message: string }[] }[] }).results.find((r) => r.policy === "one-loosening-at-a-time");
        assert.equal(guard?.status, "fail");
        assert.match(guard?.violations[0].message ?? "", /loosens 2 permissions at once/);
        assert.equal(clawcage("check", "--previous", previous, "--allow-multiple").code, 0);
        // One step from what is deployed passes.
        fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("stage: git", "stage: draft"));
        assert.equal(clawcage("check", "--previous", previous).code, 0);
    });
});
