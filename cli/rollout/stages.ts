import { diffPermissions, loosensTooMuch, type PermissionDiff } from "../../policy/api";
import { ROLLOUT_STAGES } from "../../components/settings/constants";
import type { DeploymentSettings, RolloutStage } from "../../components/settings/schema";
import { effectiveToolPolicy } from "../../components/gateway/toolPolicy";
import { permissionsOf, type DeployedRecord } from "../../components/rollout/permissions";
import { adjacentStage, STAGE_PRESETS } from "../../components/rollout/stages";
import { editStackSetting, readStackSettings } from "../stackFile";

/**
 * The staged rollout from the command line: what each stage grants this stack, one step forward or back
 * in the stack file, and what a change loosens compared with what is deployed.
 */

/** Refused by the one-loosening guard; the message names each permission. Exit 1. */
export class LooseningRefused extends Error {}

export interface StageView {
    stage: RolloutStage;
    week: number;
    current: boolean;
    adds: string;
    tools: string[];
    writablePaths: string[];
    execForms: string[];
}

/** Every stage as it would be for this stack (its own lists, clamped by each stage). */
export function stageViews(s: DeploymentSettings): StageView[] {
    return ROLLOUT_STAGES.map((stage) => {
        const policy = effectiveToolPolicy({ ...s, rollout: { stage } });
        return {
            stage,
            week: STAGE_PRESETS[stage].week,
            current: stage === s.rollout.stage,
            adds: STAGE_PRESETS[stage].adds,
            tools: policy.usable,
            writablePaths: policy.writablePaths,
            execForms: policy.execForms,
        };
    });
}

export interface StageStep {
    from: RolloutStage;
    to: RolloutStage;
    diff: PermissionDiff;
}

/**
 * Moves the stack file one stage forward or back, keeping its comments. Forward is refused when it loosens
 * more than one permission (a stack whose own lists make a step bigger) unless allowed; back always goes.
 */
export function stepStage(file: string, step: 1 | -1, allowMultiple = false): StageStep {
    const before = readStackSettings(file);
    const to = adjacentStage(before.rollout.stage, step);
    if (!to) throw new RangeError(`${file} is at '${before.rollout.stage}', the ${step === 1 ? "last" : "first"} stage: there is no ${step === 1 ? "next" : "previous"} one`);
    const diff = diffPermissions(permissionsOf(before), permissionsOf({ ...before, rollout: { stage: to } }));
    const refusal = step === 1 && !allowMultiple ? loosensTooMuch(diff, "pass --allow-multiple") : undefined;
    if (refusal) throw new LooseningRefused(`${before.rollout.stage} → ${to} refused, nothing written: ${refusal}`);
    editStackSetting(file, ["rollout", "stage"], to);
    return { from: before.rollout.stage, to, diff };
}

/** What the stack file would change compared with what the deployment recorded as in force. */
export function diffWithDeployed(deployed: DeployedRecord, s: DeploymentSettings): StageStep {
    return { from: deployed.stage, to: s.rollout.stage, diff: diffPermissions(deployed.permissions, permissionsOf(s)) };
}

/** The diff as table rows: change, layer, permission, risk. */
export function diffRows(diff: PermissionDiff): string[][] {
    return [
        ...diff.added.map((p) => ["+", p.layer, [p.what, ...p.detail].join(": "), p.risk]),
        ...diff.changed.map((c) => ["~", c.permission.layer, `${c.permission.what}: ${[...c.added.map((d) => `+${d}`), ...c.removed.map((d) => `-${d}`)].join(", ")}`, c.permission.risk]),
        ...diff.removed.map((p) => ["-", p.layer, p.what, "taken back"]),
    ].sort((a, b) => a[1].localeCompare(b[1]));
}
