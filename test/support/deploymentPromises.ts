import { strict as assert } from "node:assert";
import { tokenDigest } from "../../components/ingress/accessMaps";
import { byName, ofType, reveal, type ProgramRun } from "../../cli/record/program";
import { deploymentNames } from "../../components/deployment/names";

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
    ulimits?: { name: string; soft: number; hard: number }[];
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
    gateway: { auth: { mode: string; token?: unknown; password?: unknown; rateLimit: object; trustedProxy: { allowUsers: string[] } }; trustedProxies?: string[]; controlUi: { enabled: boolean }; terminal: { enabled: boolean } };
    logging: { file: string; audit: { enabled: boolean; messages: string } };
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
const accountScript = (run: ProgramRun) => scriptAsRoot(commandOf(run, "openclaw-host-account").create);

/** The script a host step runs as root: asRoot()'s quoted argument, unquoted. */
export function scriptAsRoot(create: string): string {
    const quoted = /^if \[ "\$\(id -u\)" = 0 \]; then bash -c ('(?:[^']|'"'"')*'); else /.exec(create)?.[1];
    if (!quoted) throw new Error(`not a host step run as root: ${create.slice(0, 80)}`);
    return quoted.slice(1, -1).replaceAll(`'"'"'`, "'");
}

export interface DeploymentPromise {
    layer: string;
    promise: string;
    /** Throws (an assertion error) when the recorded deployment breaks the promise. */
    check: (run: ProgramRun) => void;
}

/**
 * What clawcage's own deployment promises beyond the policy pack, over a program's recorded resources. The pack
 * (test/policy/) already checks every stack for the guide's pre-deploy checklist: non-root, no-new-privileges,
 * capabilities, read-only root, limits being set, sandbox mode and network, token auth from a secret, no
 * plaintext secret env, channel allowlists and mention gating, published ports, tool allowlist, exec/browser/
 * elevated, workspace-only, sensitive mounts, the audit ledger being on, internal networks and the egress topology.
 * This list holds only what the pack cannot see or does not demand: the guide's exact values, the host account,
 * the files and their modes, the token plumbing, and the proxies' own configuration.
 */
export const DEPLOYMENT_PROMISES: DeploymentPromise[] = [
    {
        layer: "layer 1 — container sandbox",
        promise: "runs the gateway as the host account's uid, so bind mounts line up",
        check: (run) => {
            assert.equal(container(run, "openclaw-gateway").user, "10001:10001");
        },
    },
    {
        layer: "layer 1 — container sandbox",
        promise: "gives /tmp and the temp dir a noexec tmpfs",
        check: (run) => {
            const c = container(run, "openclaw-gateway");
            assert.deepEqual(Object.keys(c.tmpfs).sort(), ["/opt/openclaw/temp", "/tmp"]);
            for (const opts of Object.values(c.tmpfs)) assert.match(opts, /noexec/);
        },
    },
    {
        layer: "layer 1 — container sandbox",
        promise: "limits CPU, memory (no swap) and processes (the pids cgroup) to the guide's values",
        check: (run) => {
            const c = container(run, "openclaw-gateway");
            assert.equal(c.cpus, "2.0");
            assert.equal(c.memory, 4096);
            assert.equal(c.memorySwap, 4096);
            assert.equal(c.memoryReservation, 2048);
            // Processes: the pids cgroup limit, set by a host step on the container (its id triggers it), and no
            // nproc ulimit, which would count the uid's processes across the host.
            assert.equal(c.ulimits, undefined);
            const step = run.resources.find((r) => r.name === "openclaw-gateway-pids-limit");
            const gateway = run.resources.find((r) => r.name === "openclaw-gateway-container");
            assert.equal(step?.inputs.create, "docker update --pids-limit 256 openclaw-gateway >/dev/null\n");
            assert.deepEqual(step?.inputs.triggers, [gateway?.id]);
        },
    },
    {
        layer: "layer 1 — container sandbox",
        promise: "publishes no port of the gateway itself and mounts its config read-only",
        check: (run) => {
            const c = container(run, "openclaw-gateway");
            assert.deepEqual(c.ports ?? [], []);
            assert.equal(c.volumes.find((v) => v.containerPath === "/opt/openclaw/config")?.readOnly, true);
        },
    },
    {
        layer: "layer 1 — container sandbox",
        promise: "runs a sandbox host for sandboxed tools: read-only root, no capabilities, no mount but its config, on the sandbox network alone",
        check: (run) => {
            const names = deploymentNames();
            const sandbox = container(run, names.sandboxHost);
            assert.equal(sandbox.readOnly, true);
            assert.deepEqual(sandbox.capabilities.drops, ["ALL"]);
            assert.deepEqual(sandbox.volumes.map((v) => [v.containerPath, v.readOnly]), [["/etc/clawcage", true]]);
            assert.deepEqual(sandbox.networksAdvanced.map((n) => n.name), [names.networks.sandbox]);
        },
    },
    {
        layer: "layer 1 — container sandbox",
        promise: "restarts every container unless stopped and gives each a health check",
        check: (run) => {
            for (const i of containers(run)) {
                assert.equal(i.restart, "unless-stopped", `${i.name} restart`);
                assert.ok(i.healthcheck?.tests.length, `${i.name} health check`);
            }
        },
    },
    {
        layer: "layer 2 — unprivileged host user",
        promise: "creates the system group and user with a locked password",
        check: (run) => {
            const script = accountScript(run);
            assert.match(script, /groupadd --system --gid 10001/);
            assert.match(script, /useradd --system --uid 10001 .*--home-dir .*\/opt\/openclaw/);
            assert.match(script, /usermod --lock/);
        },
    },
    {
        layer: "layer 2 — unprivileged host user",
        promise: "gives config 700, workspace 755 and logs 750",
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
        promise: "writes every generated file mode 600 through stdin",
        check: (run) => {
            const files = run.resources.filter((r) => r.name.endsWith("-conf") || r.name.endsWith("-config") || r.name.endsWith("-approvals"));
            assert.ok(files.length >= 3);
            for (const f of files) assert.deepEqual([...new Set(String(reveal(f.inputs.create)).match(/chmod \d+/g))], ["chmod 600"], f.name);
        },
    },
    {
        layer: "layer 3 — access control",
        promise: "reads the gateway's own secret from the 600 file the host step writes, never from openclaw.json",
        check: (run) => {
            const cfg = openclawJson(run);
            const ownSecret = { source: "file", provider: "clawcagetoken", id: "value" };
            // Published, it is the password of local operator access; otherwise the token of internal clients.
            assert.deepEqual(cfg.gateway.auth.mode === "trusted-proxy" ? cfg.gateway.auth.password : cfg.gateway.auth.token, ownSecret);
            assert.deepEqual(cfg.secrets.providers.clawcagetoken, { source: "file", path: "/opt/openclaw/config/gateway.token", mode: "singleValue" });
            assert.ok(cfg.gateway.auth.rateLimit);
            assert.match(commandOf(run, "openclaw-gateway-token").create, /chmod 600/);
        },
    },
    {
        layer: "layer 3 — access control",
        promise: "admits each named token by its digest alone, and the gateway believes the token's name and scopes from the ingress's pinned address only",
        check: (run) => {
            const tokens = Object.entries(run.outputs.tokens as Record<string, string>);
            const ingress = run.resources.find((r) => r.inputs.name === "openclaw-ingress" && r.type === "docker:index/container:Container");
            if (!ingress) return; // not published: no client reaches the gateway at all
            const clientMap = commandOf(run, "openclaw-ingress-client-tokens");
            assert.match(clientMap.create, /chmod 600/);
            const lines = String(clientMap.stdin).split("\n").filter((l) => /^[0-9a-f]{64} /.test(l));
            assert.deepEqual(lines.sort(), tokens.map(([name, t]) => `${tokenDigest(t)} ${name}`).sort());
            for (const [, t] of tokens) assert.ok(!String(clientMap.stdin).includes(t), "a client token in plain text in the ingress map");
            const cfg = String(commandOf(run, "openclaw-ingress-conf").stdin);
            assert.match(cfg, /http-request deny deny_status 401 .* if !probe !named_token/);
            assert.match(cfg, /http-request del-header authorization/);
            assert.match(cfg, /http-request set-header x-clawcage-token-name %\[var\(txn\.token_name\)\] if named_token/);
            const auth = openclawJson(run).gateway;
            const pinned = (reveal(ingress.inputs) as { networksAdvanced: { ipv4Address?: string }[] }).networksAdvanced.map((n) => n.ipv4Address).filter(Boolean);
            assert.deepEqual(auth.trustedProxies, pinned, "the gateway trusts exactly the ingress's pinned address");
            assert.deepEqual(auth.auth.trustedProxy.allowUsers, tokens.map(([n]) => n).sort());
        },
    },
    {
        layer: "layer 3 — access control",
        promise: "generates 256-bit tokens (`<name>.` and 64 hex characters)",
        check: (run) => {
            const tokens = run.outputs.tokens as Record<string, string>;
            assert.ok(Object.keys(tokens).length >= 1);
            for (const [name, t] of Object.entries(tokens)) assert.equal(t, `${name}.${/[0-9a-f]{64}$/.exec(t)?.[0]}`);
            for (const r of ofType(run, "random:index/randomBytes:RandomBytes")) assert.equal(r.inputs.length, 32);
        },
    },
    {
        layer: "layer 3 — access control",
        promise: "turns off the control UI and the admin terminal",
        check: (run) => {
            const g = openclawJson(run).gateway;
            assert.equal(g.controlUi.enabled, false);
            assert.equal(g.terminal.enabled, false);
        },
    },
    {
        layer: "layer 5 — network isolation and audit",
        promise: "routes the gateway through the egress proxy",
        check: (run) => {
            const envs = (container(run, "openclaw-gateway").envs ?? []) as string[];
            assert.ok(envs.includes("HTTPS_PROXY=http://egress-proxy:3128"));
            assert.ok(envs.includes("HTTP_PROXY=http://egress-proxy:3128"));
            assert.deepEqual(openclawJson(run).proxy, { enabled: true, proxyUrl: "http://egress-proxy:3128", loopbackMode: "gateway-only" });
        },
    },
    {
        layer: "layer 5 — network isolation and audit",
        promise: "allowlists the guide's domains and ends squid.conf with deny all",
        check: (run) => {
            const conf = commandOf(run, "openclaw-egress-conf").stdin ?? "";
            assert.match(conf, /acl allowed_domains dstdomain .*\.anthropic\.com/);
            const access = conf.split("\n").filter((l) => l.startsWith("http_access"));
            assert.equal(access.at(-1), "http_access deny all");
        },
    },
    {
        layer: "layer 5 — network isolation and audit",
        promise: "keeps every message in the audit ledger (the guide's prompt log) and the JSON log on the logs volume",
        check: (run) => {
            const logging = openclawJson(run).logging;
            assert.equal(logging.audit.messages, "all");
            assert.equal(logging.file, "/opt/openclaw/logs/openclaw.log");
        },
    },
];
