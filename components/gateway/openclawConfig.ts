import type { DeploymentSettings } from "../settings/schema";
import { channelTokenPath, GATEWAY_PATHS } from "../host/layout";
import { enabledTokenChannels, settingsEndpoint, trustedIngress } from "../deployment/names";
import { IDENTITY_HEADER } from "../ingress/haproxyCfg";
import { TOKEN_CHANNELS } from "../settings/constants";
import { effectiveToolPolicy } from "./toolPolicy";
import { modelRelays } from "../deployment/modelProviders";
import { sandboxTarget, SANDBOX_PATHS } from "../sandbox/sshdConfig";
import { approvalsEntry, execForm } from "../rollout/execForms";
import type { AuditPluginConfig } from "./auditPlugin/config";
import { AUDIT_PLUGIN_ID } from "./auditPlugin/record";

/** The secret provider that reads the gateway token from its 600 file. */
export const TOKEN_PROVIDER = "clawcagetoken";

/** The secret provider that reads the model key placeholder (see GATEWAY_PATHS.modelKeyPlaceholderFile). */
export const MODEL_KEY_PLACEHOLDER_PROVIDER = "clawcagemodelrelay";

/** The secret providers of the gateway's SSH key for the sandbox host and of that host's pinned key. */
export const SANDBOX_KEY_PROVIDER = "clawcagesandboxkey";
export const SANDBOX_HOSTS_PROVIDER = "clawcagesandboxhosts";

/** The secret provider that reads a channel's bot token from its 600 file. */
export const channelTokenProvider = (id: string): string => `clawcage${id}`;

/** JSON values as OpenClaw's strict config accepts them. */
export type ConfigValue = string | number | boolean | ConfigValue[] | { [key: string]: ConfigValue };
export type OpenClawConfig = { [key: string]: ConfigValue };

/**
 * Pure renderer of openclaw.json for the pinned OpenClaw: every guide concept mapped onto the real key
 * that enforces it (see the README's mapping table). The token is a file SecretRef, so openclaw.json holds
 * no secret; it is not an env var because commands the agent runs inherit the gateway's environment.
 */
/** `endpoint`: where browsers open the Control UI (a team member's own name); the settings' endpoint by default. */
export function renderOpenClawConfig(s: DeploymentSettings, egressProxyUrl: string, endpoint: string = settingsEndpoint(s)): OpenClawConfig {
    const tools = effectiveToolPolicy(s);
    const tokenChannels = enabledTokenChannels(s);
    const fileProvider = (file: string): OpenClawConfig => ({ source: "file", path: file, mode: "singleValue" });
    const fileRef = (provider: string): OpenClawConfig => ({ source: "file", provider, id: "value" });
    // Each provider at its relay on the egress proxy, which adds the real key: the gateway holds a placeholder.
    const relays = modelRelays(s);
    const sandboxed = tools.execMode !== "deny";
    const providers = Object.fromEntries(
        relays.map((r) => [r.id, { baseUrl: r.relayBaseUrl, api: r.api, apiKey: fileRef(MODEL_KEY_PLACEHOLDER_PROVIDER), models: r.models.map((id) => ({ id, name: id })) }]),
    );
    const channels: OpenClawConfig = {};
    const rateLimit = {
        maxAttempts: s.gateway.rateLimit.maxAttempts,
        windowMs: s.gateway.rateLimit.windowSeconds * 1000,
        lockoutMs: s.gateway.rateLimit.lockoutSeconds * 1000,
        exemptLoopback: false,
    };
    for (const [id, ch] of Object.entries(s.channels)) {
        channels[id] = {
            enabled: ch.enabled,
            dmPolicy: ch.dmPolicy,
            allowFrom: ch.allowFrom,
            groupPolicy: ch.groupPolicy,
            groupAllowFrom: ch.groupAllowFrom,
            groups: Object.fromEntries(ch.requireMentionIn.map((g) => [g, { requireMention: true }])),
        };
    }
    // A bot token is a file SecretRef like the gateway's own: never in openclaw.json, never in the environment.
    for (const { id } of tokenChannels) channels[id] = { ...(channels[id] as OpenClawConfig), [TOKEN_CHANNELS[id].tokenKey]: fileRef(channelTokenProvider(id)) };
    return {
        secrets: {
            // OpenClaw refuses the file unless it is a regular file owned by the gateway's uid, mode 600 or 400.
            providers: {
                [TOKEN_PROVIDER]: fileProvider(GATEWAY_PATHS.tokenFile),
                ...Object.fromEntries(tokenChannels.map(({ id }) => [channelTokenProvider(id), fileProvider(channelTokenPath(id))])),
                ...(relays.length > 0 ? { [MODEL_KEY_PLACEHOLDER_PROVIDER]: fileProvider(GATEWAY_PATHS.modelKeyPlaceholderFile) } : {}),
                ...(sandboxed
                    ? { [SANDBOX_KEY_PROVIDER]: fileProvider(GATEWAY_PATHS.sandboxClientKeyFile), [SANDBOX_HOSTS_PROVIDER]: fileProvider(GATEWAY_PATHS.sandboxKnownHostsFile) }
                    : {}),
            },
        },
        gateway: {
            mode: "local",
            port: s.gateway.port,
            // The container's only interfaces are the internal networks; the ingress proxy is the way in.
            bind: "lan",
            ...gatewayAuth(s, fileRef(TOKEN_PROVIDER), rateLimit),
            // Off unless asked for: the Control UI answers every unknown path. Browsers may open it only from the
            // published endpoint. The terminal (an admin shell on the host) is always off.
            controlUi: s.gateway.controlUi.enabled ? { enabled: true, allowedOrigins: [endpoint] } : { enabled: false },
            terminal: { enabled: false },
            // A changed config replaces the container (the config-digest label): a live reload in the gateway being
            // replaced would only race the replacement.
            reload: { mode: "off" },
            http: { endpoints: { chatCompletions: { enabled: true } } },
            // A second net under tools.allow that also covers POST /tools/invoke, which cannot be switched off.
            tools: { deny: tools.gatewayDeny },
            // OpenClaw approves local devices silently by default; every pairing is a person's decision here.
            nodes: { pairing: { autoApproveLocal: false } },
        },
        // OpenClaw wires browser control in by default (the security audit flags it); on only when granted.
        browser: { enabled: tools.browser },
        // All of OpenClaw's own HTTP (fetch, undici, node:http, WebSockets) goes through the egress proxy;
        // HTTP(S)_PROXY alone misses calls that resolve DNS themselves.
        proxy: { enabled: true, proxyUrl: egressProxyUrl, loopbackMode: "gateway-only" },
        // No calls home at start: update checks, telemetry, model catalog, mDNS, heartbeat turns.
        update: { checkOnStart: false, auto: { enabled: false } },
        telemetry: { enabled: false },
        // Only the configured providers: no catalogue of others that would need keys or hosts of their own.
        models: { mode: "replace", catalogRefresh: { enabled: false }, providers },
        discovery: { mdns: { mode: "off" } },
        session: { dmScope: "per-channel-peer" },
        channels,
        tools: {
            allow: tools.allow,
            deny: tools.deny,
            // No safe bins: OpenClaw's default set would run without an allowlist entry.
            // Exec finds the guarded git (git-guard.sh) before the system's; OpenClaw's own git calls do not.
            exec: { mode: tools.execMode, strictInlineEval: true, safeBins: [], ...(sandboxed ? { pathPrepend: [GATEWAY_PATHS.execGuards] } : {}) },
            elevated: { enabled: false },
            fs: { workspaceOnly: true },
            // Sandboxed sessions get OpenClaw's short default list (exec, files, sessions) unless told the rest.
            ...(sandboxed ? { sandbox: { tools: { alsoAllow: tools.allow } } } : {}),
            // The proxy resolves names, so the allowlist decides, not the agent's own DNS.
            web: { fetch: { enabled: tools.webFetch, useTrustedEnvProxy: true } },
        },
        agents: {
            defaults: {
                workspace: GATEWAY_PATHS.workspace,
                ...(s.models.default ? { model: { primary: s.models.default } } : {}),
                // OpenClaw would seed AGENTS.md, SOUL.md, ... into the workspace, which is read-only in week 1
                // (EROFS): the user's own files there are still read.
                skipBootstrap: true,
                heartbeat: { every: "0m" },
                // Only commands need a sandbox: file tools are held to the workspace by workspaceOnly and the mounts.
                // In the exec stage every session but the operator's runs its tools on the sandbox host, over SSH.
                sandbox: sandboxed
                    ? {
                          mode: "non-main",
                          backend: "ssh",
                          scope: "session",
                          workspaceAccess: tools.workspaceWritable ? "rw" : "ro",
                          ssh: {
                              target: sandboxTarget(s.host.user),
                              workspaceRoot: SANDBOX_PATHS.workspaceRoot,
                              strictHostKeyChecking: true,
                              // The host key is pinned by the deployment; nothing may rewrite it.
                              updateHostKeys: false,
                              identityData: fileRef(SANDBOX_KEY_PROVIDER),
                              knownHostsData: fileRef(SANDBOX_HOSTS_PROVIDER),
                          },
                      }
                    : { mode: "off" },
            },
        },
        ...(s.gateway.publish ? { security: { audit: { suppressions: [TRUSTED_PROXY_SUPPRESSION] } } } : {}),
        plugins: {
            // Only the plugins named here load (besides OpenClaw's memory slot): ours, and each enabled channel's.
            // Measured: without the allowlist 15 loaded, among them browser, canvas, cua-computer and file-transfer.
            allow: [AUDIT_PLUGIN_ID, ...Object.entries(s.channels).filter(([, c]) => c.enabled).map(([id]) => id).sort()],
            load: { paths: [GATEWAY_PATHS.auditPlugin] },
            entries: {
                [AUDIT_PLUGIN_ID]: {
                    enabled: true,
                    hooks: { allowConversationAccess: keepsPrompts(s), allowPromptInjection: false },
                    config: renderAuditPlugin(s),
                },
            },
        },
        logging: {
            level: s.logging.level,
            file: `${GATEWAY_PATHS.logs}/openclaw.log`,
            maxFileBytes: s.logging.maxFileMb * 1024 * 1024,
            consoleStyle: "json",
            audit: { enabled: s.logging.audit, messages: s.logging.sessionLog ? s.logging.auditMessages : "off" },
        },
    };
}

/**
 * OpenClaw's audit always reports trusted-proxy auth as critical: the proxy becomes the auth boundary. Here it
 * is one: clients reach the gateway only through the ingress proxy, which checks the named token and drops any
 * identity header a client sends, and the gateway believes the header only from the proxy's pinned address
 * (the runtime proof sends it from elsewhere and is refused).
 */
export const TRUSTED_PROXY_SUPPRESSION: OpenClawConfig = {
    checkId: "gateway.trusted_proxy_auth",
    reason: "clawcage: the ingress proxy authenticates each named token and is the only source the gateway trusts (gateway.trustedProxies holds its pinned address alone)",
};

/**
 * Who the gateway believes. Published: the ingress proxy's word (trusted-proxy auth), for the token names it
 * admits, with each token's scopes; the gateway's own secret is then the password of local operator access,
 * which no client holds. Not published: the gateway's own token, for clients on the internal network.
 */
function gatewayAuth(s: DeploymentSettings, ownSecret: OpenClawConfig, rateLimit: OpenClawConfig): OpenClawConfig {
    if (!s.gateway.publish) return { auth: { mode: "token", token: ownSecret, rateLimit } };
    const names = Object.keys(s.gateway.tokens).sort();
    return {
        trustedProxies: [trustedIngress(s)],
        auth: {
            mode: "trusted-proxy",
            password: ownSecret,
            trustedProxy: { userHeader: IDENTITY_HEADER, allowUsers: names },
            identityScopes: Object.fromEntries(names.map((n) => [n, [...s.gateway.tokens[n].scopes].sort()])),
            rateLimit,
        },
    };
}

/** The exec approvals document (`openclaw approvals set --file`): where the command allowlist really lives. */
export function renderExecApprovals(s: DeploymentSettings): OpenClawConfig {
    const tools = effectiveToolPolicy(s);
    const policy = { security: tools.execMode, ask: "off", askFallback: "deny", autoAllowSkills: false };
    return {
        version: 1,
        defaults: policy,
        // One entry per form, its arguments pinned by argPattern: never a path-only entry, which would allow any.
        agents: { main: { ...policy, allowlist: tools.execForms.map((text) => approvalsEntry(execForm(text), s.tools.exec.denyCommands)) } },
    };
}

/**
 * The audit plugin's settings: the alert rules, the secrets to mask, the logs volume's limits, and whether to keep
 * prompts (which is also when it gets conversation access, for the `llm_input` hook).
 */
export function renderAuditPlugin(s: DeploymentSettings): AuditPluginConfig {
    return {
        file: GATEWAY_PATHS.auditFile,
        pauseFile: GATEWAY_PATHS.pauseFile,
        maxFileBytes: s.logging.maxFileMb * 1024 * 1024,
        keepFiles: s.logging.keepFiles,
        minFreeBytes: s.logging.minFreeMb * 1024 * 1024,
        rules: s.alerts.rules,
        secretFiles: [GATEWAY_PATHS.tokenFile, GATEWAY_PATHS.sandboxClientKeyFile, ...enabledTokenChannels(s).map(({ id }) => channelTokenPath(id))],
        prompts: keepsPrompts(s),
    };
}

/** The guide's prompt logging: on while the session log is, and the ledger keeps messages. */
export const keepsPrompts = (s: DeploymentSettings): boolean => s.logging.sessionLog && s.logging.auditMessages !== "off";
