import { strict as assert } from "node:assert";
import { byName, ofType, reveal, runStack, stackNames, type ProgramRun } from "./support/stackProgram";

/** The recorded inputs of a docker.Container, as the checklist reads them. */
interface ContainerInputs {
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
    gateway: { bind: string; auth: { mode: string; token: unknown; rateLimit: object }; controlUi: { enabled: boolean }; terminal: { enabled: boolean } };
    tools: { allow: string[]; deny: string[]; exec: { mode: string }; elevated: { enabled: boolean }; fs: { workspaceOnly: boolean } };
    agents: { defaults: { sandbox: { mode: string; docker: { network: string; capDrop: string[]; readOnlyRoot: boolean } } } };
    logging: { file: string; audit: { enabled: boolean; messages: string } };
    channels: Record<string, { dmPolicy: string; groupPolicy: string; allowFrom: string[]; groups: Record<string, { requireMention: boolean }> }>;
}

const containers = (run: ProgramRun) => ofType(run, "docker:index/container:Container").map((c) => reveal(c.inputs) as ContainerInputs);
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

for (const stack of stackNames()) {
    describe(`stack ${stack}: pre-deploy checklist under mocks`, () => {
        let run: ProgramRun;
        before(async () => {
            run = await runStack(stack);
        });

        describe("layer 1 — container sandbox", () => {
            it("runs as the unprivileged uid, never root", () => {
                assert.equal(container(run, "openclaw-gateway").user, "10001:10001");
            });
            it("sets no-new-privileges, drops ALL capabilities and adds none back", () => {
                const c = container(run, "openclaw-gateway");
                assert.ok(c.securityOpts.includes("no-new-privileges:true"));
                assert.deepEqual(c.capabilities, { drops: ["ALL"], adds: [] });
                assert.equal(c.privileged, false);
            });
            it("has a read-only root with tmpfs for /tmp and the temp dir", () => {
                const c = container(run, "openclaw-gateway");
                assert.equal(c.readOnly, true);
                assert.deepEqual(Object.keys(c.tmpfs).sort(), ["/opt/openclaw/temp", "/tmp"]);
                for (const opts of Object.values(c.tmpfs)) assert.match(opts, /noexec/);
            });
            it("limits CPU, memory (no swap) and processes to the guide's values", () => {
                const c = container(run, "openclaw-gateway");
                assert.equal(c.cpus, "2.0");
                assert.equal(c.memory, 4096);
                assert.equal(c.memorySwap, 4096);
                assert.equal(c.memoryReservation, 2048);
                assert.deepEqual(c.ulimits, [{ name: "nproc", soft: 256, hard: 256 }]);
            });
            it("joins only the internal network (no default bridge, no published port)", () => {
                const c = container(run, "openclaw-gateway");
                assert.equal(c.networkMode, "openclaw-net-internal");
                assert.deepEqual(c.networksAdvanced.map((n) => n.name), ["openclaw-net-internal"]);
                assert.equal(networkNamed(run, "openclaw-net-internal")?.internal, true);
                assert.deepEqual(c.ports ?? [], []);
            });
            it("mounts config read-only, never a denied path or the Docker socket", () => {
                const c = container(run, "openclaw-gateway");
                const config = c.volumes.find((v) => v.containerPath === "/opt/openclaw/config");
                assert.equal(config?.readOnly, true);
                for (const v of c.volumes) {
                    assert.doesNotMatch(v.hostPath, /docker\.sock|\/\.ssh|\/\.aws|\/\.config|^\/etc|^\/root/);
                }
            });
            it("turns OpenClaw's own sandbox on for non-main sessions with network none", () => {
                const sandbox = openclawJson(run).agents.defaults.sandbox;
                assert.equal(sandbox.mode, "non-main");
                assert.equal(sandbox.docker.network, "none");
                assert.deepEqual(sandbox.docker.capDrop, ["ALL"]);
            });
            it("hardens every container of the deployment alike", () => {
                for (const i of containers(run)) {
                    assert.equal(i.readOnly, true, `${i.name} read-only root`);
                    assert.deepEqual(i.capabilities.drops, ["ALL"], `${i.name} cap drop`);
                    assert.ok(i.securityOpts.includes("no-new-privileges:true"), `${i.name} no-new-privileges`);
                    assert.doesNotMatch(i.user, /^(0|root)\b/, `${i.name} user`);
                    assert.equal(i.restart, "unless-stopped");
                    assert.ok(i.healthcheck?.tests.length, `${i.name} health check`);
                }
            });
        });

        describe("layer 2 — unprivileged host user", () => {
            it("creates the system group and user with a locked password", () => {
                const script = accountScript(run);
                assert.match(script, /groupadd --system --gid 10001/);
                assert.match(script, /useradd --system --uid 10001 .*--home-dir .*\/opt\/openclaw/);
                assert.match(script, /usermod --lock/);
            });
            it("gives config 700, workspace 755 and logs 750", () => {
                const script = accountScript(run);
                assert.match(script, /-m 700 '\/opt\/openclaw\/config'/);
                assert.match(script, /-m 755 '\/opt\/openclaw\/workspace'/);
                assert.match(script, /-m 750 '\/opt\/openclaw\/logs'/);
                assert.match(script, /-m 700 '\/opt\/openclaw\/\.openclaw'/);
            });
            it("writes every generated file mode 600 through stdin", () => {
                const files = run.resources.filter((r) => r.name.endsWith("-conf") || r.name.endsWith("-config") || r.name.endsWith("-approvals"));
                assert.ok(files.length >= 3);
                for (const f of files) assert.match(String(reveal(f.inputs.create)), /chmod 600/);
            });
        });

        describe("layer 3 — access control", () => {
            it("uses token auth with the token as an env SecretRef, never 'none'", () => {
                const auth = openclawJson(run).gateway.auth;
                assert.equal(auth.mode, "token");
                assert.deepEqual(auth.token, { source: "env", provider: "default", id: "OPENCLAW_GATEWAY_TOKEN" });
                assert.ok(auth.rateLimit);
            });
            it("generates 256-bit tokens (64 hex characters)", async () => {
                const tokens = run.outputs.tokens as Record<string, string>;
                assert.ok(Object.keys(tokens).length >= 1);
                for (const t of Object.values(tokens)) assert.match(t, /^[0-9a-f]{64}$/);
                for (const r of ofType(run, "random:index/randomBytes:RandomBytes")) assert.equal(r.inputs.length, 32);
            });
            it("turns off the control UI and the admin terminal", () => {
                const g = openclawJson(run).gateway;
                assert.equal(g.controlUi.enabled, false);
                assert.equal(g.terminal.enabled, false);
            });
            it("uses allowlists with mention gating on every channel", () => {
                for (const ch of Object.values(openclawJson(run).channels)) {
                    assert.equal(ch.dmPolicy, "allowlist");
                    assert.equal(ch.groupPolicy, "allowlist");
                    assert.equal(ch.groups["*"].requireMention, true);
                }
            });
            it("publishes only through the ingress proxy, on the declared address, with the allowlist", () => {
                const i = containers(run).find((c) => c.name === "openclaw-ingress");
                if (!i) return assert.equal(run.outputs.endpoint, "");
                assert.equal(i.ports?.length, 1);
                const cfg = commandOf(run, "openclaw-ingress-conf").stdin ?? "";
                if (i.ports?.[0].ip === "0.0.0.0") assert.match(cfg, /tcp-request connection reject unless allowed_clients/);
                else assert.equal(i.ports?.[0].ip, "127.0.0.1");
            });
        });

        describe("layer 4 — tool permissions", () => {
            it("has a tool allowlist, exec and browser denied or allowlisted, elevated off", () => {
                const t = openclawJson(run).tools;
                assert.ok(t.allow.length > 0);
                assert.ok(t.deny.includes("browser"));
                assert.ok(t.exec.mode === "deny" || t.exec.mode === "allowlist");
                if (t.exec.mode === "deny") assert.ok(t.deny.includes("group:runtime"));
                assert.equal(t.elevated.enabled, false);
            });
            it("limits file tools to the workspace", () => {
                assert.equal(openclawJson(run).tools.fs.workspaceOnly, true);
            });
        });

        describe("layer 5 — network isolation and audit", () => {
            it("routes the gateway through the egress proxy", () => {
                const envs = (container(run, "openclaw-gateway").envs ?? []) as string[];
                assert.ok(envs.includes("HTTPS_PROXY=http://egress-proxy:3128"));
                assert.ok(envs.includes("HTTP_PROXY=http://egress-proxy:3128"));
            });
            it("puts only the egress proxy on the egress network", () => {
                const onEgress = containers(run).filter((c) => c.networksAdvanced.some((n) => n.name === "openclaw-net-egress"));
                assert.deepEqual(onEgress.map((c) => c.name), ["openclaw-egress"]);
                assert.equal(networkNamed(run, "openclaw-net-egress")?.internal, false);
            });
            it("allowlists the guide's domains and ends squid.conf with deny all", () => {
                const conf = commandOf(run, "openclaw-egress-conf").stdin ?? "";
                assert.match(conf, /acl allowed_domains dstdomain .*\.anthropic\.com/);
                const access = conf.split("\n").filter((l) => l.startsWith("http_access"));
                assert.equal(access.at(-1), "http_access deny all");
            });
            it("keeps an audit ledger with prompts and a JSON log on the logs volume", () => {
                const logging = openclawJson(run).logging;
                assert.deepEqual(logging.audit, { enabled: true, messages: "all" });
                assert.equal(logging.file, "/opt/openclaw/logs/openclaw.log");
            });
        });
    });
}
