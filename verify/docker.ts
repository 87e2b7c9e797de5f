import { spawn } from "node:child_process";

export interface RunResult {
    code: number;
    stdout: string;
    stderr: string;
}

/** Runs the docker CLI; never throws on a non-zero exit (callers decide what failure means). */
export function docker(args: string[], opts: { input?: string; timeoutMs?: number; onOutput?: (line: string) => void } = {}): Promise<RunResult> {
    return new Promise((resolve, reject) => {
        const child = spawn("docker", args, { stdio: ["pipe", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 600_000);
        const forward = (chunk: Buffer) => {
            if (opts.onOutput) for (const line of chunk.toString().split("\n")) if (line.trim()) opts.onOutput(line);
        };
        child.stdout.on("data", (c: Buffer) => {
            stdout += c.toString();
            forward(c);
        });
        child.stderr.on("data", (c: Buffer) => {
            stderr += c.toString();
            forward(c);
        });
        child.on("error", reject);
        child.on("close", (code) => {
            clearTimeout(timer);
            resolve({ code: code ?? -1, stdout, stderr });
        });
        child.stdin.end(opts.input ?? "");
    });
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
