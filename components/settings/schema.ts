import { z } from "zod";
import { refineDeployment } from "./rules";
import { CHANNEL_IDS, DEFAULT_UID, OPERATOR_SCOPES, PINNED_OPENCLAW_VERSION, ROLLOUT_STAGES } from "./constants";

/**
 * The one source of truth for a clawcage deployment. Every default is the guide's secure value;
 * loosening anything is an explicit, visible setting. Cross-field rules live in rules.ts.
 */

const name = z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,30}$/, "use lowercase letters, digits and '-', starting with a letter (max 31)");

const absolutePath = z.string().regex(/^\/[^\0]*$/, "must be an absolute path (start with '/')");

const tokenEntry = z.strictObject({
    scopes: z.array(z.enum(OPERATOR_SCOPES)).min(1).default([...OPERATOR_SCOPES]),
    /** "generated": a 256-bit random token; "secret-config": `pulumi config set --secret clawcage:token-<name>`. */
    source: z.enum(["generated", "secret-config"]).default("generated"),
    /** Change this value to rotate this token alone (it is the random resource's keeper). */
    rotation: z.string().default("1"),
    /** Present only to refuse a token written into config with a message that says what to do instead. */
    value: z
        .never({ error: "tokens are never written in config: omit it to generate one, or set source: 'secret-config' and `pulumi config set --secret token-<name>`" })
        .optional(),
});

const channel = z.strictObject({
    enabled: z.boolean().default(true),
    dmPolicy: z.enum(["pairing", "allowlist", "open", "disabled"]).default("allowlist"),
    allowFrom: z.array(z.string().min(1)).default([]),
    groupPolicy: z.enum(["allowlist", "open", "disabled"]).default("allowlist"),
    groupAllowFrom: z.array(z.string().min(1)).default([]),
    /** Group ids (or "*") that are answered only when the bot is @-mentioned. */
    requireMentionIn: z.array(z.string().min(1)).default(["*"]),
});

const mount = z.strictObject({
    hostPath: absolutePath,
    containerPath: absolutePath,
    readOnly: z.boolean().default(true),
});

const alertRule = z.strictObject({
    name,
    kind: z.enum(["command", "file", "host"]),
    /** A regular expression matched against audit events of that kind. */
    pattern: z.string().min(1),
    action: z.enum(["notify", "block-and-notify"]).default("block-and-notify"),
});

const sshHost = z.strictObject({
    kind: z.literal("ssh"),
    address: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(22),
    user: z.string().min(1).default("root"),
});

const localHost = z.strictObject({ kind: z.literal("local") });

export const deploymentSettingsSchema = z
    .strictObject({
        image: z
            .strictObject({
                /** Base image of the gateway; any Debian-based image with Node 24 (or the node binary copied in). */
                gatewayBase: z.string().min(1).default("node:24-bookworm-slim"),
                /** Base image of the proxy images (squid, haproxy from Debian packages). */
                proxyBase: z.string().min(1).default("debian:bookworm-slim"),
                /** PEM of an extra CA trusted only while the gateway image downloads npm packages (TLS-intercepting proxies). */
                buildCaCert: z.string().startsWith("-----BEGIN CERTIFICATE-----", "paste a PEM certificate").optional(),
                openclawVersion: z
                    .string()
                    .regex(/^\d{4}\.\d+\.\d+$/, "pin an exact OpenClaw version such as 2026.9.6 (no ranges, no 'latest')")
                    .default(PINNED_OPENCLAW_VERSION),
            })
            .prefault({}),
        host: z
            .strictObject({
                target: z.discriminatedUnion("kind", [localHost, sshHost]).default({ kind: "local" }),
                root: absolutePath.default("/opt/openclaw"),
                user: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/).default("clawuser"),
                group: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/).default("openclaw"),
                uid: z.number().int().min(1000).max(65000).default(DEFAULT_UID),
            })
            .prefault({}),
        container: z
            .strictObject({
                cpus: z.number().positive().max(64).default(2),
                memoryMb: z.number().int().min(512).default(4096),
                cpuReservation: z.number().positive().default(1),
                memoryReservationMb: z.number().int().min(128).default(2048),
                /** Max processes of the container user (docker has no pids limit field here: nproc ulimit). */
                maxProcesses: z.number().int().min(16).max(4096).default(256),
                tmpfsSizeMb: z.number().int().min(8).max(4096).default(256),
                mounts: z.array(mount).default([]),
            })
            .prefault({}),
        gateway: z
            .strictObject({
                port: z.number().int().min(1024).max(65535).default(18789),
                /** Where the gateway is published on the host; omit to keep it reachable only from the internal network. */
                publish: z
                    .strictObject({
                        address: z.ipv4().or(z.ipv6()).default("127.0.0.1"),
                        port: z.number().int().min(1).max(65535).default(18789),
                    })
                    .optional(),
                /** Client CIDRs allowed to reach the published port (enforced by the ingress proxy). */
                ipAllowlist: z.array(z.cidrv4().or(z.cidrv6())).default([]),
                rateLimit: z
                    .strictObject({
                        maxAttempts: z.number().int().min(1).default(5),
                        windowSeconds: z.number().int().min(1).default(60),
                        lockoutSeconds: z.number().int().min(1).default(300),
                    })
                    .prefault({}),
                auth: z.enum(["token", "none"]).default("token"),
                tokens: z.record(name, tokenEntry).default({ admin: tokenEntry.parse({}) }),
            })
            .prefault({}),
        network: z
            .strictObject({
                /** Fixed subnets avoid clashes with the host's LAN or VPN; omit to let Docker choose. */
                internalSubnet: z.cidrv4().optional(),
                egressSubnet: z.cidrv4().optional(),
                ingressSubnet: z.cidrv4().optional(),
            })
            .prefault({}),
        channels: z.partialRecord(z.enum(CHANNEL_IDS), channel).default({}),
        tools: z
            .strictObject({
                allow: z.array(z.string().min(1)).default(["read", "web_search"]),
                deny: z.array(z.string().min(1)).default(["group:ui", "group:nodes", "group:automation"]),
                browser: z.boolean().default(false),
                exec: z
                    .strictObject({
                        enabled: z.boolean().default(false),
                        allowCommands: z.array(z.string().min(1)).default([]),
                        denyCommands: z
                            .array(z.string().min(1))
                            .default(["rm -rf", "sudo", "chmod 777", "dd if=", "mkfs", "> /dev/sda"]),
                    })
                    .prefault({}),
                webFetch: z
                    .strictObject({
                        enabled: z.boolean().default(false),
                        /** web_fetch reaches only these domains; they are added to the egress allowlist. */
                        domains: z.array(z.string()).default([]),
                    })
                    .prefault({}),
            })
            .prefault({}),
        filesystem: z
            .strictObject({
                allowedPaths: z.array(absolutePath).default(["/opt/openclaw/workspace"]),
                deniedPaths: z.array(z.string().min(1)).default([".ssh", ".aws", ".config", "/etc", "/root"]),
                writablePaths: z.array(absolutePath).default([]),
            })
            .prefault({}),
        egress: z
            .strictObject({
                allowedDomains: z.array(z.string()).default([".anthropic.com", ".github.com", ".npmjs.com"]),
            })
            .prefault({}),
        logging: z
            .strictObject({
                level: z.enum(["error", "warn", "info", "debug"]).default("info"),
                maxFileMb: z.number().int().min(1).default(100),
                audit: z.boolean().default(true),
                /** Which messages the audit ledger keeps: "all" is the guide's "prompts" logging. */
                auditMessages: z.enum(["off", "direct", "all"]).default("all"),
                sessionLog: z.boolean().default(true),
            })
            .prefault({}),
        alerts: z
            .strictObject({
                rules: z.array(alertRule).default([
                    { name: "dangerous-command", kind: "command", pattern: "sudo|rm -rf|chmod 777", action: "block-and-notify" },
                    { name: "secret-file", kind: "file", pattern: "/\\.ssh/|/\\.aws/|/etc/passwd", action: "block-and-notify" },
                    { name: "anonymizer-host", kind: "host", pattern: "\\.onion|torproject\\.org", action: "block-and-notify" },
                ]),
                webhookUrl: z.url({ protocol: /^https$/ }).optional(),
            })
            .prefault({}),
        rollout: z
            .strictObject({
                stage: z.enum(ROLLOUT_STAGES).default("read-only"),
            })
            .prefault({}),
    })
    .superRefine(refineDeployment);

/** What a user writes (every field optional, defaults applied on parse). */
export type DeploymentSettingsInput = z.input<typeof deploymentSettingsSchema>;
/** Settings after defaults and validation: what renderers and components consume. */
export type DeploymentSettings = z.output<typeof deploymentSettingsSchema>;
export type RolloutStage = (typeof ROLLOUT_STAGES)[number];
export type ChannelId = (typeof CHANNEL_IDS)[number];
export type ChannelSettings = z.output<typeof channel>;
export type MountSettings = z.output<typeof mount>;
export type TokenSettings = z.output<typeof tokenEntry>;
