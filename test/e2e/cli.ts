import * as path from "node:path";
import { REPO_ROOT } from "../../cli/record/program";
import { runProcess, type RunResult } from "../../cli/live/process";

/** Runs the `clawcage` command as a user would, returning its exit code and output. */
export function clawcage(args: string[], env?: Record<string, string>): Promise<RunResult> {
    return runProcess(process.execPath, [path.join(REPO_ROOT, "bin", "clawcage.js"), ...args], { cwd: REPO_ROOT, env });
}
