import * as pulumi from "@pulumi/pulumi";
import { hostCommand, type HostTarget } from "./hostCommand";
import { asRoot, renderAccountCreateScript, renderAccountDeleteScript, type AccountIdentity } from "./hostScript";
import type { HostLayout } from "./layout";
import type { SshClient } from "./sshClient";

export interface HostAccountArgs {
    target: HostTarget;
    identity: AccountIdentity;
    layout: HostLayout;
    /** Remove workspace and logs on delete too (default: keep them, owned by root). */
    deleteData?: boolean;
    /** The VPS connection, for an ssh target. */
    ssh?: SshClient;
}

/**
 * The unprivileged host account (guide layer 2): system group and user with a locked password, and the
 * deployment's folders with the guide's owners and modes. The containers run as this uid.
 */
export class HostAccount extends pulumi.ComponentResource {
    /** The create script, as run on the host (no secrets in it). */
    public readonly createScript: string;
    public readonly deleteScript: string;

    constructor(name: string, args: HostAccountArgs, opts?: pulumi.ComponentResourceOptions) {
        super("clawcage:index:HostAccount", name, { identity: args.identity, root: args.layout.root }, opts);
        this.createScript = renderAccountCreateScript(args.identity, args.layout);
        this.deleteScript = renderAccountDeleteScript(args.identity, args.layout, args.deleteData ?? false);
        hostCommand(
            `${name}-account`,
            args.target,
            args.ssh,
            { create: asRoot(this.createScript), delete: asRoot(this.deleteScript) },
            { parent: this },
        );
        this.registerOutputs({ createScript: this.createScript, deleteScript: this.deleteScript });
    }
}
