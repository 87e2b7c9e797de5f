import * as pulumi from "@pulumi/pulumi";
import { hostCommand, type HostTarget } from "./hostCommand";
import { asRoot, renderFileWriteScript, shellQuote, type AccountIdentity } from "./hostScript";
import { GENERATED_FILE_MODE } from "./layout";
import type { SshClient } from "./sshClient";

export interface HostFileArgs {
    target: HostTarget;
    identity: AccountIdentity;
    /** One of the layout's generated files (layout.files), whose mode the host step restores on every run. */
    path: string;
    content: pulumi.Input<string>;
    ssh?: SshClient;
}

/** A generated file on the host, owned by the service account, rewritten whenever its content changes. */
export function hostFile(name: string, args: HostFileArgs, opts: pulumi.CustomResourceOptions) {
    return hostCommand(
        name,
        args.target,
        args.ssh,
        {
            create: asRoot(renderFileWriteScript(args.identity, args.path, GENERATED_FILE_MODE)),
            delete: asRoot(`rm -f ${shellQuote(args.path)}`),
            stdin: args.content,
        },
        opts,
    );
}
