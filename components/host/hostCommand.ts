import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import type { DeploymentSettings } from "../settings/schema";
import type { SshClient } from "./sshClient";

export type HostTarget = DeploymentSettings["host"]["target"];

export interface HostCommandArgs {
    create: pulumi.Input<string>;
    delete?: pulumi.Input<string>;
    /** Fed to the script's stdin; use it for file content and secrets, never the script text. */
    stdin?: pulumi.Input<string>;
    /**
     * Values whose change runs create again as a replacement (see below why that is wrong for a step with a delete):
     * for a step that acts on another resource, such as a container's id.
     */
    triggers?: pulumi.Input<unknown>[];
}

/**
 * One host step, on this machine (local target) or on a VPS over SSH: the same script either way,
 * so what the tests run against a stand-in host is exactly what `pulumi up` runs.
 *
 * A changed script or stdin is an update, which runs create again: every create converges. No replace
 * triggers: a replacement creates the new step before it deletes the old one, and the old one's delete would
 * remove what the new one just wrote (the same file, the same account, the same firewall chain).
 */
export function hostCommand(
    name: string,
    target: HostTarget,
    ssh: SshClient | undefined,
    args: HostCommandArgs,
    opts: pulumi.CustomResourceOptions,
): command.local.Command | command.remote.Command {
    if (args.triggers && args.delete) throw new Error(`host step ${name}: triggers replace the step, and the old step's delete would undo the new one's create`);
    if (target.kind === "local") {
        return new command.local.Command(name, { ...args, interpreter: ["/bin/bash", "-c"] }, opts);
    }
    if (ssh === undefined) {
        throw new Error(`host.target is ssh (${target.address}) but no SSH private key was given: pulumi config set --secret sshPrivateKey < ~/.ssh/id_ed25519`);
    }
    return new command.remote.Command(name, { ...args, connection: ssh.connection }, opts);
}
