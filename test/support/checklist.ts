import { strict as assert } from "node:assert";
import { tokenDigest } from "../../components/ingress/accessMaps";
import { byName, ofType, reveal, type ProgramRun } from "../../cli/record/program";

/** The recorded inputs of a docker.Container, as the checklist reads them. */
export interface ContainerInputs {
    name: string;
    user: string;
    readOnly: boolean;
    privileged: boolean;
    securityOpts: string[];
    capabilities: { drops: string[]; adds: string[] };
    tmpfs: Record<string, string>;
    cpus: string;
    memory: number;
    memoryReservation: number;
    memorySwap: number;
    ulimits: { name: string; soft: number; hard: number }[];
    networkMode: string;
    networksAdvanced: { name: string; aliases?: string[] }[];
    ports?: { internal: number; external: number; ip: string }[];
    volumes: { hostPath: string; containerPath: string; readOnly: boolean }[];
    envs?: unknown;
    restart: string;
    healthcheck?: { tests: string[] };
}

interface OpenClawJson {
    secrets: { providers: Record<string, unknown> };
    proxy: { enabled: boolean; proxyUrl: string; loopbackMode: string };
    gateway: { bind: string; auth: { mode: string; token: unknown; rateLimit: object }; controlUi: { enabled: boolean }; terminal: { enabled: boolean } };
    tools: { allow: string[]; deny: string[]; exec: { mode: string }; elevated: { enabled: boolean }; fs: { workspaceOnly: boolean } };
    agents: { defaults: { sandbox: { mode: string; docker: { network: string; capDrop: string[]; readOnlyRoot: boolean } } } };
    logging: { file: string; audit: { enabled: boolean; messages: string } };
    channels: Record<string, { dmPolicy: string; groupPolicy: string; allowFrom: string[]; groups: Record<string, { requireMention: boolean }> }>;
}

export const containers = (run: ProgramRun) => ofType(run, "docker:index/container:Container").map((c) => reveal(c.inputs) as ContainerInputs);
const container = (run: ProgramRun, name: string) => {
    const found = containers(run).find((c) => c.name === name);
    if (!found) throw new Error(`no container ${name}`);
    return found;
};
const commandOf = (run: ProgramRun, name: string) => reveal(byName(run, name).inputs) as { create: string; delete: string; stdin?: string; connection?: object };
const openclawJson = (run: ProgramRun) => JSON.parse(commandOf(run, "openclaw-gateway-config").stdin ?? "") as OpenClawJson;
/** The host account script exactly as rendered (the create command wraps it for root). */
const accountScript = (run: ProgramRun) => (reveal(byName(run, "openclaw-host-account").inputs) as { triggers: string[] }).triggers[0];
const networkNamed = (run: ProgramRun, name: string) => ofType(run, "docker:index/network:Network").find((n) => n.inputs.name === name)?.inputs;

export interface ChecklistItem {
    layer: string;
    item: string;
    /** Throws (an assertion error) when the recorded deployment misses the item. */
    check: (run: ProgramRun) => void;
}

/** The guide's pre-deploy checklist (mission.md), item by item, over a program's recorded resources. */
export const CHECKLIST: ChecklistItem[] = [
    {
        layer: "layer 1 — container sandbox",
        item: "runs as the unprivileged uid, never root",
        check: (run) => {
            assert.equal(container(run, "openclaw-gateway").user, "10001:10001");
        },
    },
    {
        layer: "layer 1 — container sandbox",
        item: "sets no-new-privileges, drops ALL capabilities and adds none back",
        check: (run) => {
            const c = container(run, "openclaw-gateway");
            assert.ok(c.securityOpts.includes("no-new-privileges:true"));
            assert.deepEqual(c.capabilities, { drops: ["ALL"], adds: [] });
            assert.equal(c.privileged, false);
        },
    },
    {
        layer: "layer 1 — container sandbox",
        item: "has a read-only root with tmpfs for /tmp and the temp dir",
        check: (run) => {
            const c = container(run, "openclaw-gateway");
            assert.equal(c.readOnly, true);
            assert.deepEqual(Object.keys(c.tmpfs).sort(), ["/opt/openclaw/temp", "/tmp"]);
            for (const opts of Object.values(c.tmpfs)) assert.match(opts, /noexec/);
        },
    },
    {
        layer: "layer 1 — container sandbox",
        item: "limits CPU, memory (no swap) and processes to the guide's values",
        check: (run) => {
            const c = container(run, "openclaw-gateway");
            assert.equal(c.cpus, "2.0");
            assert.equal(c.memory, 4096);
            assert.equal(c.memorySwap, 4096);
            assert.equal(c.memoryReservation, 2048);
            assert.deepEqual(c.ulimits, [{ name: "nproc", soft: 256, hard: 256 }]);
        },
    },
    {
        layer: "layer 1 — container sandbox",
        item: "joins only the internal network (no default bridge, no published port)",
        check: (run) => {
            const c = container(run, "openclaw-gateway");
            assert.equal(c.networkMode, "openclaw-net-internal");
            assert.deepEqual(c.networksAdvanced.map((n) => n.name), ["openclaw-net-internal"]);
            assert.equal(networkNamed(run, "openclaw-net-internal")?.internal, true);
            assert.deepEqual(c.ports ?? [], []);
        },
    },
    {
        layer: "layer 1 — container sandbox",
        item: "mounts config read-only, never a denied path or the Docker socket",
        check: (run) => {
            const c = container(run, "openclaw-gateway");
            const config = c.volumes.find((v) => v.containerPath === "/opt/openclaw/config");
            assert.equal(config?.readOnly, true);
            for (const v of c.volumes) {
                assert.doesNotMatch(v.hostPath, /docker\.sock|\/\.ssh|\/\.aws|\/\.config|^\/etc|^\/root/);
            }
        },
    },
    {
        layer: "layer 1 — container sandbox",
        item: "turns OpenClaw's own sandbox on for non-main sessions with network none",
        check: (run) => {
            const sandbox = openclawJson(run).agents.defaults.sandbox;
            assert.equal(sandbox.mode, "non-main");
            assert.equal(sandbox.docker.network, "none");
            assert.deepEqual(sandbox.docker.capDrop, ["ALL"]);
        },
    },
    {
        layer: "layer 1 — container sandbox",
        item: "hardens every container of the deployment alike",
        check: (run) => {
            for (const i of containers(run)) {
                assert.equal(i.readOnly, true, `${i.name} read-only root`);
                assert.deepEqual(i.capabilities.drops, ["ALL"], `${i.name} cap drop`);
                assert.ok(i.securityOpts.includes("no-new-privileges:true"), `${i.name} no-new-privileges`);
                assert.doesNotMatch(i.user, /^(0|root)\b/, `${i.name} user`);
                assert.equal(i.restart, "unless-stopped");
                assert.ok(i.healthcheck?.tests.length, `${i.name} health check`);
            }
        },
    },
    {
        layer: "layer 2 — unprivileged host user",
        item: "creates the system group and user with a locked password",
        check: (run) => {
            const script = accountScript(run);
            assert.match(script, /groupadd --system --gid 10001/);
            assert.match(script, /useradd --system --uid 10001 .*--home-dir .*\/opt\/openclaw/);
            assert.match(script, /usermod --lock/);
        },
    },
    {
        layer: "layer 2 — unprivileged host user",
        item: "gives config 700, workspace 755 and logs 750",
        check: (run) => {
            const script = accountScript(run);
            assert.match(script, /-m 700 '\/opt\/openclaw\/config'/);
            assert.match(script, /-m 755 '\/opt\/openclaw\/workspace'/);
            assert.match(script, /-m 750 '\/opt\/openclaw\/logs'/);
            assert.match(script, /-m 700 '\/opt\/openclaw\/\.openclaw'/);
        },
    },
    {
        layer: "layer 2 — unprivileged host user",
        item: "writes every generated file mode 600 through stdin",
        check: (run) => {
            const files = run.resources.filter((r) => r.name.endsWith("-conf") || r.name.endsWith("-config") || r.name.endsWith("-approvals"));
            assert.ok(files.length >= 3);
            for (const f of files) assert.deepEqual([...new Set(String(reveal(f.inputs.create)).match(/chmod \d+/g))], ["chmod 600"], f.name);
        },
    },
    {
        layer: "layer 3 — access control",
        item: "uses token auth with the token in a 600 file SecretRef, never 'none', never in the environment",
        check: (run) => {
            const cfg = openclawJson(run);
            assert.equal(cfg.gateway.auth.mode, "token");
            assert.deepEqual(cfg.gateway.auth.token, { source: "file", provider: "clawcagetoken", id: "value" });
            assert.deepEqual(cfg.secrets.providers.clawcagetoken, { source: "file", path: "/opt/openclaw/config/gateway.token", mode: "singleValue" });
            assert.ok(cfg.gateway.auth.rateLimit);
            const tokenFile = commandOf(run, "openclaw-gateway-token");
            assert.match(tokenFile.create, /chmod 600/);
            const envs = (container(run, "openclaw-gateway").envs ?? []) as string[];
            assert.ok(!envs.some((e) => e.startsWith("OPENCLAW_GATEWAY_TOKEN=")), "token in the environment");
        },
    },
    {
        layer: "layer 3 — access control",
        item: "admits each named token by its digest alone and hands the gateway a token no client holds",
        check: (run) => {
            const tokens = Object.entries(run.outputs.tokens as Record<string, string>);
            const ingress = run.resources.some((r) => r.inputs.name === "openclaw-ingress" && r.type === "docker:index/container:Container");
            if (!ingress) return; // not published: no client reaches the gateway at all
            const clientMap = commandOf(run, "openclaw-ingress-client-tokens");
            const gatewayMap = commandOf(run, "openclaw-ingress-gateway-token");
            for (const f of [clientMap, gatewayMap]) assert.match(f.create, /chmod 600/);
            const lines = String(clientMap.stdin).split("\n").filter((l) => /^[0-9a-f]{64} /.test(l));
            assert.deepEqual(lines.sort(), tokens.map(([name, t]) => `${tokenDigest(t)} ${name}`).sort());
            for (const [, t] of tokens) assert.ok(!String(clientMap.stdin).includes(t) && !String(gatewayMap.stdin).includes(t), "a client token in plain text in the ingress maps");
            const cfg = String(commandOf(run, "openclaw-ingress-conf").stdin);
            assert.match(cfg, /http-request deny deny_status 401 .* if !probe !named_token/);
            assert.match(cfg, /http-request set-header authorization .*gateway-token\.map/);
        },
    },
    {
        layer: "layer 3 — access control",
        item: "generates 256-bit tokens (64 hex characters)",
        check: (run) => {
            const tokens = run.outputs.tokens as Record<string, string>;
            assert.ok(Object.keys(tokens).length >= 1);
            for (const t of Object.values(tokens)) assert.match(t, /^[0-9a-f]{64}$/);
            for (const r of ofType(run, "random:index/randomBytes:RandomBytes")) assert.equal(r.inputs.length, 32);
        },
    },
    {
        layer: "layer 3 — access control",
        item: "turns off the control UI and the admin terminal",
        check: (run) => {
            const g = openclawJson(run).gateway;
            assert.equal(g.controlUi.enabled, false);
            assert.equal(g.terminal.enabled, false);
        },
    },
    {
        layer: "layer 3 — access control",
        item: "uses allowlists with mention gating on every channel",
        check: (run) => {
            for (const ch of Object.values(openclawJson(run).channels)) {
                assert.equal(ch.dmPolicy, "allowlist");
                assert.equal(ch.groupPolicy, "allowlist");
                assert.equal(ch.groups["*"].requireMention, true);
            }
        },
    },
    {
        layer: "layer 3 — access control",
        item: "publishes only through the ingress proxy, on the declared address, with the allowlist",
        check: (run) => {
            const i = containers(run).find((c) => c.name === "openclaw-ingress");
            if (!i) return assert.equal(run.outputs.endpoint, "");
            assert.equal(i.ports?.length, 1);
            const cfg = commandOf(run, "openclaw-ingress-conf").stdin ?? "";
            if (i.ports?.[0].ip === "0.0.0.0") assert.match(cfg, /tcp-request connection reject unless allowed_clients/);
            else assert.equal(i.ports?.[0].ip, "127.0.0.1");
        },
    },
    {
        layer: "layer 4 — tool permissions",
        item: "has a tool allowlist, exec and browser denied or allowlisted, elevated off",
        check: (run) => {
            const t = openclawJson(run).tools;
            assert.ok(t.allow.length > 0);
            assert.ok(t.deny.includes("browser"));
            assert.ok(t.exec.mode === "deny" || t.exec.mode === "allowlist");
            if (t.exec.mode === "deny") assert.ok(t.deny.includes("group:runtime"));
            assert.equal(t.elevated.enabled, false);
        },
    },
    {
        layer: "layer 4 — tool permissions",
        item: "limits file tools to the workspace",
        check: (run) => {
            assert.equal(openclawJson(run).tools.fs.workspaceOnly, true);
        },
    },
    {
        layer: "layer 5 — network isolation and audit",
        item: "routes the gateway through the egress proxy",
        check: (run) => {
            const envs = (container(run, "openclaw-gateway").envs ?? []) as string[];
            assert.ok(envs.includes("HTTPS_PROXY=http://egress-proxy:3128"));
            assert.ok(envs.includes("HTTP_PROXY=http://egress-proxy:3128"));
            assert.deepEqual(openclawJson(run).proxy, { enabled: true, proxyUrl: "http://egress-proxy:3128", loopbackMode: "gateway-only" });
        },
    },
    {
        layer: "layer 5 — network isolation and audit",
        item: "puts only the egress proxy on the egress network",
        check: (run) => {
            const onEgress = containers(run).filter((c) => c.networksAdvanced.some((n) => n.name === "openclaw-net-egress"));
            assert.deepEqual(onEgress.map((c) => c.name), ["openclaw-egress"]);
            assert.equal(networkNamed(run, "openclaw-net-egress")?.internal, false);
        },
    },
    {
        layer: "layer 5 — network isolation and audit",
        item: "allowlists the guide's domains and ends squid.conf with deny all",
        check: (run) => {
            const conf = commandOf(run, "openclaw-egress-conf").stdin ?? "";
            assert.match(conf, /acl allowed_domains dstdomain .*\.anthropic\.com/);
            const access = conf.split("\n").filter((l) => l.startsWith("http_access"));
            assert.equal(access.at(-1), "http_access deny all");
        },
    },
    {
        layer: "layer 5 — network isolation and audit",
        item: "keeps an audit ledger with prompts and a JSON log on the logs volume",
        check: (run) => {
            const logging = openclawJson(run).logging;
            assert.deepEqual(logging.audit, { enabled: true, messages: "all" });
            assert.equal(logging.file, "/opt/openclaw/logs/openclaw.log");
        },
    },
];
