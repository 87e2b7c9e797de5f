import * as path from "node:path";
import type { DeploymentSettings } from "../settings/schema";
import { CONTAINER_WORKSPACE } from "../settings/constants";
import { isWithin } from "../settings/paths";
import { channelConfigKey, enabledTokenChannels, type TokenChannelId } from "../deployment/names";
import { stageGrants } from "../rollout/stages";
import { alertDeliveries } from "../watcher/deliveries";

/** The gateway's host name: its name on the internal network (the ingress proxy's upstream), and its pod's on a cluster. */
export const GATEWAY_HOST = "openclaw-gateway";

/** Where things live inside the gateway container; the image and openclaw.json agree on these. */
export const GATEWAY_PATHS = {
    home: "/opt/openclaw",
    workspace: CONTAINER_WORKSPACE,
    config: "/opt/openclaw/config",
    configFile: "/opt/openclaw/config/openclaw.json",
    tokenFile: "/opt/openclaw/config/gateway.token",
    /** The exec allowlist, loaded into OpenClaw's approvals store at start (see start-gateway.sh). */
    execApprovalsFile: "/opt/openclaw/config/exec-approvals.json",
    /** What the gateway holds instead of a model key: a public word that the egress proxy's relay replaces. */
    modelKeyPlaceholderFile: "/opt/openclaw/config/model-key.placeholder",
    /** The gateway's SSH key for the sandbox host, and the known_hosts line that pins the host's key. */
    sandboxClientKeyFile: "/opt/openclaw/config/sandbox-client.key",
    sandboxKnownHostsFile: "/opt/openclaw/config/sandbox-known-hosts",
    state: "/opt/openclaw/.openclaw",
    logs: "/opt/openclaw/logs",
    temp: "/opt/openclaw/temp",
    /** Programs exec finds before the system's (tools.exec.pathPrepend): git-guard.sh as `git`, built into the image. */
    execGuards: "/opt/clawcage/exec-bin",
    /** Where the image keeps our OpenClaw plugins (plugins.load.paths): the audit plugin, built into the image. */
    plugins: "/opt/clawcage/plugins",
    auditPlugin: "/opt/clawcage/plugins/clawcage-audit",
    /** The audit plugin's JSON-lines record of every tool call, on the logs volume. */
    auditFile: "/opt/openclaw/logs/audit/tool-calls.jsonl",
    /** The audit plugin's pause flag (a block-and-pause rule's), beside its record. */
    pauseFile: "/opt/openclaw/logs/audit/paused.json",
} as const;

/** A channel's bot token in the gateway's config folder (700, mounted read-only), read by a file SecretRef. */
export const channelTokenPath = (id: TokenChannelId): string => path.posix.join(GATEWAY_PATHS.config, `${channelConfigKey(id)}.token`);

/** Where the proxies read their config and write their logs inside their containers. */
export const PROXY_PATHS = { config: "/etc/clawcage", logs: "/var/log/clawcage" } as const;

/** File names of the ingress proxy's secret files, in its config folder: the token digests, the TLS certificate and key. */
export const INGRESS_FILES = { clientTokens: "tokens.map", certificate: "ingress.pem" } as const;

/** File names of the sandbox host's config folder: sshd's config, its host key and the gateway's public key. */
export const SANDBOX_FILES = { sshdConfig: "sshd_config", hostKey: "ssh_host_ed25519_key", authorizedKeys: "authorized_keys" } as const;

/** The egress proxy's secret include with the model providers' keys, in its config folder. */
export const EGRESS_MODEL_KEYS_FILE = "model-keys.conf";

/**
 * Every generated file holds configuration or a credential and is read only by the containers, which run
 * as the service account: no one else may read it.
 */
export const GENERATED_FILE_MODE = "600";

/** A file the deployment writes on the host (see hostFile.ts), with the owner and mode it must keep. */
export interface HostGeneratedFile {
    path: string;
    /** Octal mode, e.g. "600". */
    mode: string;
    /** What it holds (printed into the generated script). */
    why: string;
}

export interface HostFolder {
    path: string;
    /** Octal mode, e.g. "700". */
    mode: string;
    /** Why this folder has this mode (printed into the generated script). */
    why: string;
}

/** The host side of the deployment: every folder, its mode, and what the containers mount. */
export interface HostLayout {
    /** The gateway's own folder: the deployment root, or a team member's folder below it. */
    root: string;
    /** The service account's home: the deployment root, which holds the proxies' folders too. */
    home: string;
    workspace: string;
    gatewayConfig: string;
    gatewayConfigFile: string;
    /**
     * The gateway's own secret, mode 600, read by OpenClaw's file secret provider (never an env var: exec inherits
     * env): the password of local operator access when published, the token when not. No client holds it.
     */
    gatewayTokenFile: string;
    state: string;
    gatewayLogs: string;
    /** The audit plugin's record of every tool call (GATEWAY_PATHS.auditFile), in the gateway's logs folder. */
    gatewayAuditFile: string;
    /** The folder of the record (and of the pause flag), which the alert watcher mounts read-only. */
    gatewayAuditDir: string;
    /** The audit plugin's pause flag (GATEWAY_PATHS.pauseFile): `clawcage resume` removes it. */
    gatewayPauseFile: string;
    egressConfig: string;
    egressConfigFile: string;
    egressLogs: string;
    /** The model providers' keys, mode 600, read only by the egress proxy (see modelProviders.ts). */
    egressModelKeys: string;
    ingressConfig: string;
    ingressConfigFile: string;
    /** The permissions in force (rollout/permissions.ts), written after the containers: what `clawcage diff` compares with. */
    deployedPermissions: string;
    /** sha256(client token) → token name, mode 600: removing a line revokes that token. */
    ingressClientTokenMap: string;
    /** The published endpoint's certificate and private key (one PEM), mode 600. */
    ingressCertificate: string;
    /** The exec approvals document (`openclaw approvals set --file`), mode 600. */
    gatewayApprovalsFile: string;
    /** The model key placeholder (no secret), mode 600 as OpenClaw's file secret provider requires. */
    gatewayModelKeyPlaceholder: string;
    /** The gateway's SSH key for the sandbox host and the sandbox host's pinned key, mode 600. */
    gatewaySandboxClientKey: string;
    gatewaySandboxKnownHosts: string;
    /** sshd_config, host key and authorized_keys of the sandbox host (700, mounted read-only into it alone). */
    sandboxConfig: string;
    /** The bot token of each enabled token channel, mode 600 (see channelTokenPath). */
    channelTokenFiles: { id: TokenChannelId; hostPath: string }[];
    /** The alert watcher's settings file and the secret file beside it (both 600), and its read positions (700). */
    watcherConfig: string;
    watcherConfigFile: string;
    watcherSecretsFile: string;
    watcherState: string;
    temp: string;
    /** Host folders below the workspace that the gateway may write (the writable paths the stage grants). */
    writable: { hostPath: string; containerPath: string }[];
    folders: HostFolder[];
    /** Every file the deployment writes, so that the host step can restore their owner and mode. */
    files: HostGeneratedFile[];
    /** What removing the account deletes (configuration, secrets, state, scratch) and what it keeps for root (workspace, logs). */
    removal: { deleted: string[]; kept: string[] };
}

/**
 * `deploymentRoot`: the service account's home, where the proxies' folders and the permissions in force are; a
 * team member's gateway has its root below it (its settings' host.root), and its folders and files are then its own.
 */
export function hostLayout(s: DeploymentSettings, deploymentRoot: string = s.host.root): HostLayout {
    const r = s.host.root;
    const j = (...p: string[]) => path.posix.join(r, ...p);
    const shared = (...p: string[]) => path.posix.join(deploymentRoot, ...p);
    /** The host folder behind a container path in the workspace. */
    const inWorkspace = (containerPath: string) => j("workspace", path.posix.relative(GATEWAY_PATHS.workspace, containerPath));
    const writable = stageGrants(s).writablePaths.map((w) => {
        // parseSettings refuses such a path (rules.ts); dropping it here would grant writes and mount nothing.
        if (!isWithin(w, GATEWAY_PATHS.workspace)) throw new Error(`writable path ${w} lies outside the workspace ${GATEWAY_PATHS.workspace}; parse the settings with parseSettings first`);
        return { containerPath: w, hostPath: inWorkspace(w) };
    });
    // Docker cannot make a mount point inside the read-only workspace mount: the host folder must be there.
    const mountPoints = s.container.mounts
        .filter((m) => isWithin(m.containerPath, GATEWAY_PATHS.workspace) && m.containerPath !== GATEWAY_PATHS.workspace && !writable.some((w) => w.containerPath === m.containerPath))
        .map((m) => ({ path: inWorkspace(m.containerPath), mode: "755", why: `mount point of ${m.hostPath}` }));
    // The alert watcher's folders exist only where one runs.
    const watching = alertDeliveries(s) !== undefined;
    // The gateway's files keep the names it reads them by (GATEWAY_PATHS), in the folder mounted there.
    const gatewayFile = (containerFile: string) => j("config", "gateway", path.posix.basename(containerFile));
    const layout = {
        root: r,
        home: deploymentRoot,
        workspace: j("workspace"),
        gatewayConfig: j("config", "gateway"),
        gatewayConfigFile: gatewayFile(GATEWAY_PATHS.configFile),
        gatewayTokenFile: gatewayFile(GATEWAY_PATHS.tokenFile),
        state: j(".openclaw"),
        gatewayLogs: j("logs", "gateway"),
        gatewayAuditFile: j("logs", "gateway", path.posix.relative(GATEWAY_PATHS.logs, GATEWAY_PATHS.auditFile)),
        gatewayPauseFile: j("logs", "gateway", path.posix.relative(GATEWAY_PATHS.logs, GATEWAY_PATHS.pauseFile)),
        gatewayAuditDir: j("logs", "gateway", path.posix.relative(GATEWAY_PATHS.logs, path.posix.dirname(GATEWAY_PATHS.auditFile))),
        egressConfig: shared("config", "egress"),
        egressConfigFile: shared("config", "egress", "squid.conf"),
        egressLogs: shared("logs", "egress"),
        egressModelKeys: shared("config", "egress", EGRESS_MODEL_KEYS_FILE),
        ingressConfig: shared("config", "ingress"),
        ingressConfigFile: shared("config", "ingress", "haproxy.cfg"),
        ingressClientTokenMap: shared("config", "ingress", INGRESS_FILES.clientTokens),
        deployedPermissions: shared("config", "permissions.json"),
        ingressCertificate: shared("config", "ingress", INGRESS_FILES.certificate),
        gatewayApprovalsFile: gatewayFile(GATEWAY_PATHS.execApprovalsFile),
        gatewayModelKeyPlaceholder: gatewayFile(GATEWAY_PATHS.modelKeyPlaceholderFile),
        gatewaySandboxClientKey: gatewayFile(GATEWAY_PATHS.sandboxClientKeyFile),
        gatewaySandboxKnownHosts: gatewayFile(GATEWAY_PATHS.sandboxKnownHostsFile),
        sandboxConfig: j("config", "sandbox"),
        channelTokenFiles: enabledTokenChannels(s).map(({ id }) => ({ id, hostPath: gatewayFile(channelTokenPath(id)) })),
        watcherConfig: j("config", "watcher"),
        watcherConfigFile: j("config", "watcher", "watcher.json"),
        watcherSecretsFile: j("config", "watcher", "secrets.json"),
        watcherState: j("watcher"),
        temp: j("temp"),
        writable,
    };
    const folders: HostFolder[] = [
        { path: r, mode: "750", why: "home of the service account; nobody else lists it" },
        { path: layout.workspace, mode: "755", why: "the agent's workspace (guide: 755)" },
        ...writable.map((w) => ({ path: w.hostPath, mode: "755", why: `granted writable: ${w.containerPath}` })),
        ...mountPoints,
        { path: j("config"), mode: "700", why: "configuration: readable by the service account alone" },
        { path: layout.gatewayConfig, mode: "700", why: "openclaw.json, mounted read-only" },
        { path: layout.egressConfig, mode: "700", why: "squid.conf and the model keys, mounted read-only into the egress proxy alone" },
        { path: layout.ingressConfig, mode: "700", why: "haproxy.cfg, the token digests and the TLS key, mounted read-only" },
        { path: layout.sandboxConfig, mode: "700", why: "sshd_config and the sandbox host's keys, mounted read-only into it alone" },
        { path: layout.state, mode: "700", why: "~/.openclaw: sessions and the audit ledger" },
        { path: j("logs"), mode: "750", why: "logs: the group may read, only the service writes" },
        { path: layout.gatewayLogs, mode: "750", why: "gateway JSON log" },
        { path: layout.gatewayAuditDir, mode: "750", why: "the audit plugin's record of every tool call, read by the alert watcher" },
        { path: layout.egressLogs, mode: "750", why: "proxy access log (audit of network requests)" },
        { path: layout.temp, mode: "700", why: "scratch space of the service account" },
        ...(watching
            ? [
                  { path: layout.watcherConfig, mode: "700", why: "the alert watcher's settings and delivery credentials, mounted read-only into it alone" },
                  { path: layout.watcherState, mode: "700", why: "the alert watcher's read positions" },
              ]
            : []),
    ];
    const files: HostGeneratedFile[] = [
        { path: layout.gatewayConfigFile, mode: GENERATED_FILE_MODE, why: "openclaw.json" },
        { path: layout.gatewayTokenFile, mode: GENERATED_FILE_MODE, why: "the gateway's own secret" },
        { path: layout.gatewayApprovalsFile, mode: GENERATED_FILE_MODE, why: "the exec approvals" },
        { path: layout.gatewayModelKeyPlaceholder, mode: GENERATED_FILE_MODE, why: "the model key placeholder (no key)" },
        { path: layout.gatewaySandboxClientKey, mode: GENERATED_FILE_MODE, why: "the gateway's key for the sandbox host" },
        { path: layout.gatewaySandboxKnownHosts, mode: GENERATED_FILE_MODE, why: "the sandbox host's pinned key" },
        ...Object.values(SANDBOX_FILES).map((f) => ({ path: path.posix.join(layout.sandboxConfig, f), mode: GENERATED_FILE_MODE, why: `the sandbox host's ${f}` })),
        ...layout.channelTokenFiles.map((f) => ({ path: f.hostPath, mode: GENERATED_FILE_MODE, why: `the ${f.id} bot token` })),
        { path: layout.deployedPermissions, mode: GENERATED_FILE_MODE, why: "the permissions in force" },
        { path: layout.egressConfigFile, mode: GENERATED_FILE_MODE, why: "squid.conf" },
        { path: layout.egressModelKeys, mode: GENERATED_FILE_MODE, why: "the model providers' keys" },
        { path: layout.ingressConfigFile, mode: GENERATED_FILE_MODE, why: "haproxy.cfg" },
        { path: layout.ingressClientTokenMap, mode: GENERATED_FILE_MODE, why: "digests of the client tokens" },
        { path: layout.ingressCertificate, mode: GENERATED_FILE_MODE, why: "the endpoint's TLS certificate and key" },
        ...(watching
            ? [
                  { path: layout.watcherConfigFile, mode: GENERATED_FILE_MODE, why: "the alert watcher's settings" },
                  { path: layout.watcherSecretsFile, mode: GENERATED_FILE_MODE, why: "the webhook's URL and the mail password" },
              ]
            : []),
    ];
    const removal = { deleted: [j("config"), layout.state, layout.temp], kept: [layout.workspace, j("logs")] };
    const own = (p: { path: string }) => isWithin(p.path, r);
    return { ...layout, folders: folders.filter(own), files: files.filter(own), removal };
}

/** The deployment root's folders and files that belong to no gateway: the proxies', the permissions in force, the logs folder. */
function proxySide(shared: HostLayout): Pick<HostLayout, "folders" | "files"> {
    const r = shared.root;
    const kept = new Set([r, path.posix.join(r, "config"), shared.egressConfig, shared.ingressConfig, path.posix.join(r, "logs"), shared.egressLogs]);
    const keptFiles = new Set([shared.deployedPermissions, shared.egressConfigFile, shared.egressModelKeys, shared.ingressConfigFile, shared.ingressClientTokenMap, shared.ingressCertificate]);
    return { folders: shared.folders.filter((f) => kept.has(f.path)), files: shared.files.filter((f) => keptFiles.has(f.path)) };
}

/**
 * The host side of a team: the proxies' folders in the deployment root, and each member's gateway folders in a
 * root of its own below it (the member's `hostLayout`). The account creates, and on removal deletes, all of them.
 */
export function teamHostLayout(shared: HostLayout, members: HostLayout[], membersFolder: string): HostLayout {
    const side = proxySide(shared);
    return {
        ...shared,
        folders: [...side.folders, { path: membersFolder, mode: "750", why: "the team members' gateways, each in a folder of its own" }, ...members.flatMap((m) => m.folders)],
        files: [...side.files, ...members.flatMap((m) => m.files)],
        removal: {
            deleted: [path.posix.join(shared.root, "config"), ...members.flatMap((m) => m.removal.deleted)],
            kept: [path.posix.join(shared.root, "logs"), ...members.flatMap((m) => m.removal.kept)],
        },
    };
}
