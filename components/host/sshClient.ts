import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import type { DeploymentSettings } from "../settings/schema";
import { shellQuote } from "./hostScript";
import { hostKeyFingerprint, HOST_KEY_HOW, knownHostsLine, pinnedHostKey } from "./sshHostKey";

export type SshTarget = Extract<DeploymentSettings["host"]["target"], { kind: "ssh" }>;

/**
 * The client side of the VPS connection, on the machine that runs `pulumi up`: the files OpenSSH reads (the
 * pinned known_hosts line and the private key from secret config) in a folder of the user's own, per target.
 * Only paths appear in the provider's settings and in state; the key is a 0600 file, like ~/.ssh/id_ed25519.
 */
export interface SshClientFiles {
    dir: string;
    knownHosts: string;
    identity: string;
}

export function sshClientFiles(target: SshTarget, home: string = os.homedir()): SshClientFiles {
    const dir = path.join(home, ".clawcage", "ssh", `${target.user}@${target.address}-${target.port}`);
    return { dir, knownHosts: path.join(dir, "known_hosts"), identity: path.join(dir, "id") };
}

/**
 * The OpenSSH options of every connection to the target: the pinned key and no other, never a prompt, and,
 * given an identity file, that key and no agent's (the CLI may leave the choice to the user's agent).
 */
export function sshOptions(files: { knownHosts: string; identity?: string }): string[] {
    return [
        "-o", "StrictHostKeyChecking=yes",
        "-o", `UserKnownHostsFile=${files.knownHosts}`,
        "-o", "GlobalKnownHostsFile=/dev/null",
        "-o", "BatchMode=yes",
        ...(files.identity ? ["-o", "IdentitiesOnly=yes", "-i", files.identity] : []),
    ];
}

/** The Docker engine address of the target, as the Docker provider and CLI take it. */
export const sshDockerHost = (t: SshTarget): string => `ssh://${t.user}@${t.address.includes(":") ? `[${t.address}]` : t.address}:${t.port}`;

/**
 * Writes the client files (the key arrives on stdin) and compares the key the host offers now with the pin,
 * so a changed key stops the deployment with a message that says what to do, before any connection is made
 * with credentials. The scan itself proves nothing (it is unauthenticated): each later connection checks
 * the pin again on its own, so an impostor that passed the scan gets no command either.
 */
export function renderSshPreflightScript(target: SshTarget, files: SshClientFiles): string {
    const key = pinnedHostKey(target.hostKey);
    const where = `${target.address}:${target.port}`;
    const changed = [
        `The SSH host key of ${where} is now $seen_fp, but host.target.hostKey pins ${hostKeyFingerprint(key)}.`,
        "Nothing was deployed. If you replaced the server or its keys yourself, confirm the new key before you trust it:",
        `${HOST_KEY_HOW}; then put the new line in host.target.hostKey. If you did not, someone may be in the middle: stop here.`,
    ].join("\n");
    return [
        "set -euo pipefail",
        "umask 077",
        `install -d -m 700 ${shellQuote(files.dir)}`,
        `printf '%s\\n' ${shellQuote(knownHostsLine(target, key))} > ${shellQuote(files.knownHosts)}`,
        `cat > ${shellQuote(`${files.identity}.new`)} && mv -f ${shellQuote(`${files.identity}.new`)} ${shellQuote(files.identity)}`,
        `seen=$(ssh-keyscan -T 15 -p ${target.port} -t ${key.type} ${shellQuote(target.address)} 2>/dev/null | awk '$2 == "${key.type}" { print $3; exit }')`,
        `[ -n "$seen" ] || { echo ${shellQuote(`Could not read the SSH host key of ${where} (is sshd listening there?). Nothing was deployed.`)} >&2; exit 1; }`,
        `if [ "$seen" != ${shellQuote(key.blob)} ]; then`,
        `  seen_fp=$(printf '%s %s\\n' ${key.type} "$seen" | ssh-keygen -lf - | awk '{ print $2 }')`,
        // Quoted for the double quotes it sits in; only the scanned fingerprint expands.
        `  echo "${changed.replace(/[`"\\$]/g, "\\$&").replace("\\$seen_fp", "$seen_fp")}" >&2`,
        "  exit 1",
        "fi",
    ].join("\n") + "\n";
}

export interface SshClient {
    /** command.remote's connection: the pinned host key, the key from secret config. */
    connection: command.types.input.remote.ConnectionArgs;
    /** The Docker provider for the target's engine (`ssh://…` with the same pin and key). */
    dockerProvider(name: string, opts: pulumi.CustomResourceOptions): docker.Provider;
}

/**
 * One SSH client for the deployment. Its preflight runs at every preview and up (an invoke, not a resource),
 * and every connection waits for it: a changed host key fails the program before anything runs.
 */
export function sshClient(target: SshTarget, privateKey: pulumi.Input<string>, opts: pulumi.InvokeOutputOptions): SshClient {
    const files = sshClientFiles(target);
    const preflight = command.local.runOutput({ command: renderSshPreflightScript(target, files), interpreter: ["/bin/bash", "-c"], stdin: privateKey, logging: "stderr" }, opts);
    // The preflight's result carries nothing but its timing; paths and the pin are not secret.
    const afterPreflight = <T>(value: T): pulumi.Output<T> => pulumi.unsecret(preflight.apply(() => value));
    return {
        connection: { host: target.address, port: target.port, user: target.user, privateKey: pulumi.secret(privateKey), hostKey: afterPreflight(target.hostKey) },
        dockerProvider: (name, providerOpts) => new docker.Provider(name, { host: sshDockerHost(target), sshOpts: afterPreflight(sshOptions(files)) }, providerOpts),
    };
}
