import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LOCAL_RUN, reveal, type ProgramRun, type RecordedResource } from "../../cli/record/program";
import { runProcess, type RunResult } from "../../cli/live/process";
import { shellQuote } from "../../components/host/hostScript";
import { sshOptions } from "../../components/host/sshClient";
import { knownHostsLine, pinnedHostKey } from "../../components/host/sshHostKey";

/**
 * How the replayer reaches what the program declared, as the engine's providers would: the Docker engine
 * a resource's provider names (over SSH: the docker CLI with the provider's host and SSH options, as the
 * Docker provider runs it), host steps over SSH with the connection's pinned key, and the invokes that run
 * on the machine of `pulumi up`.
 */

const DOCKER_PROVIDER = "pulumi:providers:docker";
const DOCKER_RESOURCE = /^docker:index\//;

/** The docker CLI's environment for every Docker resource of the run: one engine, or an error. */
export function engineEnvironment(run: ProgramRun, opts: { localEngine: boolean }): Record<string, string> {
    const docker = run.resources.filter((r) => DOCKER_RESOURCE.test(r.type));
    const refs = new Set(docker.map((r) => r.provider ?? "default"));
    if (refs.size > 1) throw new Error(`replay: Docker resources on more than one engine (${[...refs].join(", ")})`);
    const [ref] = refs;
    if (ref === undefined || ref === "default") {
        if (!opts.localEngine) throw new Error(`replay: ${docker.map((r) => r.name).slice(0, 3).join(", ")}… have no Docker provider: they would be created on the engine where \`pulumi up\` runs`);
        return {};
    }
    // A provider reference is `<urn>::<id>`; the URN ends with the provider's name.
    const provider = run.resources.find((r) => r.type === DOCKER_PROVIDER && ref.startsWith(`urn:`) && ref.split("::").at(-2) === r.name);
    if (!provider) throw new Error(`replay: no recorded Docker provider for ${ref}`);
    const inputs = reveal(provider.inputs) as { host: string; sshOpts?: string };
    const sshOpts = inputs.sshOpts ? (JSON.parse(inputs.sshOpts) as string[]) : [];
    // The docker CLI runs `ssh` for an ssh:// host; this one adds the provider's options, as the provider does.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-engine-"));
    fs.writeFileSync(path.join(bin, "ssh"), `#!/bin/sh\nexec /usr/bin/ssh ${sshOpts.map(shellQuote).join(" ")} "$@"\n`, { mode: 0o755 });
    return { DOCKER_HOST: inputs.host, PATH: `${bin}:${process.env.PATH ?? ""}` };
}

/** Runs the program's invokes of a local command (the SSH preflight) on this machine, as the engine does first. */
export async function runLocalInvokes(run: ProgramRun): Promise<void> {
    for (const invoke of run.invokes.filter((i) => i.token === LOCAL_RUN)) {
        const i = reveal(invoke.inputs) as { command: string; stdin?: string; interpreter?: string[] };
        const [shell, ...flags] = i.interpreter ?? ["/bin/sh", "-c"];
        const r = await runProcess(shell, [...flags, i.command], { input: i.stdin, timeoutMs: 60_000 });
        if (r.code !== 0) throw new Error(`replay: the program's local command failed (${r.code}): ${r.stderr.trim()}`);
    }
}

interface Connection {
    host: string;
    port?: number;
    user?: string;
    privateKey?: string;
    hostKey?: string;
}

/**
 * A host step over SSH, as command.remote runs it: the command string to the remote shell, stdin piped, and
 * the host key checked against the connection's pin (none pinned: any key, as the provider does then).
 */
export async function runRemote(resource: RecordedResource, script: string, stdin?: string): Promise<RunResult> {
    const c = (reveal(resource.inputs) as { connection: Connection }).connection;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-remote-"));
    try {
        const port = c.port ?? 22;
        const identity = c.privateKey ? path.join(dir, "id") : undefined;
        if (c.privateKey && identity) fs.writeFileSync(identity, c.privateKey.endsWith("\n") ? c.privateKey : `${c.privateKey}\n`, { mode: 0o600 });
        const knownHosts = path.join(dir, "known_hosts");
        if (c.hostKey) fs.writeFileSync(knownHosts, `${knownHostsLine({ address: c.host, port }, pinnedHostKey(c.hostKey))}\n`);
        // The same options as every clawcage connection; without a pin, any key, as the command provider does then.
        const opts = ["-p", String(port), ...(c.hostKey ? sshOptions({ knownHosts, identity }) : ["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", ...(identity ? ["-i", identity] : [])])];
        return await runProcess("ssh", [...opts, `${c.user ?? "root"}@${c.host}`, "--", script], { input: stdin, timeoutMs: 300_000 });
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
