import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { docker, dockerOk, exec } from "../../cli/live/docker";
import { runProcess } from "../../cli/live/process";

/**
 * The stand-in VPS of the runtime proof: Debian's OpenSSH server in a container of the harness, listening on a
 * loopback port of the engine's host, in that host's network namespace (its firewall is the VPS's firewall),
 * with the engine's socket and the host's /tmp (which holds the deployment's folder). The deployment reaches it only over SSH: the harness
 * makes a key pair, authorises the public half, and pins the host key it reads on the VPS's own "console"
 * (docker exec), never from the network.
 */

export const VPS_CONTAINER = "clawcage-e2e-host";
export const VPS_PORT = 28722;

export interface Vps {
    /** The private key the deployment and the CLI log in with. */
    identity: string;
    /** The host key line, read on the VPS itself. */
    hostKey: string;
    /** The e2e stack file retargeted at the VPS (what a user's Pulumi.prod.yaml is). */
    stackFile: string;
}

type Log = (line: string) => void;

async function vpsImage(debian: string, log: Log): Promise<string> {
    const dir = path.join(__dirname, "images", "vps");
    const dockerfile = fs.readFileSync(path.join(dir, "Dockerfile"), "utf8");
    const tag = `clawcage-e2e/vps:${crypto.createHash("sha256").update(dockerfile).update(debian).digest("hex").slice(0, 12)}`;
    if ((await docker(["image", "inspect", tag])).code !== 0) {
        log(`building ${tag} (openssh-server, iptables)`);
        await dockerOk(["build", "-q", "--build-arg", `BASE_IMAGE=${debian}`, "-t", tag, dir], { timeoutMs: 600_000 });
    }
    return tag;
}

/** The stack file with its host target replaced by the VPS, comments kept. */
export function retargetedStackFile(source: string, dest: string, hostKey: string): void {
    const doc = parseDocument(fs.readFileSync(source, "utf8"));
    doc.setIn(["config", "clawcage:settings", "host", "target"], { kind: "ssh", address: "127.0.0.1", port: VPS_PORT, user: "root", hostKey });
    fs.writeFileSync(dest, doc.toString());
}

/** Starts the VPS (the caller removes VPS_CONTAINER at teardown) and waits until sshd answers. */
export async function startVps(debian: string, shared: string, stackFile: string, log: Log): Promise<Vps> {
    if (!shared.startsWith("/tmp/")) throw new Error(`the VPS stand-in shares /tmp with the engine's host: put the e2e deployment root under /tmp (it is ${shared})`);
    const dir = path.join(shared, "vps");
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const identity = path.join(dir, "id");
    fs.rmSync(identity, { force: true });
    fs.rmSync(`${identity}.pub`, { force: true });
    const keygen = await runProcess("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "clawcage-e2e", "-f", identity]);
    if (keygen.code !== 0) throw new Error(`ssh-keygen failed: ${keygen.stderr}`);
    const dockerCli = (await runProcess("bash", ["-c", "command -v docker"])).stdout.trim();
    await docker(["rm", "-f", VPS_CONTAINER]);
    await dockerOk([
        "run", "-d", "--name", VPS_CONTAINER,
        // The VPS's own network and firewall are the engine host's: its root may change the firewall (a VM's root
        // owns both); sshd needs nothing more than Docker's default capabilities.
        "--network", "host", "--cap-add", "NET_ADMIN", "--cap-add", "NET_RAW",
        "-v", "/var/run/docker.sock:/var/run/docker.sock",
        "-v", `${dockerCli}:/usr/local/bin/docker:ro`,
        // A VPS's /tmp is its engine's /tmp (clients' config folders are made there and mounted); the deployment folder is under it.
        "-v", "/tmp:/tmp",
        "-v", `${identity}.pub:/root/.ssh/authorized_keys:ro`,
        await vpsImage(debian, log),
        "bash", "-c", `ssh-keygen -A && exec /usr/sbin/sshd -D -e -p ${VPS_PORT} -o ListenAddress=127.0.0.1 -o PermitRootLogin=prohibit-password -o PasswordAuthentication=no`,
    ]);
    for (let i = 0; i < 30; i++) {
        if ((await runProcess("ssh-keyscan", ["-T", "2", "-p", String(VPS_PORT), "127.0.0.1"])).stdout.includes("ssh-ed25519")) break;
        await new Promise((r) => setTimeout(r, 500));
    }
    const hostKey = (await exec(VPS_CONTAINER, ["cat", "/etc/ssh/ssh_host_ed25519_key.pub"])).stdout.trim().split(" ").slice(0, 2).join(" ");
    if (!hostKey.startsWith("ssh-ed25519 ")) throw new Error(`the VPS stand-in has no ed25519 host key: ${hostKey}`);
    const retargeted = path.join(dir, "Pulumi.e2e.yaml");
    retargetedStackFile(stackFile, retargeted, hostKey);
    log(`VPS stand-in: sshd on 127.0.0.1:${VPS_PORT}, host key pinned from its console`);
    return { identity, hostKey, stackFile: retargeted };
}

/** The `clawcage` arguments that reach the VPS deployment, as a user's would: their stack file and key. */
export const vpsTarget = (vps: Vps, stackFile = vps.stackFile): string[] => ["--stack-file", stackFile, "--identity", vps.identity];
