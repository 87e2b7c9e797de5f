import { DRAFTS_PATH, ROLLOUT_STAGES } from "../settings/constants";
import type { DeploymentSettings, RolloutStage } from "../settings/schema";

/**
 * The guide's staged rollout as presets, one permission per step: week 1 observes, week 2 writes drafts,
 * week 3 reads git history, week 4 runs the tests. A stage fills in the writable paths and exec forms a stack
 * does not list itself, and clamps what a stack lists: nothing is writable before draft, nothing runs
 * before git. So `clawcage stage back` alone takes back the last step, whatever the stack lists.
 */

export interface StagePreset {
    week: number;
    /** What the stage adds to the one before, in a line. */
    adds: string;
    /** Writable paths when the stack lists none (filesystem.writablePaths). */
    writablePaths: string[];
    /** Exec forms when the stack lists none (tools.exec.allowCommands). */
    execForms: string[];
    /** From this stage on, what the stack lists of each kind is granted. */
    writes: boolean;
    exec: boolean;
}

const GIT_READ_FORMS = ["git status", "git log *", "git diff *", "git show *"];

export const STAGE_PRESETS: Record<RolloutStage, StagePreset> = {
    observe: { week: 1, adds: "reads the workspace and searches the web; writes nothing, runs nothing", writablePaths: [], execForms: [], writes: false, exec: false },
    draft: { week: 2, adds: `writes into ${DRAFTS_PATH}`, writablePaths: [DRAFTS_PATH], execForms: [], writes: true, exec: false },
    git: { week: 3, adds: "runs git's history and status forms", writablePaths: [DRAFTS_PATH], execForms: GIT_READ_FORMS, writes: true, exec: true },
    build: { week: 4, adds: "runs the project's tests (npm test)", writablePaths: [DRAFTS_PATH], execForms: [...GIT_READ_FORMS, "npm test"], writes: true, exec: true },
};

/** The stage after or before this one; undefined past either end. */
export function adjacentStage(stage: RolloutStage, step: 1 | -1): RolloutStage | undefined {
    return ROLLOUT_STAGES[ROLLOUT_STAGES.indexOf(stage) + step];
}

/** What a stage grants of the stage-governed permissions, given what the stack lists. */
export interface StageGrants {
    writablePaths: string[];
    execForms: string[];
}

export function stageGrants(s: DeploymentSettings, stage: RolloutStage = s.rollout.stage): StageGrants {
    const preset = STAGE_PRESETS[stage];
    const exec = preset.exec && (s.tools.exec.enabled ?? true);
    return {
        writablePaths: preset.writes ? (s.filesystem.writablePaths ?? preset.writablePaths) : [],
        execForms: exec ? (s.tools.exec.allowCommands ?? preset.execForms) : [],
    };
}
