import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { configuredProxy, type ProxyPlacement } from "../container/configuredProxy";
import { sandboxKeys } from "./sandboxKeys";
import { SANDBOX_IMAGE } from "../images/imageSpecs";
import { SANDBOX_FILES } from "../host/layout";
import { renderSshdConfig, sandboxTarget, SANDBOX_HOST, SANDBOX_PATHS, SANDBOX_SSH_PORT } from "./sshdConfig";

export interface SandboxHostArgs extends ProxyPlacement {
    /** The host folder of sshd_config, the host key and authorized_keys (700, mounted read-only). */
    configDir: string;
    /** The account sshd lets in: the deployment's own, the only one it can serve as a non-root sshd. */
    user: string;
    /** The network it shares with the gateway alone (internal: no route out, no proxy). */
    sandboxNetwork: pulumi.Input<string>;
    /** Size of each tmpfs (/tmp and the workspace root), noexec. */
    tmpfsSizeMb: number;
    /** Change it to replace both keys (the RandomBytes' keeper). */
    keyRotation?: string;
}

/**
 * Where OpenClaw's sandboxed tools run (guide layer 1, for the exec stage): a container of its own, hardened like
 * the gateway, that OpenClaw's ssh backend logs in to. It has no route out and no proxy, sees no token, key,
 * channel credential or OpenClaw state, and gets the workspace only as the copy OpenClaw seeds into a tmpfs.
 * The gateway never holds the host's Docker socket, which OpenClaw's docker backend would need.
 */
export class SandboxHost extends pulumi.ComponentResource {
    /** The gateway's private key for the sandbox host; secret. */
    public readonly clientPrivateKey: pulumi.Output<string>;
    /** The known_hosts line that pins the sandbox host's key. */
    public readonly knownHosts: pulumi.Output<string>;
    /** `user@host:port` for `sandbox.ssh.target`. */
    public readonly target: string;
    public readonly containerName: pulumi.Output<string>;

    constructor(name: string, args: SandboxHostArgs, opts?: pulumi.ComponentResourceOptions) {
        super("clawcage:index:SandboxHost", name, { user: args.user }, opts);
        const keys = sandboxKeys(name, args.keyRotation ?? "1", this);
        this.clientPrivateKey = keys.clientPrivateKey;
        this.knownHosts = keys.knownHosts;
        this.target = sandboxTarget(args.user);
        const file = (f: string) => path.posix.join(args.configDir, f);
        const tmpfs = `rw,noexec,nosuid,nodev,size=${args.tmpfsSizeMb}m,uid=${args.identity.uid},gid=${args.identity.uid},mode=0700`;
        const host = configuredProxy(this, name, args, {
            role: "sandbox-host",
            image: SANDBOX_IMAGE,
            // -D: foreground, so Docker supervises sshd; -e: its log to the container's output.
            command: (conf) => ["/usr/sbin/sshd", "-D", "-e", "-f", conf],
            configText: renderSshdConfig(args.user),
            configDir: args.configDir,
            configFile: file(SANDBOX_FILES.sshdConfig),
            extraMounts: [],
            secretFiles: [
                { name: "host-key", path: file(SANDBOX_FILES.hostKey), content: keys.hostPrivateKey },
                { name: "authorized-keys", path: file(SANDBOX_FILES.authorizedKeys), content: keys.authorizedKeys },
            ],
            container: {
                networks: [{ name: args.sandboxNetwork, aliases: [SANDBOX_HOST] }],
                hostname: SANDBOX_HOST,
                tmpfs: { "/tmp": tmpfs, [SANDBOX_PATHS.workspaceRoot]: tmpfs },
                healthcheck: { command: ["bash", "-c", `exec 3<>/dev/tcp/127.0.0.1/${SANDBOX_SSH_PORT}`], intervalSeconds: 30 },
            },
        });
        this.containerName = host.containerName;
        this.registerOutputs({ knownHosts: this.knownHosts, target: this.target, containerName: this.containerName });
    }
}
