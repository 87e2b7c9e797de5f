import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { configuredProxy, type ProxyPlacement } from "../container/configuredProxy";
import type { HardenedContainer } from "../container/hardenedContainer";
import { nodeHeapEnv } from "../container/nodeHeap";
import { PROXY_PATHS, type HostLayout } from "../host/layout";
import { watcherAddress } from "../deployment/names";
import type { DeploymentSettings } from "../settings/schema";
import type { WatcherConfig, WatcherSecrets } from "./config";

/** Where the watcher finds what it reads and keeps its positions, inside its container. */
export const WATCHER_PATHS = { record: "/watch/audit", egressLogs: "/watch/egress", state: "/var/lib/clawcage-watcher", heartbeat: "/tmp/heartbeat" } as const;

/** How often the watcher looks for new lines when it has none: the floor of the time from an event to its alert. */
export const WATCHER_POLL_MS = 1000;

/** Unhealthy when no pass has finished for this long: a delivery failing for a minute and more. */
const HEARTBEAT_MAX_AGE_MS = 90_000;

export interface AlertWatcherArgs extends ProxyPlacement {
    settings: DeploymentSettings;
    layout: HostLayout;
    /** The deliveries' credentials, from secret config. */
    webhookUrl?: pulumi.Input<string>;
    mailPassword?: pulumi.Input<string>;
    proxyUrl: string;
    /** The internal network, where the egress proxy listens; the watcher's address there is pinned (watcherAddress). */
    internalNetwork: pulumi.Input<string>;
    /** A team member's watcher: the member's gateway network, whose lines alone in the shared log are its gateway's. */
    egressClients?: string;
}

/**
 * The alert watcher (the guide's "block and notify", its notifying half): its own hardened container, reading the
 * audit record and the egress proxy's log read-only, keeping its positions on disk, and reaching only its webhook
 * and mail server, through the egress proxy. It holds no token and no Docker socket.
 */
export class AlertWatcher extends pulumi.ComponentResource {
    public readonly containerName: pulumi.Output<string>;

    constructor(name: string, args: AlertWatcherArgs, opts?: pulumi.ComponentResourceOptions) {
        super("clawcage:index:AlertWatcher", name, { rules: args.settings.alerts.rules.map((r) => r.name) }, opts);
        const { settings: st, layout } = args;
        const inConfig = (file: string) => path.posix.join(PROXY_PATHS.config, path.posix.basename(file));
        const mail = st.alerts.mail;
        const config: WatcherConfig = {
            recordFile: path.posix.join(WATCHER_PATHS.record, path.posix.basename(layout.gatewayAuditFile)),
            egressLogFile: path.posix.join(WATCHER_PATHS.egressLogs, "access.log"),
            positionsFile: path.posix.join(WATCHER_PATHS.state, "positions.json"),
            heartbeatFile: WATCHER_PATHS.heartbeat,
            secretsFile: inConfig(layout.watcherSecretsFile),
            pollMs: WATCHER_POLL_MS,
            rules: st.alerts.rules,
            proxyUrl: args.proxyUrl,
            ...(args.egressClients ? { egressClients: args.egressClients } : {}),
            ...(st.alerts.caCertificate ? { caCertificate: st.alerts.caCertificate } : {}),
            ...(mail ? { mail: { transport: { host: mail.host, port: mail.port, secure: mail.port === 465, user: mail.user }, from: mail.from, to: mail.to } } : {}),
        };
        const secrets = pulumi.all([args.webhookUrl, args.mailPassword]).apply(([webhookUrl, mailPassword]): string => JSON.stringify({ webhookUrl, mailPassword } satisfies WatcherSecrets));
        const watcher: HardenedContainer = configuredProxy(this, name, args, {
            role: "alert-watcher",
            // The build's npm install meets the same TLS-intercepting proxy as the gateway's, when there is one.
            image: { context: __dirname, buildArgs: { EXTRA_CA_CERT: st.image.buildCaCert ?? "" } },
            command: (conf) => ["jiti", "/opt/clawcage/watcher/main.ts", conf],
            configText: `${JSON.stringify(config, null, 2)}\n`,
            configDir: layout.watcherConfig,
            configFile: layout.watcherConfigFile,
            extraMounts: [
                { hostPath: layout.gatewayAuditDir, containerPath: WATCHER_PATHS.record, readOnly: true },
                { hostPath: layout.egressLogs, containerPath: WATCHER_PATHS.egressLogs, readOnly: true },
                { hostPath: layout.watcherState, containerPath: WATCHER_PATHS.state, readOnly: false },
            ],
            secretFiles: [{ name: "secrets", path: layout.watcherSecretsFile, content: secrets }],
            container: {
                envs: [`HTTPS_PROXY=${args.proxyUrl}`, `HTTP_PROXY=${args.proxyUrl}`, nodeHeapEnv(args.limits)],
                networks: [{ name: args.internalNetwork, ipv4Address: watcherAddress(st.network.internalSubnet) }],
                healthcheck: { command: ["node", "-e", `process.exit(Date.now() - require("fs").statSync("${WATCHER_PATHS.heartbeat}").mtimeMs < ${HEARTBEAT_MAX_AGE_MS} ? 0 : 1)`], intervalSeconds: 30 },
                tmpfs: { "/tmp": `rw,noexec,nosuid,nodev,size=16m,uid=${args.identity.uid},gid=${args.identity.uid},mode=0700` },
            },
        });
        this.containerName = watcher.containerName;
        this.registerOutputs({ containerName: this.containerName });
    }
}
