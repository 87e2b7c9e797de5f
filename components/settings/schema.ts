import { z } from "zod";
import { refineDeployment } from "./rules";
import { ALERT_ACTIONS, ALERT_RULE_KINDS, CHANNEL_IDS, CONTAINER_ROLES, CONTAINER_RUNTIMES, CONTAINER_WORKSPACE, DEFAULT_INTERNAL_SUBNET, DEFAULT_UID, DRAFTS_PATH, MODEL_PROVIDER_KINDS, OPERATOR_SCOPES, PINNED_OPENCLAW_VERSION, RENAMED_STAGES, ROLLOUT_STAGES, SECCOMP_PROFILES, APPARMOR_PROFILES } from "./constants";
import { HOST_KEY_HOW, parseHostKey } from "../host/sshHostKey";
import { teamSettings } from "./team";
import { kubernetesSettings } from "./kubernetes";

/**
 * The one source of truth for a clawcage deployment. Every default is the guide's secure value;
 * loosening anything is an explicit, visible setting. Cross-field rules live in rules.ts.
 */

const name = z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,30}$/, "use lowercase letters, digits and '-', starting with a letter (max 31)");

/**
 * One choice for every container, or an object of roles (gateway, sandbox, proxies, watcher), each `fallback`
 * unless named.
 */
function perRole<T extends string>(choices: readonly [T, ...T[]], fallback: NoInfer<T>) {
    const choice = z.enum(choices);
    const listed = choices.map((c) => `"${c}"`).join(" or ");
    const roles = Object.fromEntries(CONTAINER_ROLES.map((r) => [r, choice.default(fallback)])) as Record<(typeof CONTAINER_ROLES)[number], z.ZodDefault<typeof choice>>;
    return z
        .union([choice, z.strictObject(roles)], { error: `use ${listed} for every container, or an object of roles (${CONTAINER_ROLES.join(", ")}), each ${listed}` })
        .default(fallback);
}

const absolutePath = z.string().regex(/^\/[^\0]*$/, "must be an absolute path (start with '/')");

const tokenEntry = z.strictObject({
    scopes: z.array(z.enum(OPERATOR_SCOPES)).min(1).default([...OPERATOR_SCOPES]).describe("What this token may do, enforced by OpenClaw (e.g. [operator.read] for a read-only token); every scope when omitted."),
    source: z.enum(["generated", "secret-config"]).default("generated").describe("\"generated\": a 256-bit random token; \"secret-config\": `pulumi config set --secret clawcage:token-<name>`."),
    rotation: z.string().default("1").describe("Change this value to rotate this token alone (it is the random resource's keeper)."),
    value: z
        .never({ error: "tokens are never written in config: omit it to generate one, or set source: 'secret-config' and `pulumi config set --secret token-<name>`" })
        .optional().describe("Present only to refuse a token written into config with a message that says what to do instead."),
});

const channel = z.strictObject({
    enabled: z.boolean().default(true).describe("An enabled telegram channel needs its bot token in secret config: `pulumi config set --secret channel-telegram <token>`."),
    dmPolicy: z.enum(["pairing", "allowlist", "open", "disabled"]).default("allowlist"),
    allowFrom: z.array(z.string().min(1)).default([]).describe("Sender ids that may message the agent (\"*\", everyone, is refused; required with dmPolicy allowlist)."),
    groupPolicy: z.enum(["allowlist", "open", "disabled"]).default("allowlist"),
    groupAllowFrom: z.array(z.string().min(1)).default([]).describe("Ids allowed to reach the agent in groups (\"*\" is refused)."),
    requireMentionIn: z.array(z.string().min(1)).default(["*"]).describe("Group ids (or \"*\") that are answered only when the bot is @-mentioned."),
});

const modelProvider = z.strictObject({
    kind: z.enum(MODEL_PROVIDER_KINDS).optional().describe("\"anthropic\", \"openai\" or \"openai-compatible\" (any /v1/chat/completions server: Ollama, vLLM, a company gateway); defaults to the provider's id when that is anthropic or openai."),
    baseUrl: z.url({ protocol: /^https?$/ }).optional().describe("The provider's API base URL (required for openai-compatible, e.g. https://llm.example.com/v1); anthropic and openai default to their public APIs."),
    models: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:@/-]*$/, "a model id such as claude-sonnet-4-5 or llama3.1:8b")).default([]).describe("Model ids the agent may use, besides the default one."),
    auth: z.enum(["api-key", "none"]).default("api-key").describe("\"api-key\": the key from secret config `model-<id>`, added by the egress proxy; \"none\" for a local server without a key."),
    privateNetwork: z.boolean().default(false).describe("The named exception for a model server on your own network (a private address or a local name): only this provider's relay reaches it."),
});

const mount = z.strictObject({
    hostPath: absolutePath,
    containerPath: absolutePath,
    readOnly: z.boolean().default(true),
});

const alertRule = z.strictObject({
    name,
    kind: z.enum(ALERT_RULE_KINDS),
    pattern: z.string().min(1).describe("A regular expression matched against each tool call's commands, files (path arguments and path words of commands) or URL hosts, by the audit plugin."),
    action: z.enum(ALERT_ACTIONS).default("block-and-notify").describe("block-and-notify: the call is refused before the tool runs; block-and-pause: refused, and every tool call after it until the operator runs `clawcage resume`; notify: it is recorded and goes on."),
});

const hostName = z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "give a host name (e.g. hooks.slack.com), lower case, no scheme, port or path");

const alertWebhook = z
    .strictObject({
        host: hostName.describe("The webhook's host; the egress proxy lets the alert watcher alone reach it."),
    })
    .describe("Post each alert (Slack-compatible JSON) to the URL in secret config `clawcage:alert-webhook-url`, on this host: a Slack webhook's URL is its credential.");

const alertMail = z
    .strictObject({
        host: hostName.describe("The SMTP server; the egress proxy lets the alert watcher alone reach it, on `port` only."),
        port: z.union([z.literal(465), z.literal(587)]).default(587).describe("465: TLS from the start; 587: STARTTLS, required."),
        user: z.string().min(1).describe("The SMTP login; its password is secret config `clawcage:alert-mail-password`."),
        from: z.email(),
        to: z.array(z.email()).min(1, "give at least one address to mail the alerts to"),
    })
    .describe("Mail each alert over SMTP with authentication and TLS.");

const sshHost = z.strictObject({
    kind: z.literal("ssh"),
    address: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.:-]*$/, "give the VPS's host name or IP address (e.g. vps.example.com)"),
    port: z.number().int().min(1).max(65535).default(22),
    user: z.string().regex(/^[a-z_][a-z0-9_.-]{0,31}$/, "give a login name on the VPS (e.g. root, or a sudoer)").default("root"),
    hostKey: z
        .string({ error: `pin the VPS's SSH host key: ${HOST_KEY_HOW}` })
        .superRefine((line, ctx) => {
            const key = parseHostKey(line);
            if (typeof key === "string") ctx.addIssue({ code: "custom", message: `${key}; ${HOST_KEY_HOW}` });
        })
        .describe("The VPS's SSH host key line (`ssh-ed25519 AAAA…`); every connection accepts this key and no other."),
});

const localHost = z.strictObject({ kind: z.literal("local") });

export const deploymentSettingsSchema = z
    .strictObject({
        image: z
            .strictObject({
                gatewayBase: z.string().min(1).default("node:24-bookworm-slim").describe("Base image of the gateway; any Debian-based image with Node 24 (or the node binary copied in)."),
                proxyBase: z.string().min(1).default("debian:bookworm-slim").describe("Base image of the proxy images (squid, haproxy from Debian packages)."),
                buildCaCert: z.string().startsWith("-----BEGIN CERTIFICATE-----", "paste a PEM certificate").optional().describe("PEM of an extra CA trusted only while the gateway image downloads npm packages (TLS-intercepting proxies)."),
                openclawVersion: z
                    .string()
                    .regex(/^\d{4}\.\d+\.\d+$/, "pin an exact OpenClaw version such as 2026.9.6 (no ranges, no 'latest')")
                    .default(PINNED_OPENCLAW_VERSION).describe("Exact OpenClaw version baked into the gateway image."),
            })
            .prefault({}),
        host: z
            .strictObject({
                target: z.discriminatedUnion("kind", [localHost, sshHost]).default({ kind: "local" }).describe("Where the host steps run: this machine, or a VPS over SSH (key in secret config `sshPrivateKey`)."),
                root: absolutePath.default("/opt/openclaw").describe("Home of the service account; holds workspace, config, logs, state."),
                user: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/).default("clawuser").describe("The unprivileged system user (password locked, no login shell)."),
                group: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/).default("openclaw").describe("Its system group."),
                uid: z.number().int().min(1000).max(65000).default(DEFAULT_UID).describe("uid and gid of the account and of every container (bind mounts line up)."),
            })
            .prefault({}),
        container: z
            .strictObject({
                cpus: z.number().positive().max(64).default(2).describe("CPU limit of the gateway (guide: 2)."),
                proxyCpus: z.number().min(0.1).max(64).default(1).describe("CPU limit of each proxy (egress squid, ingress haproxy), which every model call and client request crosses. Measured (`npm run bench`, the README's benchmarks): from 0.5 to 1 CPU, plain http through the egress proxy under load gained half again; above 1 nothing moved, squid being one process."),
                memoryMb: z.number().int().min(512).default(4096).describe("Memory limit in MiB, swap included (guide: 4 GiB)."),
                cpuReservation: z.number().positive().default(1).describe("CPU weight under contention, in CPUs (guide: 1)."),
                memoryReservationMb: z.number().int().min(128).default(2048).describe("Soft memory reservation in MiB (guide: 2 GiB)."),
                maxProcesses: z.number().int().min(16).max(4096).default(256).describe("Max processes and threads of the gateway and of the sandbox host, each on its own (the pids cgroup limit, Docker's --pids-limit); the proxies have 128. Under gVisor its own kernel's threads get room on top."),
                tmpfsSizeMb: z.number().int().min(8).max(4096).default(256).describe("Size of each tmpfs (/tmp and the temp dir), noexec."),
                runtime: perRole(CONTAINER_RUNTIMES, "runc").describe("Container runtime: \"runc\" (Docker's default) or \"gvisor\" (runsc: a user-space kernel between the container and the host's; register it with dockerd as `runsc`, see the README). One for every container, or per role: { gateway, sandbox, proxies, watcher }, each runc unless named."),
                seccomp: perRole(SECCOMP_PROFILES, "recorded").describe(
                    "Seccomp profile: \"recorded\" (the system calls the container's image was recorded making, everything else refused; tighter than Docker's default, see the README) or \"docker-default\". One for every container, or per role: { gateway, sandbox, proxies, watcher }. A container on gVisor gets none: runsc applies no OCI profile, its own filter guards the host's kernel.",
                ),
                apparmor: perRole(APPARMOR_PROFILES, "clawcage").describe(
                    "AppArmor profile, where the host's kernel has AppArmor (elsewhere Docker ignores it and the host step says it skipped): \"clawcage\" (Docker's default without raw sockets, tracing or capabilities beyond the container's; the host step loads it) or \"docker-default\". One for every container, or per role: { gateway, sandbox, proxies, watcher }. A container on gVisor gets none.",
                ),
                mounts: z.array(mount).default([]).describe("Extra project folders; refused when they expose a denied path (see filesystem.deniedPaths) or a container-engine socket."),
            })
            .prefault({}),
        gateway: z
            .strictObject({
                port: z.number().int().min(1024).max(65535).default(18789).describe("Gateway port inside the internal network."),
                publish: z
                    .strictObject({
                        address: z.ipv4().or(z.ipv6()).default("127.0.0.1"),
                        port: z.number().int().min(1).max(65535).default(18789),
                    })
                    .optional().describe("Where the gateway is published on the host; omit to keep it reachable only from the internal network."),
                ipAllowlist: z.array(z.cidrv4().or(z.cidrv6())).default([]).describe("Client CIDRs allowed to reach the published port (enforced by the ingress proxy); required, and narrower than everyone, when publishing beyond loopback."),
                rateLimit: z
                    .strictObject({
                        maxAttempts: z.number().int().min(1).default(5),
                        windowSeconds: z.number().int().min(1).default(60),
                        lockoutSeconds: z.number().int().min(1).default(300),
                    })
                    .prefault({}),
                auth: z.enum(["token", "none"]).default("token").describe("Always token; \"none\" is refused."),
                tokens: z.record(name, tokenEntry).default({ admin: tokenEntry.parse({}) }).describe("Named client tokens, checked by the ingress proxy; each one rotates or is revoked alone (`clawcage rotate-token NAME`)."),
                tls: z
                    .strictObject({
                        certificate: z
                            .enum(["generated", "secret-config", "off"])
                            .default("generated")
                            .describe("The published endpoint's certificate: \"generated\" (self-signed; clients pin the `ingressCertificateSha256` output), \"secret-config\" (`pulumi config set --secret ingress-tls -- \"$(cat cert.pem key.pem)\"`), or \"off\" (plain http, loopback only)."),
                    })
                    .prefault({}),
                controlUi: z
                    .strictObject({
                        enabled: z.boolean().default(false).describe("Serve OpenClaw's Control UI at the published endpoint, behind the same named tokens (each browser is paired by `clawcage devices approve`)."),
                    })
                    .prefault({}),
            })
            .prefault({}),
        network: z
            .strictObject({
                internalSubnet: z
                    .cidrv4()
                    .default(DEFAULT_INTERNAL_SUBNET)
                    .describe("The gateway's network; fixed, because the gateway trusts identities only from the ingress proxy's pinned address in it. Change it if it clashes with the host's LAN or VPN. A team's gateways each have their own (team.members)."),
                egressSubnet: z.cidrv4().optional().describe("Fixed subnets avoid clashes with the host's LAN or VPN; omit to let Docker choose."),
                ingressSubnet: z.cidrv4().optional(),
            })
            .prefault({}),
        models: z
            .strictObject({
                default: z
                    .string()
                    .regex(/^[a-z][a-z0-9-]{0,30}\/[A-Za-z0-9][A-Za-z0-9._:@/-]*$/, "write '<provider>/<model>', e.g. 'anthropic/claude-sonnet-4-5'")
                    .optional().describe("The agent's model, `<provider>/<model>`; with provider anthropic or openai nothing else is needed but the key: `pulumi config set --secret model-<provider>`."),
                providers: z.record(name, modelProvider).default({}).describe("Model providers by id; each key comes from secret config `model-<id>` and never reaches the gateway (the egress proxy adds it)."),
            })
            .prefault({}),
        channels: z.partialRecord(z.enum(CHANNEL_IDS), channel).default({}),
        tools: z
            .strictObject({
                allow: z.array(z.string().min(1)).default(["read", "web_search"]).describe("Tools the agent may use (write tools come with writable paths, exec with the git stage): tool ids or groups of the pinned OpenClaw's catalogue; unknown names are refused."),
                deny: z.array(z.string().min(1)).default(["group:ui", "group:nodes", "group:automation"]).describe("Tools always denied (deny wins in OpenClaw); unknown names are refused, since OpenClaw would ignore them."),
                browser: z.boolean().default(false).describe("Allow the browser tool (and switch on OpenClaw's browser control, off otherwise)."),
                exec: z
                    .strictObject({
                        enabled: z.boolean().optional().describe("Run commands from the git stage on (the default there); false keeps exec off in every stage."),
                        allowCommands: z
                            .array(z.string().min(1))
                            .optional()
                            .describe("Exact command forms exec may run on the gateway (the operator's own session), e.g. 'git status', 'git log *' ('*': further arguments that are not options), 'npm test'; never a bare program that runs code through its options, config or scripts. Omitted: the stage's forms. Sandboxed sessions run commands on the sandbox host, where OpenClaw does not apply this list."),
                        denyCommands: z
                            .array(z.string().min(1))
                            .default(["rm -rf", "sudo", "chmod 777", "dd if=", "mkfs", "> /dev/sda"]).describe("Second net: refused in an allowed form, and refused by OpenClaw in a command's arguments."),
                    })
                    .prefault({}),
                webFetch: z
                    .strictObject({
                        enabled: z.boolean().default(false),
                        domains: z.array(z.string()).default([]).describe("web_fetch reaches only these domains (registrable public domains, as egress.allowedDomains); they are added to the egress allowlist."),
                    })
                    .prefault({}),
            })
            .prefault({}),
        filesystem: z
            .strictObject({
                allowedPaths: z.array(absolutePath).default([CONTAINER_WORKSPACE]).describe("Container paths the agent may see; mounts must lie inside."),
                deniedPaths: z.array(z.string().min(1)).default([]).describe("Folder names or absolute host paths never mounted, on top of the built-in list (credential folders such as .ssh and .kube, home folders, /etc, /proc and other system folders, container-engine sockets and their folders)."),
                writablePaths: z.array(absolutePath).optional().describe(`Paths below the workspace ${CONTAINER_WORKSPACE} mounted writable over the read-only workspace, from the draft stage on. Omitted: the stage's (${DRAFTS_PATH}).`),
            })
            .prefault({}),
        egress: z
            .strictObject({
                allowedDomains: z.array(z.string()).default([".anthropic.com", ".github.com", ".npmjs.com"]).describe("Egress allowlist: `host.example` or `.example.com` (with subdomains), each within a registrable public domain (no public suffix such as .com or .github.io, no local name)."),
            })
            .prefault({}),
        logging: z
            .strictObject({
                level: z.enum(["error", "warn", "info", "debug"]).default("info"),
                maxFileMb: z.number().int().min(1).default(100).describe("Rotate OpenClaw's log and the tool-call record past this size."),
                keepFiles: z.number().int().min(1).max(100).default(5).describe("Rotated tool-call records kept beside the current one."),
                minFreeMb: z.number().int().min(1).default(100).describe("Below this much free room on the logs volume the agent's tools are refused: nothing runs unrecorded."),
                audit: z.boolean().default(true).describe("OpenClaw audit ledger (`openclaw audit`)."),
                auditMessages: z.enum(["off", "direct", "all"]).default("all").describe("Which messages the audit ledger keeps: \"all\" is the guide's \"prompts\" logging."),
                sessionLog: z.boolean().default(true).describe("Keep messages in the audit ledger (off sets auditMessages to off)."),
            })
            .prefault({}),
        alerts: z
            .strictObject({
                rules: z.array(alertRule).default([
                    { name: "dangerous-command", kind: "command", pattern: "sudo|rm -rf|chmod 777", action: "block-and-notify" },
                    { name: "secret-file", kind: "file", pattern: "/\\.ssh/|/\\.aws/|/etc/passwd", action: "block-and-notify" },
                    { name: "anonymizer-host", kind: "host", pattern: "\\.onion|torproject\\.org", action: "block-and-notify" },
                ]),
                webhook: alertWebhook.optional(),
                mail: alertMail.optional(),
                caCertificate: z
                    .string()
                    .regex(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n?$/, "give one PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)")
                    .optional()
                    .describe("A CA the webhook's or mail server's certificate chains to besides the public ones (a company CA); trusted by the alert watcher alone."),
            })
            .prefault({}),
        rollout: z
            .strictObject({
                stage: z
                    .enum(ROLLOUT_STAGES, {
                        error: (issue) => {
                            const renamed = RENAMED_STAGES[String(issue.input)];
                            return renamed ? `'${String(issue.input)}' is now called '${renamed}'` : `expected one of ${ROLLOUT_STAGES.join(", ")} (weeks 1 to 4 of the guide; \`clawcage stage show\` prints what each grants)`;
                        },
                    })
                    .default("observe")
                    .describe("The guide's rollout, one permission per week: observe, draft (writes drafts), git (runs git's read forms), build (runs npm test). Step with `clawcage stage next` / `back`."),
            })
            .prefault({}),
        team: teamSettings,
        target: z.enum(["docker", "kubernetes"]).default("docker").describe("Where the deployment runs: a Docker host (host.target) or a Kubernetes cluster (the `kubernetes` block)."),
        kubernetes: kubernetesSettings,
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
export type ModelProviderSettings = z.output<typeof modelProvider>;
export type TokenSettings = z.output<typeof tokenEntry>;
