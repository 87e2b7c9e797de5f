import type { DeploymentSettings } from "../settings/schema";
import { GATEWAY_PATHS } from "../host/layout";
import { effectiveToolPolicy } from "./toolPolicy";

/** The environment variable the gateway reads its token from (a SecretRef, never the value in the file). */
export const GATEWAY_TOKEN_ENV = "OPENCLAW_GATEWAY_TOKEN";

/** JSON values as OpenClaw's strict config accepts them. */
export type ConfigValue = string | number | boolean | ConfigValue[] | { [key: string]: ConfigValue };
export type OpenClawConfig = { [key: string]: ConfigValue };

/**
 * Pure renderer of openclaw.json for the pinned OpenClaw: every guide concept mapped onto the real key
 * that enforces it (see the README's mapping table). The token is an env SecretRef, so the file holds
 * no secret and may be read by anyone who can read the config folder.
 */
export function renderOpenClawConfig(s: DeploymentSettings): OpenClawConfig {
    const tools = effectiveToolPolicy(s);
    const channels: OpenClawConfig = {};
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
    return {
        gateway: {
            mode: "local",
            port: s.gateway.port,
            // The container's only interfaces are the internal networks; the ingress proxy is the way in.
            bind: "lan",
            auth: {
                mode: "token",
                token: { source: "env", provider: "default", id: GATEWAY_TOKEN_ENV },
                rateLimit: {
                    maxAttempts: s.gateway.rateLimit.maxAttempts,
                    windowMs: s.gateway.rateLimit.windowSeconds * 1000,
                    lockoutMs: s.gateway.rateLimit.lockoutSeconds * 1000,
                    exemptLoopback: false,
                },
            },
            // Off: the control UI answers every unknown path, and the terminal is an admin shell on the host.
            controlUi: { enabled: false },
            terminal: { enabled: false },
            http: { endpoints: { chatCompletions: { enabled: true } } },
        },
        update: { checkOnStart: false },
        session: { dmScope: "per-channel-peer" },
        channels,
        tools: {
            allow: tools.allow,
            deny: tools.deny,
            exec: { mode: tools.execMode, strictInlineEval: true },
            elevated: { enabled: false },
            fs: { workspaceOnly: true },
            web: { fetch: { enabled: tools.webFetch } },
        },
        agents: {
            defaults: {
                workspace: GATEWAY_PATHS.workspace,
                sandbox: {
                    mode: "non-main",
                    scope: "session",
                    workspaceAccess: tools.workspaceWritable ? "rw" : "ro",
                    docker: {
                        network: "none",
                        readOnlyRoot: true,
                        capDrop: ["ALL"],
                        user: `${s.host.uid}:${s.host.uid}`,
                        pidsLimit: Math.min(128, s.container.maxProcesses),
                        memory: `${Math.floor(s.container.memoryMb / 2)}m`,
                        cpus: Math.max(0.5, s.container.cpus / 2),
                    },
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

/** The exec approvals document (`openclaw approvals set --file`): where the command allowlist really lives. */
export function renderExecApprovals(s: DeploymentSettings): OpenClawConfig {
    const tools = effectiveToolPolicy(s);
    const policy = { security: tools.execMode, ask: "off", askFallback: "deny", autoAllowSkills: false };
    return {
        version: 1,
        defaults: policy,
        agents: { main: { ...policy, allowlist: tools.execAllowlist.map((pattern) => ({ pattern })) } },
    };
}
