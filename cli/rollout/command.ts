import type { Command } from "commander";
import { loosensTooMuch, readPermissions } from "../../policy/api";
import { ROLLOUT_STAGES } from "../../components/settings/constants";
import type { RolloutStage } from "../../components/settings/schema";
import type { DeployedRecord } from "../../components/rollout/permissions";
import { shellQuote } from "../../components/host/hostScript";
import { renderTable } from "../table";
import { readStackSettings, stackFilePath, stackNameOf } from "../stackFile";
import { EXIT_FAILED, EXIT_OK } from "../exitCodes";
import type { LiveDeployment } from "../verify/check";
import { diffRows, diffWithDeployed, stageViews, stepStage, type StageStep } from "./stages";

/**
 * `clawcage stage show|next|back` and `clawcage diff`: the guide's staged rollout, one permission per step,
 * each step shown before it is deployed.
 */

export interface StageOptions {
    stack: string;
    stackFile?: string;
    allowMultiple?: boolean;
    json?: boolean;
}

const DIFF_COLUMNS = [{ title: "", width: 1 }, { title: "layer", width: 5 }, { title: "permission", width: 50 }, { title: "risk", width: 60 }];

function printStep(o: StageOptions, file: string, step: StageStep, then: string): void {
    if (o.json) {
        console.log(JSON.stringify({ ok: true, stackFile: file, from: step.from, to: step.to, diff: step.diff, then }, null, 2));
        return;
    }
    console.log(`rollout.stage: ${step.from} → ${step.to} in ${file}`);
    const rows = diffRows(step.diff);
    console.log(rows.length > 0 ? renderTable(DIFF_COLUMNS, rows) : "(no permission changes)");
    console.log(then);
}

const upHint = (file: string) => `Now run \`pulumi up --stack ${stackNameOf(file) ?? "<stack>"}\`, and watch the change for a day (the guide) before the next step; \`clawcage stage back\` takes it back.`;

export function showStages(o: StageOptions): number {
    const views = stageViews(readStackSettings(stackFilePath(o)));
    if (o.json) console.log(JSON.stringify({ stages: views }, null, 2));
    else {
        const rows = views.map((v) => [`${v.current ? "→ " : ""}${v.stage} (week ${v.week})`, v.adds, v.tools.join(", "), v.writablePaths.join(", ") || "none", v.execForms.join(", ") || "none"]);
        console.log(renderTable([{ title: "stage", width: 20 }, { title: "adds", width: 30 }, { title: "tools", width: 30 }, { title: "writable paths", width: 28 }, { title: "exec forms", width: 28 }], rows));
    }
    return EXIT_OK;
}

export function moveStage(o: StageOptions, step: 1 | -1): number {
    const file = stackFilePath(o);
    printStep(o, file, stepStage(file, step, o.allowMultiple), upHint(file));
    return EXIT_OK;
}

/** The permissions the deployment recorded as in force, read from its host. */
export async function readDeployedRecord(live: LiveDeployment): Promise<DeployedRecord> {
    const file = live.layout.deployedPermissions;
    const read = await live.onHost(`cat ${shellQuote(file)}`);
    if (read.code !== 0) throw new Error(`cannot read ${file} on the deployment's host (${read.stderr.trim() || `exit ${read.code}`}): is it deployed, and do you run as root or a sudoer there?`);
    let parsed: { stage?: unknown; permissions?: unknown };
    try {
        parsed = JSON.parse(read.stdout) as { stage?: unknown; permissions?: unknown };
    } catch (e) {
        throw new Error(`${file} is not JSON (${(e as Error).message}); run \`pulumi up\` to write it again`);
    }
    const permissions = readPermissions(parsed.permissions);
    const stage = (ROLLOUT_STAGES as readonly unknown[]).includes(parsed.stage) ? (parsed.stage as RolloutStage) : undefined;
    if (!permissions || !stage) throw new Error(`${file} holds no stage and permission list; run \`pulumi up\` to write it again`);
    return { stage, permissions };
}

export async function diffCommand(o: StageOptions, live: LiveDeployment): Promise<number> {
    const file = stackFilePath(o);
    const step = diffWithDeployed(await readDeployedRecord(live), readStackSettings(file));
    const refusal = o.allowMultiple ? undefined : loosensTooMuch(step.diff, "pass allowMultiple in the policy pack config for that one preview");
    const then = refusal ? `The next \`pulumi up\` would be stopped at preview (policy one-loosening-at-a-time): ${refusal}` : upHint(file);
    if (o.json) console.log(JSON.stringify({ ok: !refusal, stackFile: file, deployedStage: step.from, stackStage: step.to, diff: step.diff, then }, null, 2));
    else {
        console.log(`deployed: ${step.from}; ${file}: ${step.to}`);
        const rows = diffRows(step.diff);
        console.log(rows.length > 0 ? renderTable(DIFF_COLUMNS, rows) : "(the stack file grants what is deployed)");
        console.log(then);
    }
    return refusal ? EXIT_FAILED : EXIT_OK;
}

/** Registers `stage` (show, next, back): stack-file commands, so they take the stack options alone (no deployment is reached). */
export function stageCommands(program: Command, setCode: (code: number) => void): void {
    const stage = program.command("stage").description("The guide's staged rollout: observe, draft, git, build; one permission per step.");
    const file = (c: Command) => c.option("-s, --stack <name>", "the stack whose stacks/Pulumi.<name>.yaml to read or edit", "dev").option("-f, --stack-file <path>", "a Pulumi.<stack>.yaml outside stacks/").option("--json", "print JSON instead of a table");
    file(stage.command("show").description("What each stage grants this stack: tools, writable paths, exec forms.")).action((o: StageOptions) => setCode(showStages(o)));
    file(stage.command("next").description("Edit the stack file to the next stage (keeping its comments) and show what it loosens."))
        .option("--allow-multiple", "accept a step that loosens more than one permission")
        .action((o: StageOptions) => setCode(moveStage(o, 1)));
    file(stage.command("back").description("Edit the stack file to the previous stage: the way back, always allowed.")).action((o: StageOptions) => setCode(moveStage(o, -1)));
}
