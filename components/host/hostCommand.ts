import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import type { DeploymentSettings } from "../settings/schema";

export type HostTarget = DeploymentSettings["host"]["target"];

export interface HostCommandArgs {
    create: pulumi.Input<string>;
    delete?: pulumi.Input<string>;
    /** Fed to the script's stdin; use it for file content and secrets, never the script text. */
    stdin?: pulumi.Input<string>;
    /** A change of any trigger re-runs create (replace). */
    triggers?: pulumi.Input<unknown[]>;
}

/**
 * One host step, on this machine (local target) or on a VPS over SSH: the same script either way,
 * so what the tests run against a stand-in host is exactly what `pulumi up` runs.
 */
export function hostCommand(
    name: string,
    target: HostTarget,
    sshPrivateKey: pulumi.Input<string> | undefined,
    args: HostCommandArgs,
    opts: pulumi.CustomResourceOptions,
): command.local.Command | command.remote.Command {
    if (target.kind === "local") {
        return new command.local.Command(name, { ...args, interpreter: ["/bin/bash", "-c"] }, opts);
    }
    if (sshPrivateKey === undefined) {
        throw new Error(`host.target is ssh (${target.address}) but no SSH private key was given: pulumi config set --secret sshPrivateKey < ~/.ssh/id_ed25519`);
    }
    const connection = { host: target.address, port: target.port, user: target.user, privateKey: pulumi.secret(sshPrivateKey) };
    return new command.remote.Command(name, { ...args, connection }, opts);
}
