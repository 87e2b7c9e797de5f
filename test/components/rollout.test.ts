import { strict as assert } from "node:assert";
import { parseSettings } from "../../components/settings/parse";
import { ROLLOUT_STAGES } from "../../components/settings/constants";
import type { DeploymentSettingsInput } from "../../components/settings/schema";
import { renderExecApprovals } from "../../components/gateway/openclawConfig";
import { permissionsOf } from "../../components/rollout/permissions";
import { adjacentStage } from "../../components/rollout/stages";
import { argPattern, DISGUISED, execForm, execFormProblem } from "../../components/rollout/execForms";
import { diffPermissions, loosenings, loosensTooMuch } from "../../policy/api";
import { byName, reveal, runProgram } from "../../cli/record/program";

/**
 * The staged rollout's facts: one permission per step, the way back tightens, and each exec form matches
 * exactly the commands it names, in OpenClaw's own terms (argPattern against the arguments joined by spaces).
 */

const at = (stage: string, more: DeploymentSettingsInput = {}) => parseSettings({ ...more, rollout: { stage } });
const stepDiff = (from: string, to: string, more: DeploymentSettingsInput = {}) => diffPermissions(permissionsOf(at(from, more)), permissionsOf(at(to, more)));

describe("rollout stages: one permission per step, and a way back", () => {
    for (const stage of ROLLOUT_STAGES) {
        const next = adjacentStage(stage, 1);
        if (!next) continue;
        it(`${stage} → ${next} loosens exactly one permission, and back takes it again`, () => {
            const forward = stepDiff(stage, next);
            assert.equal(loosenings(forward).length, 1, loosenings(forward).join("; "));
            assert.equal(loosensTooMuch(forward, "flag"), undefined);
            const back = stepDiff(next, stage);
            assert.deepEqual(loosenings(back), [], "going back loosens nothing");
            assert.deepEqual(permissionsOf(at(stage)), permissionsOf(parseSettings({ rollout: { stage } })));
        });
    }

    it("a two-stage jump is refused, naming both permissions (negative control of the one-step rule)", () => {
        const refusal = loosensTooMuch(stepDiff("observe", "git"), "pass --allow-multiple");
        assert.match(refusal ?? "", /loosens 2 permissions at once: L4 writes in \/opt\/openclaw\/workspace\/drafts; L4 runs git\..*pass --allow-multiple/);
    });

    it("a stack's own lists make a step as big as they are: two writable paths are two loosenings", () => {
        const two = { filesystem: { writablePaths: ["/opt/openclaw/workspace/a", "/opt/openclaw/workspace/b"] } };
        assert.equal(loosenings(stepDiff("observe", "draft", two)).length, 2);
        // ...and the stage clamps them: at observe nothing is writable whatever the stack lists.
        assert.deepEqual(permissionsOf(at("observe", two)).filter((p) => p.key.startsWith("write:")), []);
    });

    it("git → build widens one program's forms or adds one program; a form more on git is one loosening", () => {
        assert.deepEqual(loosenings(stepDiff("git", "build")), ["L4 runs npm"]);
        const more = diffPermissions(permissionsOf(at("git")), permissionsOf(at("git", { tools: { exec: { allowCommands: ["git status", "git log *", "git diff *", "git show *", "git blame *"] } } })));
        assert.deepEqual(loosenings(more), ["L4 runs git (+git blame *)"]);
    });

    it("a writable project mount is writable from the draft stage on, and read-only again after `stage back`", async function () {
        this.timeout(60_000);
        const app = "/opt/openclaw/workspace/app";
        const settings = (stage: string) => ({ rollout: { stage }, filesystem: { writablePaths: [app] }, container: { mounts: [{ hostPath: "/srv/app", containerPath: app, readOnly: false }] } });
        const mountOf = async (stage: string) => {
            const volumes = (reveal(byName(await runProgram({ "clawcage:settings": settings(stage) }), "openclaw-gateway-container").inputs) as { volumes: { hostPath: string; readOnly: boolean }[] }).volumes;
            return volumes.filter((v) => v.hostPath === "/srv/app").map((v) => (v.readOnly ? "read-only" : "writable")).join();
        };
        assert.equal(await mountOf("draft"), "writable");
        assert.equal(await mountOf("observe"), "read-only");
    });

    it("every loosening has a layer and a one-line risk", () => {
        for (const p of permissionsOf(parseSettings({ rollout: { stage: "build" }, gateway: { publish: { address: "127.0.0.1", port: 18789 }, controlUi: { enabled: true } } }))) {
            assert.match(p.layer, /^L[1-5]$/);
            assert.ok(p.risk.length > 10 && !p.risk.includes("\n"), p.key);
        }
    });
});

/** Whether OpenClaw would match these arguments (argv without the program, joined by single spaces). */
const matches = (form: string, args: string, deny = parseSettings({}).tools.exec.denyCommands) => new RegExp(argPattern(execForm(form), deny)).test(args);

describe("exec forms: argPattern allows the form and nothing else", () => {
    const cases: [string, string, boolean][] = [
        ["git status", "status", true],
        ["git status", "status --porcelain", false],
        ["git status", "-c core.fsmonitor=id status", false],
        ["git log *", "log", true],
        ["git log *", "log HEAD~3 README.md", true],
        ["git log *", "log --output=/opt/openclaw/workspace/drafts/x", false],
        ["git log *", "-c alias.log=!id log", false],
        ["git log *", "log sudo", false],
        ["git log *", "log x rm -rf y", false],
        ["npm test", "test", true],
        ["npm test", "test -- --inspect", false],
        ["npm test", "run evil", false],
        ["hostname", "", true],
        ["hostname", "-F /etc/passwd", false],
        ["ls *", "", true],
        ["ls *", "drafts", true],
        ["ls *", "-la", false],
        // Arguments name nothing outside the workspace: outside a repository `git diff` reads any two files.
        ["git diff *", "diff /opt/openclaw/config/gateway.token /dev/null", false],
        ["git diff *", "diff ../config/openclaw.json notes.md", false],
        ["git diff *", "diff notes/../../config/openclaw.json notes.md", false],
        ["git diff *", "diff ~/.ssh/id_rsa notes.md", false],
        ["git diff *", "diff ..", false],
        ["git diff *", "diff main..topic src/a..b.ts", true],
        ["git diff *", "diff notes.md drafts/notes.md", true],
    ];
    for (const [form, args, allowed] of cases) {
        it(`'${form}' ${allowed ? "allows" : "refuses"} '${args}'`, () => assert.equal(matches(form, args), allowed));
    }

    it("every refusal's suggested form is itself accepted (the message never suggests what it refuses)", () => {
        for (const { example } of Object.values(DISGUISED)) assert.equal(execFormProblem(execForm(example), parseSettings({}).tools.exec.denyCommands), undefined, example);
        // Negative control: the bare program of the same example is refused.
        for (const program of Object.keys(DISGUISED)) assert.match(execFormProblem(execForm(program), []) ?? "", /the bare name allows any code/);
    });

    it("the approvals store gets one entry per form with its argPattern, never a path-only entry", () => {
        const doc = renderExecApprovals(parseSettings({ rollout: { stage: "build" } })) as { agents: { main: { allowlist: { pattern: string; argPattern?: string }[] } } };
        const entries = doc.agents.main.allowlist;
        assert.deepEqual(entries.map((e) => e.pattern), ["git", "git", "git", "git", "npm"]);
        assert.ok(entries.every((e) => typeof e.argPattern === "string" && e.argPattern.startsWith("^") && e.argPattern.endsWith("$")));
        // Negative control: without the deny net, the same form lets 'sudo' through as an argument.
        assert.equal(matches("git log *", "log sudo", []), true);
    });
});
