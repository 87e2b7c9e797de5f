import { runProcess, type RunOptions, type RunResult } from "./process";

export type { RunResult } from "./process";

/** Runs the docker CLI; never throws on a non-zero exit (callers decide what failure means). */
export function docker(args: string[], opts: RunOptions = {}): Promise<RunResult> {
    return runProcess("docker", args, { timeoutMs: 600_000, ...opts });
}

/** Like docker(), but a non-zero exit is an error that quotes the command and its stderr. */
export async function dockerOk(args: string[], opts: Parameters<typeof docker>[1] = {}): Promise<string> {
    const r = await docker(args, opts);
    if (r.code !== 0) throw new Error(`docker ${args.slice(0, 3).join(" ")} … failed (${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
    return r.stdout;
}

/** Fails loudly when no engine answers: the runtime proof never skips silently. */
export async function requireEngine(): Promise<string> {
    const r = await docker(["version", "--format", "{{.Server.Version}}"], { timeoutMs: 20_000 }).catch((e: Error) => ({ code: -1, stdout: "", stderr: e.message }));
    if (r.code !== 0) {
        throw new Error(`No Docker engine is reachable (${r.stderr.trim()}). Start one (e.g. \`dockerd &\`) or set DOCKER_HOST; .ci/run installs and starts Debian's docker.io.`);
    }
    return r.stdout.trim();
}

/** Runs a command in a container as the given user and returns its result. */
export function exec(container: string, command: string[], opts: { user?: string; input?: string } = {}): Promise<RunResult> {
    return docker(["exec", "-i", ...(opts.user ? ["-u", opts.user] : []), container, ...command], { input: opts.input, timeoutMs: 120_000 });
}
