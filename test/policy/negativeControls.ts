import type { PolicyInput } from "../../cli/check/policyInputs";
import { change, changeConfig, changeOutput, changeWrittenFile } from "./fixtures";
import type { Permission } from "../../policy/api";
import { KUBERNETES_CONTROLS } from "./kubernetesControls";
import type { CommittedStack } from "./fixtures";

/** One change of exactly one property of a compliant stack, which the named policy must catch. */
export interface NegativeControl {
    policy: string;
    stack: CommittedStack;
    change: string;
    apply: (inputs: PolicyInput[]) => PolicyInput[];
}

const GATEWAY = "openclaw-gateway-container";
const EGRESS = "openclaw-egress-container";
const INGRESS = "openclaw-ingress-container";
const SANDBOX = "openclaw-sandbox-container";
const INGRESS_CONF = "openclaw-ingress-conf";
const EGRESS_CONF = "openclaw-egress-conf";
/** prod's ipAllowlist, as its haproxy.cfg carries it. */
const PROD_CLIENTS = "203.0.113.0/24";

/** The last deployment as it was before `keys` were granted: the stack now loosens each of them. */
const grantedSince = (keys: string[]) => (value: unknown) => JSON.stringify((JSON.parse(String(value)) as Permission[]).filter((p) => !keys.includes(p.key)));

export const NEGATIVE_CONTROLS: NegativeControl[] = [
    {
        policy: "one-loosening-at-a-time",
        stack: "prod",
        change: "deployed without writes to temp and without egress to .npmjs.com: two loosenings at once",
        apply: (i) => changeOutput(i, "previousPermissions", grantedSince(["write:/opt/openclaw/workspace/temp", "egress:.npmjs.com"])),
    },
    { policy: "container-non-root-user", stack: "dev", change: "gateway user root", apply: (i) => change(i, GATEWAY, (p) => void (p.user = "root")) },
    { policy: "container-no-new-privileges", stack: "dev", change: "gateway securityOpts emptied", apply: (i) => change(i, GATEWAY, (p) => void (p.securityOpts = [])) },
    { policy: "container-capabilities-dropped", stack: "dev", change: "egress proxy drops nothing", apply: (i) => change(i, EGRESS, (p) => void (p.capabilities = { adds: [], drops: [] })) },
    { policy: "container-seccomp", stack: "dev", change: "the gateway's seccomp=unconfined", apply: (i) => change(i, GATEWAY, (p) => void (p.securityOpts = ["no-new-privileges:true", "seccomp=unconfined"])) },
    {
        policy: "container-seccomp",
        stack: "prod",
        change: "the egress proxy's recorded profile lets unlisted calls through (defaultAction SCMP_ACT_ALLOW)",
        apply: (i) => change(i, EGRESS, (p) => void (p.securityOpts = (p.securityOpts as string[]).map((o) => o.replace('"defaultAction":"SCMP_ACT_ERRNO"', '"defaultAction":"SCMP_ACT_ALLOW"')))),
    },
    { policy: "container-apparmor", stack: "dev", change: "the gateway's apparmor=unconfined", apply: (i) => change(i, GATEWAY, (p) => void (p.securityOpts = [...(p.securityOpts as string[]), "apparmor=unconfined"])) },
    { policy: "container-apparmor", stack: "prod", change: "the egress proxy's own profile swapped for apparmor=unconfined", apply: (i) => change(i, EGRESS, (p) => void (p.securityOpts = (p.securityOpts as string[]).map((o) => o.replace(/^apparmor=.*$/, "apparmor=unconfined")))) },
    { policy: "container-read-only-root", stack: "dev", change: "gateway root writable", apply: (i) => change(i, GATEWAY, (p) => void (p.readOnly = false)) },
    { policy: "container-read-only-root", stack: "prod", change: "the sandbox host's root writable", apply: (i) => change(i, SANDBOX, (p) => void (p.readOnly = false)) },
    { policy: "container-memory-limit", stack: "dev", change: "gateway memory limit removed", apply: (i) => change(i, GATEWAY, (p) => void delete p.memory) },
    { policy: "container-cpu-limit", stack: "dev", change: "ingress cpus removed", apply: (i) => change(i, INGRESS, (p) => void delete p.cpus) },
    { policy: "container-pids-limit", stack: "dev", change: "the gateway's pids step sets no limit", apply: (i) => change(i, "openclaw-gateway-pids-limit", (p) => void (p.create = "true\n")) },
    { policy: "container-pids-limit", stack: "prod", change: "the ingress's pids limit is -1 (unlimited)", apply: (i) => change(i, "openclaw-ingress-pids-limit", (p) => void (p.create = String(p.create).replace(/--pids-limit \d+/, "--pids-limit -1"))) },
    { policy: "container-sandbox-gvisor", stack: "prod", change: "the sandbox host back on runc", apply: (i) => change(i, SANDBOX, (p) => void (p.runtime = "runc")) },
    { policy: "container-not-privileged", stack: "dev", change: "egress proxy privileged", apply: (i) => change(i, EGRESS, (p) => void (p.privileged = true)) },
    {
        policy: "container-no-docker-socket",
        stack: "dev",
        change: "docker socket mounted into the gateway",
        apply: (i) => change(i, GATEWAY, (p) => void (p.volumes = [...(p.volumes as object[]), { hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock", readOnly: true }])),
    },
    {
        policy: "container-no-sensitive-mounts",
        stack: "prod",
        change: "~/.ssh mounted into the gateway",
        apply: (i) => change(i, GATEWAY, (p) => void (p.volumes = [...(p.volumes as object[]), { hostPath: "/home/alice/.ssh", containerPath: "/opt/openclaw/workspace/.ssh", readOnly: true }])),
    },
    { policy: "container-no-host-network", stack: "dev", change: "gateway networkMode host", apply: (i) => change(i, GATEWAY, (p) => void (p.networkMode = "host")) },
    { policy: "container-no-host-pid", stack: "dev", change: "gateway pidMode host", apply: (i) => change(i, GATEWAY, (p) => void (p.pidMode = "host")) },
    { policy: "container-no-host-ipc", stack: "dev", change: "ingress ipcMode host", apply: (i) => change(i, INGRESS, (p) => void (p.ipcMode = "host")) },
    { policy: "images-pinned", stack: "dev", change: "gateway image :latest", apply: (i) => change(i, GATEWAY, (p) => void (p.image = "clawcage/gateway:latest")) },
    {
        policy: "published-port-allowlisted",
        stack: "dev",
        change: "ingress published on 0.0.0.0 with no allowlist",
        apply: (i) => change(i, INGRESS, (p) => void (p.ports = [{ external: 18789, internal: 18789, ip: "0.0.0.0", protocol: "tcp" }])),
    },
    {
        policy: "published-port-allowlisted",
        stack: "prod",
        change: "haproxy ACL widened to 0.0.0.0/0",
        apply: (i) => changeWrittenFile(i, INGRESS_CONF, (t) => t.replace(PROD_CLIENTS, "0.0.0.0/0")),
    },
    {
        policy: "published-port-allowlisted",
        stack: "prod",
        change: "haproxy ACL split into 0.0.0.0/1 + 128.0.0.0/1 (all of IPv4)",
        apply: (i) => changeWrittenFile(i, INGRESS_CONF, (t) => t.replace(PROD_CLIENTS, "0.0.0.0/1 128.0.0.0/1")),
    },
    {
        policy: "published-port-allowlisted",
        stack: "dev",
        change: "ingress published on the LAN address 192.168.1.10 with no allowlist",
        apply: (i) => change(i, INGRESS, (p) => void (p.ports = [{ external: 18789, internal: 18789, ip: "192.168.1.10", protocol: "tcp" }])),
    },
    {
        policy: "gateways-share-no-network",
        stack: "team",
        change: "alice's gateway also on bob's internal network",
        apply: (i) => change(i, "openclaw-alice-gateway-container", (p) => void (p.networksAdvanced = [...(p.networksAdvanced as object[]), { name: "openclaw-bob-net-internal" }])),
    },
    {
        policy: "gateways-share-no-network",
        stack: "team",
        change: "bob's sandbox host also on alice's internal network",
        apply: (i) => change(i, "openclaw-bob-sandbox-container", (p) => void (p.networksAdvanced = [...(p.networksAdvanced as object[]), { name: "openclaw-alice-net-internal" }])),
    },
    { policy: "gateway-internal-networks-only", stack: "dev", change: "internal network not internal", apply: (i) => change(i, "openclaw-net-internal", (p) => void (p.internal = false)) },
    {
        policy: "egress-only-through-proxy",
        stack: "dev",
        change: "gateway also joins the egress network",
        apply: (i) => change(i, GATEWAY, (p) => void (p.networksAdvanced = [...(p.networksAdvanced as object[]), { name: "openclaw-net-egress" }])),
    },
    {
        policy: "egress-allowlist-domains",
        stack: "dev",
        change: "squid allows the public suffix .com",
        apply: (i) => changeWrittenFile(i, EGRESS_CONF, (t) => t.replace("acl allowed_domains dstdomain ", "acl allowed_domains dstdomain .com ")),
    },
    {
        policy: "egress-allowlist-domains",
        stack: "prod",
        change: "squid allows .github.io and localhost",
        apply: (i) => changeWrittenFile(i, EGRESS_CONF, (t) => t.replace("acl allowed_domains dstdomain ", "acl allowed_domains dstdomain .github.io localhost ")),
    },
    {
        policy: "egress-allowlist-domains",
        stack: "dev",
        change: "squid ends with http_access allow all",
        apply: (i) => changeWrittenFile(i, EGRESS_CONF, (t) => t.replace("http_access deny all", "http_access allow all")),
    },
    {
        policy: "egress-proxy-clients",
        stack: "dev",
        change: "squid refuses no stranger first",
        apply: (i) => changeWrittenFile(i, EGRESS_CONF, (t) => t.replace("http_access deny !gateway_clients\n", "")),
    },
    {
        policy: "egress-proxy-clients",
        stack: "prod",
        change: "squid's clients widened to every address",
        apply: (i) => changeWrittenFile(i, EGRESS_CONF, (t) => t.replace(/^acl gateway_clients src .*$/m, "acl gateway_clients src 0.0.0.0/0")),
    },
    {
        policy: "no-plaintext-secret-env",
        stack: "dev",
        change: "gateway token passed as a literal env",
        apply: (i) => change(i, GATEWAY, (p) => void (p.envs = [...(p.envs as string[]), `OPENCLAW_GATEWAY_TOKEN=${"a1".repeat(32)}`])),
    },
    { policy: "openclaw-token-auth", stack: "dev", change: "auth mode none", apply: (i) => changeConfig(i, (c) => void (c.gateway.auth.mode = "none")) },
    { policy: "openclaw-token-auth", stack: "dev", change: "trusted proxy widened to a /16", apply: (i) => changeConfig(i, (c) => void (c.gateway.trustedProxies = ["10.89.0.0/16"])) },
    { policy: "openclaw-token-auth", stack: "dev", change: "trusted-proxy allowUsers emptied", apply: (i) => changeConfig(i, (c) => void (c.gateway.auth.trustedProxy.allowUsers = [])) },
    { policy: "openclaw-token-auth", stack: "prod", change: "loopback proxies allowed", apply: (i) => changeConfig(i, (c) => void (c.gateway.auth.trustedProxy.allowLoopback = true)) },
    { policy: "openclaw-token-from-secret-ref", stack: "dev", change: "token written inline", apply: (i) => changeConfig(i, (c) => void (c.gateway.auth.token = "x".repeat(64))) },
    { policy: "openclaw-credentials-from-secret-ref", stack: "prod", change: "telegram bot token written inline", apply: (i) => changeConfig(i, (c) => void (c.channels.telegram.botToken = "123456:AAE-fake-bot-token")) },
    {
        policy: "openclaw-credentials-from-secret-ref",
        stack: "dev",
        change: "a provider key written inline",
        apply: (i) => changeConfig(i, (c) => void (c.models = { ...c.models, providers: { anthropic: { baseUrl: "https://api.anthropic.com", apiKey: "sk-ant-fake", models: [] } } })),
    },
    { policy: "openclaw-channel-allowlists", stack: "prod", change: "telegram DMs open", apply: (i) => changeConfig(i, (c) => void (c.channels.telegram.dmPolicy = "open")) },
    { policy: "openclaw-channel-allowlists", stack: "prod", change: "telegram allowFrom ' * '", apply: (i) => changeConfig(i, (c) => void c.channels.telegram.allowFrom.push(" * ")) },
    { policy: "openclaw-channel-allowlists", stack: "prod", change: "telegram groupAllowFrom '*'", apply: (i) => changeConfig(i, (c) => void (c.channels.telegram.groupAllowFrom = ["*"])) },
    { policy: "openclaw-mention-gating", stack: "prod", change: "telegram groups without mention", apply: (i) => changeConfig(i, (c) => void (c.channels.telegram.groups["*"].requireMention = false)) },
    {
        policy: "openclaw-sandbox-on",
        stack: "dev",
        change: "sandbox off while exec runs allowlisted commands",
        apply: (i) => changeConfig(i, (c) => void ((c.agents.defaults.sandbox.mode = "off"), (c.tools.exec.mode = "allowlist"), (c.tools.deny = c.tools.deny.filter((t) => t !== "group:runtime")))),
    },
    {
        policy: "openclaw-sandbox-on",
        stack: "dev",
        change: "sandbox off with exec denied but process left usable",
        apply: (i) => changeConfig(i, (c) => void ((c.agents.defaults.sandbox.mode = "off"), (c.tools.deny = [...c.tools.deny.filter((t) => t !== "group:runtime"), "exec", "code_execution"]))),
    },
    { policy: "openclaw-tool-allowlist", stack: "dev", change: "tools.allow *", apply: (i) => changeConfig(i, (c) => void (c.tools.allow = ["*"])) },
    { policy: "openclaw-tool-allowlist", stack: "dev", change: "tools.deny misspells group:runtime", apply: (i) => changeConfig(i, (c) => void (c.tools.deny = c.tools.deny.map((t) => (t === "group:runtime" ? "group:runtim" : t)))) },
    { policy: "openclaw-tool-allowlist", stack: "prod", change: "gateway.tools.deny names an unknown tool", apply: (i) => changeConfig(i, (c) => void c.gateway.tools.deny.push("shell")) },
    { policy: "openclaw-exec-browser-restricted", stack: "dev", change: "exec mode full", apply: (i) => changeConfig(i, (c) => void (c.tools.exec.mode = "full")) },
    { policy: "openclaw-exec-browser-restricted", stack: "dev", change: "browser.enabled left to OpenClaw's default", apply: (i) => changeConfig(i, (c) => void delete c.browser) },
    { policy: "openclaw-exec-browser-restricted", stack: "dev", change: "exec allowlist with OpenClaw's default safe bins", apply: (i) => changeConfig(i, (c) => void ((c.tools.exec.mode = "allowlist"), delete c.tools.exec.safeBins)) },
    { policy: "openclaw-workspace-only", stack: "prod", change: "workspaceOnly false", apply: (i) => changeConfig(i, (c) => void (c.tools.fs.workspaceOnly = false)) },
    { policy: "openclaw-audit-log", stack: "dev", change: "audit ledger off", apply: (i) => changeConfig(i, (c) => void (c.logging.audit.enabled = false)) },
    ...KUBERNETES_CONTROLS,
];
