import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { evaluatePack } from "../cli/check/evaluate";
import { inputsOfRun } from "../cli/check/policyInputs";
import { runProgram, runStackConfig, stackConfig, type ProgramRun } from "../cli/record/program";
import { policies } from "../policy/policies";
import { median, writeResults } from "./results";

/**
 * What clawcage's program costs to evaluate as a stack grows, under Pulumi's mock runtime (no engine: what a preview
 * spends in the program itself): 1, 10 and 100 deployments of the dev stack's settings in one program, against a
 * baseline program that declares the same resources directly. Then the policy pack over the first of those
 * recordings to pass 1,000 resources.
 */

type Log = (line: string) => void;

const COUNTS = [1, 10, 100];
const RUNS = 3;
const POLICY_RESOURCES = 1000;
const GATEWAYS_PROGRAM = path.join(__dirname, "scale", "gateways.ts");
const RAW_PROGRAM = path.join(__dirname, "scale", "raw.ts");

async function timed<T>(body: () => Promise<T>): Promise<{ ms: number; value: T }> {
    const start = process.hrtime.bigint();
    const value = await body();
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

const recordGateways = (gateways: number): Promise<ProgramRun> => runStackConfig({ ...stackConfig("dev"), "bench:gateways": gateways }, undefined, GATEWAYS_PROGRAM);

export interface ScaleRow {
    gateways: number;
    resources: number;
    clawcageMs: number[];
    baselineMs: number[];
}

export interface PolicyRun {
    gateways: number;
    resources: number;
    policies: number;
    ms: number[];
}

async function scaleRow(gateways: number, scratch: string, log: Log): Promise<ScaleRow> {
    const row: ScaleRow = { gateways, resources: 0, clawcageMs: [], baselineMs: [] };
    for (let i = 0; i < RUNS; i++) {
        const clawcage = await timed(() => recordGateways(gateways));
        const file = path.join(scratch, `resources-${gateways}.json`);
        fs.writeFileSync(file, JSON.stringify(clawcage.value.resources));
        const baseline = await timed(() => runProgram({ "bench:resources": file }, [], undefined, RAW_PROGRAM));
        // The baseline counts only if it declared what the program did (the engine adds no resource under mocks).
        if (baseline.value.resources.length !== clawcage.value.resources.length) {
            throw new Error(`the baseline declared ${baseline.value.resources.length} resources, the program ${clawcage.value.resources.length}`);
        }
        row.resources = clawcage.value.resources.length;
        row.clawcageMs.push(clawcage.ms);
        row.baselineMs.push(baseline.ms);
        log(`  ${gateways} gateway(s), ${row.resources} resources: program ${Math.round(clawcage.ms)} ms, baseline ${Math.round(baseline.ms)} ms`);
    }
    return row;
}

async function policyRun(log: Log): Promise<PolicyRun> {
    const perGateway = (await recordGateways(1)).resources.length;
    const gateways = Math.ceil(POLICY_RESOURCES / perGateway);
    const inputs = inputsOfRun(await recordGateways(gateways), "bench");
    const run: PolicyRun = { gateways, resources: inputs.length, policies: policies.length, ms: [] };
    for (let i = 0; i < RUNS; i++) {
        const { ms, value } = await timed(() => evaluatePack(policies, inputs, "bench"));
        if (value.length !== policies.length) throw new Error(`the pack ran ${value.length} of ${policies.length} policies`);
        run.ms.push(ms);
        log(`  the pack's ${policies.length} policies over ${inputs.length} resources: ${Math.round(ms)} ms`);
    }
    return run;
}

export async function benchScale(log: Log): Promise<{ rows: ScaleRow[]; policy: PolicyRun }> {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-scale-"));
    try {
        // A first run loads every module: the timed ones then compare evaluation, not loading.
        await recordGateways(1);
        const rows: ScaleRow[] = [];
        for (const n of COUNTS) rows.push(await scaleRow(n, scratch, log));
        const policy = await policyRun(log);
        writeResults("scale", { rows, policy }, scaleTable(rows, policy));
        log(scaleTable(rows, policy));
        return { rows, policy };
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}

/** The results as the README shows them: medians, the ratio to the baseline, and each gateway's share. */
export function scaleTable(rows: ScaleRow[], policy: PolicyRun): string {
    const ms = (x: number) => `${Math.round(x)} ms`;
    return [
        `| gateways (resources) | program, median of ${RUNS} | baseline, same resources | program / baseline | program per gateway |`,
        "|---|---|---|---|---|",
        ...rows.map((r) => {
            const [p, b] = [median(r.clawcageMs), median(r.baselineMs)];
            return `| ${r.gateways} (${r.resources}) | ${ms(p)} | ${ms(b)} | ${(p / b).toFixed(2)}x | ${ms(p / r.gateways)} |`;
        }),
        "",
        `The policy pack's ${policy.policies} policies over ${policy.resources} resources (${policy.gateways} gateways): ${ms(median(policy.ms))}, median of ${policy.ms.length}.`,
        "",
    ].join("\n");
}
