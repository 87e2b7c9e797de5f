import * as path from "node:path";
import { REPO_ROOT } from "../../cli/record/program";
import { runProcess, type RunResult } from "../../cli/live/process";

/** Runs the `clawcage` command as a user would, returning its exit code and output. */
export function clawcage(args: string[], env?: Record<string, string>): Promise<RunResult> {
    return runProcess(process.execPath, [path.join(REPO_ROOT, "bin", "clawcage.js"), ...args], { cwd: REPO_ROOT, env });
}

/** The JSON report a `clawcage ... --json` run printed; when it printed none, an error with its exit code and stderr. */
export function jsonReport<T>(r: RunResult): T {
    try {
        return JSON.parse(r.stdout) as T;
    } catch {
        throw new Error(`clawcage printed no JSON report (exit ${r.code}); stdout: ${r.stdout.slice(-500) || "(empty)"}; stderr: ${r.stderr.slice(-2000) || "(empty)"}`);
    }
}
