import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { configuredProxy, type ProxyPlacement } from "../container/configuredProxy";
import type { HardenedContainer } from "../container/hardenedContainer";
import { PROXY_PATHS } from "../host/layout";
import type { AlertRule } from "../gateway/auditPlugin/config";
import type { WatcherConfig, WatcherSecrets } from "./config";

/** Where the watcher finds what it reads and keeps its positions, inside its container. */
export const WATCHER_PATHS = { record: "/watch/audit", egressLogs: "/watch/egress", state: "/var/lib/clawcage-watcher" } as const;

export interface AlertWatcherArgs extends ProxyPlacement {
    /** Host folder (700) of its settings file and of the secret file beside it (the webhook URL, the mail password). */
    configDir: string;
    configFile: string;
    secretsFile: string;
    /** Host folder where it keeps its read positions (700). */
    stateDir: string;
    /** Host folders it reads, mounted read-only: the audit plugin's record and the egress proxy's log. */
    recordDir: string;
    recordFileName: string;
    egressLogDir: string;
    rules: AlertRule[];
    webhookUrl?: pulumi.Input<string>;
    mail?: { host: string; port: number; user: string; from: string; to: string[]; password: pulumi.Input<string> };
    proxyUrl: string;
    /** The internal network, where the egress proxy listens, and the watcher's pinned address there (the proxy lets that address alone reach the alert destinations). */
    internalNetwork: pulumi.Input<string>;
    address: string;
}

/**
 * The alert watcher (the guide's "block and notify", its notifying half): its own hardened container, reading the
 * audit record and the egress proxy's log read-only, keeping its positions on disk, and reaching only its webhook
 * and mail server, through the egress proxy. It holds no token and no Docker socket.
 */
export class AlertWatcher extends pulumi.ComponentResource {
    public readonly containerName: pulumi.Output<string>;

    constructor(name: string, args: AlertWatcherArgs, opts?: pulumi.ComponentResourceOptions) {
        super("clawcage:index:AlertWatcher", name, { rules: args.rules.map((r) => r.name) }, opts);
        const inConfig = (file: string) => path.posix.join(PROXY_PATHS.config, path.posix.basename(file));
        const config: WatcherConfig = {
            recordFile: path.posix.join(WATCHER_PATHS.record, args.recordFileName),
            egressLogFile: path.posix.join(WATCHER_PATHS.egressLogs, "access.log"),
            positionsFile: path.posix.join(WATCHER_PATHS.state, "positions.json"),
            secretsFile: inConfig(args.secretsFile),
            pollMs: 1000,
            rules: args.rules,
            proxyUrl: args.proxyUrl,
            ...(args.mail ? { mail: { transport: { host: args.mail.host, port: args.mail.port, secure: args.mail.port === 465, user: args.mail.user }, from: args.mail.from, to: args.mail.to } } : {}),
        };
        const secrets = pulumi.all([args.webhookUrl, args.mail?.password]).apply(([webhookUrl, mailPassword]): string => JSON.stringify({ webhookUrl, mailPassword } satisfies WatcherSecrets));
        const watcher: HardenedContainer = configuredProxy(this, name, args, {
            role: "alert-watcher",
            image: { context: __dirname, buildArgs: {} },
            command: (conf) => ["jiti", "/opt/clawcage/watcher/main.ts", conf],
            configText: `${JSON.stringify(config, null, 2)}\n`,
            configDir: args.configDir,
            configFile: args.configFile,
            extraMounts: [
                { hostPath: args.recordDir, containerPath: WATCHER_PATHS.record, readOnly: true },
                { hostPath: args.egressLogDir, containerPath: WATCHER_PATHS.egressLogs, readOnly: true },
                { hostPath: args.stateDir, containerPath: WATCHER_PATHS.state, readOnly: false },
            ],
            secretFiles: [{ name: "secrets", path: args.secretsFile, content: secrets }],
            container: {
                envs: [`HTTPS_PROXY=${args.proxyUrl}`, `HTTP_PROXY=${args.proxyUrl}`],
                networks: [{ name: args.internalNetwork, ipv4Address: args.address }],
                tmpfs: { "/tmp": `rw,noexec,nosuid,nodev,size=16m,uid=${args.identity.uid},gid=${args.identity.uid},mode=0700` },
            },
        });
        this.containerName = watcher.containerName;
        this.registerOutputs({ containerName: this.containerName });
    }
}
