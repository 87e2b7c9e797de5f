import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runStackConfig, type ProgramRun } from "../../cli/record/program";
import type { CheckResult } from "../../cli/verify";
import { deployedRecord } from "../../components/rollout/permissions";
import { shellQuote } from "../../components/host/hostScript";
import { chat, mainSession, rowRecorder } from "./assistant";
import { clawcage, jsonReport } from "./cli";
import { ALERTS_NOTIFY, e2eConfig, reopenDoor, STAND_IN, withSettings, type Environment, type Log } from "./harness";
import { restartGateway, waitForHealthy } from "./health";
import { replayUpdate } from "./replay";
import { vpsTarget } from "./vps";

/**
 * The staged rollout on the live deployment: `clawcage stage` edits a copy of the stack file, `clawcage diff`
 * compares it with what the deployment records on its host, an update applies it and `stage back` takes it
 * back; in the git stage the exec allowlist's forms hold through OpenClaw's own agent loop.
 */

interface DiffReport {
    ok: boolean;
    deployedStage: string;
    stackStage: string;
    diff: { added: { what: string; risk: string }[]; removed: { what: string }[]; changed: unknown[] };
    then: string;
}

/** A copy of the e2e stack file (VPS target) to edit, removed afterwards. */
function withStackCopy<T>(env: Environment, body: (file: string) => Promise<T>): Promise<T> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-rollout-"));
    const file = path.join(dir, "Pulumi.e2e.yaml");
    fs.copyFileSync(env.vps.stackFile, file);
    return body(file).finally(() => fs.rmSync(dir, { recursive: true, force: true }));
}

/** `pulumi up` of the stack file as it now is, after `from`; returns the new run. */
async function upFrom(env: Environment, file: string, from: ProgramRun, log: Log): Promise<ProgramRun> {
    const run = await runStackConfig(e2eConfig(env.images, file, env.vps.identity), from);
    await replayUpdate(from, run, STAND_IN, log);
    await waitForHealthy(env.live, log);
    await reopenDoor(env);
    return run;
}

/** The tools the gateway offers a chat, as the model sees them. */
const offeredTools = async (env: Environment) => (await chat(env, "TOOLS")).answer.replace(/^tools: /, "");

/** What the deployment wrote that the stage decides: openclaw.json, the exec approvals, the permission record. */
const stageFiles = async (env: Environment) => {
    const l = env.live.layout;
    return (await env.live.onHost(`cat ${[l.gatewayConfigFile, l.gatewayApprovalsFile, l.deployedPermissions].map(shellQuote).join(" ")}`)).stdout;
};

export function rolloutTests(envOf: () => Environment, results: CheckResult[], log: Log): void {
    const row = rowRecorder(results);

    it("L4 `clawcage diff` compares the stack file with the permissions the deployment records: one step with its risk passes, two fail", async () => {
        const env = envOf();
        await withStackCopy(env, async (file) => {
            const diff = async () => {
                const r = await clawcage(["diff", ...vpsTarget(env.vps, file), "--json"]);
                return { code: r.code, report: jsonReport<DiffReport>(r) };
            };
            const same = await diff();
            row("L4", "diff: the committed stack grants what is deployed", "exit 0, observe → observe, no change", `exit ${same.code}, ${same.report.deployedStage} → ${same.report.stackStage}, ${same.report.diff.added.length + same.report.diff.removed.length + same.report.diff.changed.length === 0 ? "no change" : JSON.stringify(same.report.diff)}`);
            assert.equal((await clawcage(["stage", "next", "--stack-file", file])).code, 0);
            const one = await diff();
            row("L4", "diff after `stage next`: one loosening, with its risk", "exit 0: + writes in /opt/openclaw/workspace/drafts", `exit ${one.code}: ${one.report.diff.added.map((p) => `+ ${p.what}`).join(", ")}`);
            assert.match(one.report.diff.added[0].risk, /create, change and delete files/);
            assert.equal((await clawcage(["stage", "next", "--stack-file", file])).code, 0);
            const two = await diff();
            row("L4", "diff two stages on: refused, naming both", "exit 1: loosens 2 permissions", `exit ${two.code}: ${/loosens \d+ permissions/.exec(two.report.then)?.[0] ?? two.report.then}`);
            // Negative control: the diff reads the record on the host, not the stack file. A record of the git stage there
            // makes the same stack file read as deployed.
            const recordFile = shellQuote(env.live.layout.deployedPermissions);
            const gitRecord = JSON.stringify(deployedRecord({ ...env.settings, rollout: { stage: "git" } }));
            await env.live.onHost(`cp -p ${recordFile} ${recordFile}.e2e && cat > ${recordFile}`, gitRecord);
            try {
                const read = await diff();
                assert.equal(read.report.deployedStage, "git");
                assert.equal(read.code, 0, read.report.then);
            } finally {
                await env.live.onHost(`mv ${recordFile}.e2e ${recordFile}`);
            }
        });
    });

    it("L4 `stage next` + up grants the draft stage's write; `stage back` + up restores the stage exactly (tools, config, approvals)", async () => {
        const env = envOf();
        await reopenDoor(env);
        const before = { tools: await offeredTools(env), files: await stageFiles(env) };
        await withStackCopy(env, async (file) => {
            assert.equal((await clawcage(["stage", "next", "--stack-file", file])).code, 0);
            const draft = await upFrom(env, file, env.run, log);
            try {
                const tools = await offeredTools(env);
                row("L4", "after `stage next` + up: the write tools are offered", "write offered", tools.split(",").includes("write") ? "write offered" : tools);
                assert.notEqual(await stageFiles(env), before.files);
                assert.equal((await clawcage(["stage", "back", "--stack-file", file])).code, 0);
            } finally {
                const back = await upFrom(env, file, draft, log);
                await replayUpdate(back, env.run, STAND_IN, log);
            }
        });
        row("L4", "after `stage back` + up: the tools offered are the stage's again", before.tools, await offeredTools(env));
        row("L4", "after `stage back` + up: openclaw.json, approvals and record as before, byte for byte", "identical", (await stageFiles(env)) === before.files ? "identical" : "different");
    });

    it("L4 git stage, the operator's session: an allowed form runs through the agent loop, git as a shell in disguise is refused", async () => {
        const env = envOf();
        const disguised = { command: "git -c alias.st=!id st" };
        // The rules only notify here: `git log sudo` would otherwise be refused by the guide's rule before the allowlist.
        await withSettings(env, { rollout: { stage: "git" }, ...ALERTS_NOTIFY }, log, async () => {
            const allowed = await mainSession(env, `CALL exec ${JSON.stringify({ command: "git status" })}`);
            row("L4", "main session, git stage: `git status` runs (git's own answer)", "tool exec said: fatal: not a git repository", /^tool exec said: fatal: not a git repository/.test(allowed) ? "tool exec said: fatal: not a git repository" : allowed);
            const refused = await mainSession(env, `CALL exec ${JSON.stringify(disguised)}`);
            row("L4", "main session, git stage: `git -c alias.st=!id st` refused by the form's argPattern", "exec denied: allowlist miss", /exec denied: allowlist miss/.test(refused) && !/uid=/.test(refused) ? "exec denied: allowlist miss" : refused);
            // The deny list on the arguments: `git log *` runs with a revision, and is a miss when an argument is denied.
            const outcome = async (command: string) => {
                const said = await mainSession(env, `CALL exec ${JSON.stringify({ command })}`);
                return /exec denied: allowlist miss/.test(said) ? "denied" : /not a git repository/.test(said) ? "ran" : said;
            };
            row("L4", "main session, git stage: `git log HEAD` runs, `git log sudo` is denied (the deny net on arguments)", "ran, denied", `${await outcome("git log HEAD")}, ${await outcome("git log sudo")}`);
            // Negative control: the path-only entry a bare 'git' would be lets the same command run `id`.
            const approvals = shellQuote(env.live.layout.gatewayApprovalsFile);
            const pathOnly = { version: 1, defaults: { security: "allowlist", ask: "off", askFallback: "deny", autoAllowSkills: false }, agents: { main: { security: "allowlist", ask: "off", askFallback: "deny", autoAllowSkills: false, allowlist: [{ pattern: "git" }] } } };
            await env.live.onHost(`cat > ${approvals}`, JSON.stringify(pathOnly));
            await restartGateway(env, log);
            const ran = await mainSession(env, `CALL exec ${JSON.stringify(disguised)}`);
            assert.match(ran, new RegExp(`uid=${env.settings.host.uid}`), "with a path-only git entry the disguised shell runs");
        });
    });
}
