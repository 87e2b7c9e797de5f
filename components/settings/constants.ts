/** Values of the pinned OpenClaw and the guide that the schema, renderers and checks share. */

/** The OpenClaw version every image, config and test is checked against. */
export const PINNED_OPENCLAW_VERSION = "2026.9.6";

/** Fixed uid/gid shared by the host account and the image user, so bind mounts line up. */
export const DEFAULT_UID = 10001;

/**
 * The gateway's internal network unless the settings name another: outside Docker's own address pools, so
 * it is free on a host where Docker chose the other networks' subnets.
 */
export const DEFAULT_INTERNAL_SUBNET = "10.89.41.0/24";

/** Operator scopes of the pinned OpenClaw (`gateway.auth.identityScopes` enum). */
export const OPERATOR_SCOPES = [
    "operator.admin",
    "operator.read",
    "operator.write",
    "operator.sessions.read",
    "operator.sessions.write",
    "operator.approvals",
    "operator.questions",
    "operator.pairing",
    "operator.talk",
    "operator.talk.secrets",
] as const;

/**
 * Rollout stages of the guide, one per week: start strictest, loosen one permission at a time (presets and what
 * each grants: components/rollout/stages.ts).
 */
export const ROLLOUT_STAGES = ["observe", "draft", "git", "build"] as const;

/** Earlier names of the stages, refused with the name to use instead. */
export const RENAMED_STAGES: Record<string, (typeof ROLLOUT_STAGES)[number]> = { "read-only": "observe", "workspace-write": "draft", "exec-allowlist": "git" };

/** Channels whose access-policy keys share one shape in the pinned OpenClaw. */
export const CHANNEL_IDS = ["telegram", "whatsapp", "signal", "imessage"] as const;

/**
 * Channels that log in with a bot token (the others pair a device), the openclaw.json key that takes it as a
 * SecretRef, and the API hosts the gateway calls for them: they join the egress allowlist while enabled.
 */
export const TOKEN_CHANNELS = { telegram: { tokenKey: "botToken", apiHosts: ["api.telegram.org"] } } as const;

/** The agent's workspace inside the gateway container: the only place a writable path may be granted. */
export const CONTAINER_WORKSPACE = "/opt/openclaw/workspace";

/** The guide's week-2 folder: where the draft stage lets the agent write, unless the settings name others. */
export const DRAFTS_PATH = `${CONTAINER_WORKSPACE}/drafts`;

/**
 * Model providers by API family: the pinned OpenClaw's adapter, the public API a provider of that kind calls
 * unless a baseUrl is given, and how the key travels (the egress proxy writes this header, not OpenClaw).
 */
export const MODEL_PROVIDER_KINDS = ["anthropic", "openai", "openai-compatible"] as const;
export const MODEL_API: Record<(typeof MODEL_PROVIDER_KINDS)[number], { api: string; baseUrl?: string; keyHeader: string; keyPrefix: string }> = {
    anthropic: { api: "anthropic-messages", baseUrl: "https://api.anthropic.com", keyHeader: "x-api-key", keyPrefix: "" },
    openai: { api: "openai-completions", baseUrl: "https://api.openai.com/v1", keyHeader: "Authorization", keyPrefix: "Bearer " },
    "openai-compatible": { api: "openai-completions", keyHeader: "Authorization", keyPrefix: "Bearer " },
};

/** What an alert rule's pattern is matched against, and what a match does (the guide's alert rules). */
export const ALERT_RULE_KINDS = ["command", "file", "host"] as const;
export const ALERT_ACTIONS = ["notify", "block-and-notify", "block-and-pause"] as const;

/** Container runtimes clawcage deploys on: Docker's default, or gVisor's user-space kernel (runsc). */
export const CONTAINER_RUNTIMES = ["runc", "gvisor"] as const;
export type ContainerRuntime = (typeof CONTAINER_RUNTIMES)[number];

/** The deployment's containers, as the runtime and seccomp settings name them. */
export const CONTAINER_ROLES = ["gateway", "sandbox", "proxies", "watcher"] as const;
export type ContainerRole = (typeof CONTAINER_ROLES)[number];

/** A per-role setting's value for one role: the one value for every container, or the role's own. */
export function forRole<T extends string>(setting: T | Record<ContainerRole, T>, role: ContainerRole): T {
    return typeof setting === "string" ? setting : setting[role];
}

/**
 * Seccomp profiles a container can run under: the one recorded for its image (components/container/seccomp), or
 * Docker's default.
 */
export const SECCOMP_PROFILES = ["recorded", "docker-default"] as const;
export type SeccompChoice = (typeof SECCOMP_PROFILES)[number];

/** The deployment's containers by image, as their `clawcage.role` label names them (the two proxies apart). */
export const SERVICE_ROLES = ["gateway", "egress-proxy", "ingress-proxy", "sandbox-host", "alert-watcher"] as const;
export type ServiceRole = (typeof SERVICE_ROLES)[number];

/**
 * AppArmor profiles a container can run under, where the host's kernel has AppArmor: clawcage's own for it
 * (components/container/apparmor.ts), or Docker's default.
 */
export const APPARMOR_PROFILES = ["clawcage", "docker-default"] as const;
export type AppArmorChoice = (typeof APPARMOR_PROFILES)[number];
