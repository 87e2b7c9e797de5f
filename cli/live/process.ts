import { spawn } from "node:child_process";

export interface RunResult {
    code: number;
    stdout: string;
    stderr: string;
}

export interface RunOptions {
    input?: string;
    cwd?: string;
    /** Variables added to this process's environment for the child (secrets go here, never in argv). */
    env?: Record<string, string>;
    timeoutMs?: number;
    /** Called with every non-empty output line, for progress. */
    onOutput?: (line: string) => void;
}

/** Runs a program to completion and collects its output; never throws on a non-zero exit. */
export function runProcess(command: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ? { ...process.env, ...opts.env } : undefined, stdio: ["pipe", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        const timer = opts.timeoutMs ? setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs) : undefined;
        const collect = (into: "stdout" | "stderr") => (chunk: Buffer) => {
            const text = chunk.toString();
            if (into === "stdout") stdout += text;
            else stderr += text;
            if (opts.onOutput) for (const line of text.split("\n")) if (line.trim()) opts.onOutput(line);
        };
        child.stdout.on("data", collect("stdout"));
        child.stderr.on("data", collect("stderr"));
        child.on("error", reject);
        child.on("close", (code) => {
            if (timer) clearTimeout(timer);
            resolve({ code: code ?? -1, stdout, stderr });
        });
        // A child that exits without reading its input closes the pipe: that is its answer (exit code and
        // output), not a reason to crash this process with an unhandled EPIPE.
        child.stdin.on("error", () => undefined);
        child.stdin.end(opts.input ?? "");
    });
}
