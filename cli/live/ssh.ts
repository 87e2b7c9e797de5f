import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { sshOptions, type SshTarget } from "../../components/host/sshClient";
import { asRoot } from "../../components/host/hostScript";
import { knownHostsLine, pinnedHostKey } from "../../components/host/sshHostKey";
import { runProcess, type RunResult } from "./process";

/**
 * The operations CLI on a VPS: one OpenSSH connection with the settings' pinned host key (and no other), which
 * carries the host steps, the Docker engine's socket and, for a gateway published on the VPS's loopback, the
 * endpoint. The key is the user's own (`--identity`, or what their ssh agent and config offer).
 */
export interface SshSession {
    /** Runs a script as root on the VPS (directly, or through passwordless sudo), with its stdin. */
    onHost: (script: string, input?: string) => Promise<RunResult>;
    /** DOCKER_HOST for the VPS's engine, through the connection. */
    dockerHost: string;
    /** A local port forwarded to the VPS's `address:port`. */
    forward: (address: string, port: number) => Promise<number>;
    close: () => void;
}

async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer().listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
        server.on("error", reject);
    });
}

/** Opens the session; a host key other than the pinned one ends it before any command runs. */
export async function openSshSession(target: SshTarget, identity?: string): Promise<SshSession> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-ssh-"));
    const knownHosts = path.join(dir, "known_hosts");
    fs.writeFileSync(knownHosts, `${knownHostsLine(target, pinnedHostKey(target.hostKey))}\n`);
    const control = path.join(dir, "control");
    const socket = path.join(dir, "docker.sock");
    const common = ["-p", String(target.port), ...sshOptions({ knownHosts, identity }), "-o", `ControlPath=${control}`];
    const destination = `${target.user}@${target.address}`;
    const master = await runProcess("ssh", [...common, "-o", "ControlMaster=yes", "-o", "ExitOnForwardFailure=yes", "-f", "-N", "-L", `${socket}:/var/run/docker.sock`, destination], { timeoutMs: 60_000 });
    if (master.code !== 0) {
        fs.rmSync(dir, { recursive: true, force: true });
        const why = /host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/i.test(master.stderr)
            ? `its host key is not the one host.target.hostKey pins; nothing was run. If the server's key changed on purpose, confirm the new one on its console and update the stack file`
            : master.stderr.trim();
        throw new Error(`cannot connect to ${destination}:${target.port} over SSH: ${why}`);
    }
    const close = () => {
        spawnSync("ssh", [...common, "-O", "exit", destination], { stdio: "ignore" });
        fs.rmSync(dir, { recursive: true, force: true });
    };
    process.once("exit", close);
    return {
        onHost: (script, input) => runProcess("ssh", [...common, destination, "--", asRoot(script)], { input, timeoutMs: 120_000 }),
        dockerHost: `unix://${socket}`,
        forward: async (address, port) => {
            const local = await freePort();
            const r = await runProcess("ssh", [...common, "-O", "forward", "-L", `127.0.0.1:${local}:${address}:${port}`, destination], { timeoutMs: 30_000 });
            if (r.code !== 0) throw new Error(`cannot forward a local port to ${address}:${port} on ${target.address}: ${r.stderr.trim()}`);
            return local;
        },
        close,
    };
}
