import * as pulumi from "@pulumi/pulumi";
import { hostCommand, type HostTarget } from "./hostCommand";
import { asRoot, renderFileWriteScript, shellQuote, type AccountIdentity } from "./hostScript";

export interface HostFileArgs {
    target: HostTarget;
    identity: AccountIdentity;
    path: string;
    content: pulumi.Input<string>;
    /** Octal mode; 600 for anything that holds a credential. */
    mode: string;
    sshPrivateKey?: pulumi.Input<string>;
}

/** A generated file on the host, owned by the service account, rewritten whenever its content changes. */
export function hostFile(name: string, args: HostFileArgs, opts: pulumi.CustomResourceOptions) {
    return hostCommand(
        name,
        args.target,
        args.sshPrivateKey,
        {
            create: asRoot(renderFileWriteScript(args.identity, args.path, args.mode)),
            delete: asRoot(`rm -f ${shellQuote(args.path)}`),
            stdin: args.content,
            triggers: [args.content, args.mode],
        },
        opts,
    );
}
