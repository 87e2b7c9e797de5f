import * as fs from "node:fs";
import * as path from "node:path";
import { Command } from "commander";
import { policies } from "../../policy/api";
import { REPO_ROOT, runStackConfig, stackConfig, stackFileConfig, type ProgramRun } from "../record/program";
import { SettingsError } from "../../components/settings/parse";
import { renderChecklist } from "./report";
import { blocking, evaluatePack, type PackConfig } from "./evaluate";
import { inputsOfRun } from "./policyInputs";
import { renderTable } from "../table";

/**
 * `npm run check -- --stack dev`: the policy pack over what the program would deploy, without the
 * Pulumi CLI. Exit 0: no mandatory violation; 1: a mandatory violation; 2: the settings are refused
 * (nothing would be deployed) or the arguments are wrong.
 */
export const EXIT_OK = 0;
export const EXIT_VIOLATION = 1;
export const EXIT_INVALID = 2;

interface Options {
    stack: string;
    stackFile?: string;
    policyConfig?: string;
}

async function main(argv: string[]): Promise<number> {
    const program = new Command()
        .name("check")
        .description("Check a clawcage stack against the OpenClaw pre-deploy checklist (policy pack clawcage-openclaw) without the Pulumi CLI.")
        .option("-s, --stack <name>", "stack whose stacks/Pulumi.<name>.yaml to check", "dev")
        .option("-f, --stack-file <path>", "check this Pulumi.<stack>.yaml instead of the committed one")
        .option("-c, --policy-config <path>", "policy pack config JSON, as for `pulumi preview --policy-pack-config`")
        .exitOverride();
    try {
        program.parse(argv);
    } catch {
        return EXIT_INVALID;
    }
    const options = program.opts<Options>();
    const config = options.stackFile ? stackFileConfig(path.resolve(options.stackFile)) : stackConfig(options.stack);
    const packConfig = options.policyConfig ? (JSON.parse(fs.readFileSync(options.policyConfig, "utf8")) as PackConfig) : {};
    const label = options.stackFile ? path.relative(REPO_ROOT, path.resolve(options.stackFile)) : `stacks/Pulumi.${options.stack}.yaml`;

    let run: ProgramRun;
    try {
        run = await runStackConfig(config);
    } catch (e) {
        if (!(e instanceof SettingsError)) throw e;
        console.log(`${label}: the settings are refused, so nothing would be deployed.\n`);
        console.log(renderTable([{ title: "setting", width: 60 }, { title: "status", width: 8 }], e.problems.map((p) => [p, "FAIL"])));
        return EXIT_INVALID;
    }
    const results = await evaluatePack(policies, inputsOfRun(run, options.stack), options.stack, packConfig);
    console.log(`${label}: settings valid; policy pack clawcage-openclaw over ${run.resources.length} recorded resources.\n`);
    console.log(renderChecklist(results));
    const failed = blocking(results);
    const advisories = results.filter((r) => r.status === "fail").length - failed.length;
    console.log(`\n${failed.length} mandatory violation(s), ${advisories} advisory finding(s).`);
    return failed.length > 0 ? EXIT_VIOLATION : EXIT_OK;
}

main(process.argv).then(
    (code) => process.exit(code),
    (e: unknown) => {
        console.error(e instanceof Error ? e.message : e);
        process.exit(EXIT_INVALID);
    },
);
