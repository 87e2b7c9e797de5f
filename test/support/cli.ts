import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "../../cli/record/program";

/** What a `clawcage` run left: its exit code and what it printed. */
export interface CliRun {
    code: number | null;
    stdout: string;
    stderr: string;
    /** stdout then stderr, for assertion messages. */
    out: string;
}

/** The command line of the CLI from source, as `npm run check` runs it in a checkout (ts-node, no build). */
export const FROM_SOURCE: readonly string[] = [process.execPath, require.resolve("ts-node/dist/bin"), "--transpile-only", path.join(REPO_ROOT, "cli", "main.ts")];

/** Runs one clawcage command line in its own process, as a user's shell does, from `cwd`. */
export function runCli(command: readonly string[], args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): CliRun {
    const [program, ...rest] = command;
    const result = spawnSync(program, [...rest, ...args], { cwd, env, encoding: "utf8" });
    if (result.error) throw result.error;
    return { code: result.status, stdout: result.stdout, stderr: result.stderr, out: `${result.stdout}${result.stderr}` };
}
