import { spawn } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "../record/program";

/** Runs the `clawcage` command as a user would, returning its exit code and output. */
export function clawcage(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [path.join(REPO_ROOT, "bin", "clawcage.js"), ...args], { cwd: REPO_ROOT });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
        child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
}
