import * as path from "node:path";
import { oneLooseningAtATime, policies } from "../../policy/api";
import { runStackConfig, stackFileConfig, type ProgramRun } from "../record/program";
import { renderChecklist } from "./report";
import { blocking, evaluatePack, type PolicyResult } from "./evaluate";
import { inputsOfRun } from "./policyInputs";
import { readPackConfig } from "./packConfig";
import { renderTable } from "../table";
import { stackFilePath, stackNameOf } from "../stackFile";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from "../exitCodes";

/**
 * `clawcage check --stack dev`: the policy pack over what the program would deploy, without the Pulumi
 * CLI. Exit 0: no mandatory violation; 1: a mandatory violation; 2: the settings are refused (nothing
 * would be deployed), the stack or the pack config is missing or wrong. Advisory findings never change
 * the exit code, as under `pulumi preview`.
 */
export interface CheckOptions {
    stack: string;
    stackFile?: string;
    policyConfig?: string;
    /** The stack file as last deployed: the program reads its permissions as its previous outputs. */
    previous?: string;
    allowMultiple?: boolean;
    json?: boolean;
}

/**
 * runProgram re-requires the components for each run, so a SettingsError thrown by the program is an
 * instance of a fresh copy of the class, never of the one imported here: it is recognised by name.
 */
function refusedSettings(e: unknown): string[] | undefined {
    if (!(e instanceof Error) || e.name !== "SettingsError") return undefined;
    const problems: unknown = (e as Error & { problems?: unknown }).problems;
    return Array.isArray(problems) ? problems.map(String) : undefined;
}

const asJson = (result: PolicyResult) => ({
    policy: result.policy.name,
    level: result.level,
    status: result.status,
    violations: result.violations,
    notes: result.notes,
    notApplicable: result.notApplicable,
});

export async function check(options: CheckOptions): Promise<number> {
    const file = stackFilePath(options);
    const stack = stackNameOf(file) ?? options.stack;
    // Named as the user would type it: relative to the working folder when inside it.
    const relative = path.relative(process.cwd(), file);
    const label = relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
    const packConfig = options.policyConfig ? readPackConfig(options.policyConfig, policies.map((p) => p.name)) : {};
    if (options.allowMultiple) {
        // The flag is the guard's own config property, as `pulumi preview --policy-pack-config` would pass it.
        const entry = packConfig[oneLooseningAtATime.name];
        packConfig[oneLooseningAtATime.name] = { ...(typeof entry === "string" ? { enforcementLevel: entry } : entry), allowMultiple: true };
    }

    let run: ProgramRun;
    try {
        const previous = options.previous ? await runStackConfig(stackFileConfig(options.previous)) : undefined;
        run = await runStackConfig(stackFileConfig(file), previous);
    } catch (e) {
        const problems = refusedSettings(e);
        if (!problems) throw e;
        if (options.json) console.log(JSON.stringify({ ok: false, stackFile: label, refused: problems }, null, 2));
        else {
            console.log(`${label}: the settings are refused, so nothing would be deployed.\n`);
            console.log(renderTable([{ title: "setting", width: 60 }, { title: "status", width: 8 }], problems.map((p) => [p, "FAIL"])));
        }
        return EXIT_USAGE;
    }
    const results = await evaluatePack(policies, inputsOfRun(run, stack), stack, packConfig);
    const failed = blocking(results);
    const advisories = results.filter((r) => r.status === "fail").length - failed.length;
    if (options.json) {
        const summary = { ok: failed.length === 0, stackFile: label, resources: run.resources.length, mandatoryViolations: failed.length, advisoryFindings: advisories };
        console.log(JSON.stringify({ ...summary, results: results.map(asJson) }, null, 2));
    } else {
        console.log(`${label}: settings valid; policy pack clawcage-openclaw over ${run.resources.length} recorded resources.\n`);
        console.log(renderChecklist(results));
        console.log(`\n${failed.length} mandatory violation(s), ${advisories} advisory finding(s).`);
    }
    return failed.length > 0 ? EXIT_FAILED : EXIT_OK;
}
