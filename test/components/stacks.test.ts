import { strict as assert } from "node:assert";
import { DEPLOYMENT_PROMISES, scriptAsRoot, type ContainerInputs } from "../support/deploymentPromises";
import { asRoot } from "../../components/host/hostScript";
import { reveal, runStack, stackConfig, dockerStackNames, type ProgramRun, type RecordedResource } from "../../cli/record/program";
import { isTeam } from "../../components/deployment/team";
import { parseSettings } from "../../components/settings/parse";

/** A copy of the run with every input revealed, so a mutation edits plain values. */
function revealedCopy(run: ProgramRun): ProgramRun {
    const copy = structuredClone(run);
    for (const r of copy.resources) r.inputs = reveal(r.inputs) as Record<string, unknown>;
    return copy;
}

function find(run: ProgramRun, pick: (r: RecordedResource) => boolean): RecordedResource {
    const r = run.resources.find(pick);
    if (!r) throw new Error("mutation target missing");
    return r;
}

const gateway = (run: ProgramRun) => find(run, (r) => r.inputs.name === "openclaw-gateway" && r.type === "docker:index/container:Container").inputs as unknown as ContainerInputs;
const command = (run: ProgramRun, name: string) => find(run, (r) => r.name === name).inputs as { stdin: string; create: string };

function editOpenClawJson(run: ProgramRun, edit: (cfg: Record<string, Record<string, unknown>>) => void): void {
    const file = command(run, "openclaw-gateway-config");
    const cfg = JSON.parse(file.stdin) as Record<string, Record<string, unknown>>;
    edit(cfg);
    file.stdin = JSON.stringify(cfg);
}

/** One weakening per promise: each must make exactly that promise fail. */
const NEGATIVE_CONTROLS: Record<string, (run: ProgramRun) => void> = {
    "runs the gateway as the host account's uid, so bind mounts line up": (run) => (gateway(run).user = "1000:1000"),
    "gives /tmp and the temp dir a noexec tmpfs": (run) => (gateway(run).tmpfs["/tmp"] = "rw,size=256m"),
    "limits CPU, memory (no swap) and processes (the pids cgroup) to the guide's values": (run) => (gateway(run).memorySwap = -1),
    "publishes no port of the gateway itself and mounts its config read-only": (run) =>
        (gateway(run).ports = [{ internal: 18789, external: 18789, ip: "127.0.0.1" }]),
    "runs a sandbox host for sandboxed tools: read-only root, no capabilities, no mount but its config, on the sandbox network alone": (run) =>
        ((find(run, (r) => r.inputs.name === "openclaw-sandbox" && r.type === "docker:index/container:Container").inputs as { readOnly: boolean }).readOnly = false),
    "restarts every container unless stopped and gives each a health check": (run) =>
        delete (find(run, (r) => r.inputs.name === "openclaw-egress" && r.type === "docker:index/container:Container").inputs as { healthcheck?: unknown }).healthcheck,
    "creates the system group and user with a locked password": (run) => {
        const c = command(run, "openclaw-host-account");
        c.create = asRoot(scriptAsRoot(c.create).replace(/usermod --lock.*\n/, ""));
    },
    "gives config 700, workspace 755 and logs 750": (run) => {
        const c = command(run, "openclaw-host-account");
        c.create = asRoot(scriptAsRoot(c.create).replace("-m 700 '/opt/openclaw/config'", "-m 777 '/opt/openclaw/config'"));
    },
    "writes every generated file mode 600 through stdin": (run) => {
        const c = command(run, "openclaw-gateway-config");
        c.create = c.create.replaceAll("chmod 600", "chmod 644");
    },
    "reads the gateway's own secret from the 600 file the host step writes, never from openclaw.json": (run) =>
        editOpenClawJson(run, (c) => {
            const auth = (c.gateway as { auth: Record<string, unknown> }).auth;
            auth[auth.mode === "trusted-proxy" ? "password" : "token"] = "a1".repeat(32);
        }),
    "admits each named token by its digest alone, and the gateway believes the token's name and scopes from the ingress's pinned address only": (run) =>
        editOpenClawJson(run, (c) => ((c.gateway as { trustedProxies: string[] }).trustedProxies = ["10.89.41.0/24"])),
    "generates 256-bit tokens (`<name>.` and 64 hex characters)": (run) => (run.outputs.tokens = { admin: "a1".repeat(32) }),
    "turns off the control UI and the admin terminal": (run) => editOpenClawJson(run, (c) => ((c.gateway as { terminal: { enabled: boolean } }).terminal.enabled = true)),
    "routes the gateway through the egress proxy": (run) => editOpenClawJson(run, (c) => (c.proxy = { enabled: false })),
    "allowlists the guide's domains and ends squid.conf with deny all": (run) => {
        const c = command(run, "openclaw-egress-conf");
        c.stdin = c.stdin.replace("http_access deny all", "http_access allow all");
    },
    "keeps every message in the audit ledger (the guide's prompt log) and the JSON log on the logs volume": (run) =>
        editOpenClawJson(run, (c) => ((c.logging as { audit: { messages: string } }).audit.messages = "direct")),
};

// The promises of one gateway, by its names; a team's members are held to theirs in team.test.ts.
for (const stack of dockerStackNames().filter((st) => !isTeam(parseSettings(stackConfig(st)["clawcage:settings"])))) {
    describe(`stack ${stack}: what the deployment promises beyond the policy pack, under mocks`, () => {
        let run: ProgramRun;
        before(async () => {
            run = await runStack(stack);
        });
        for (const entry of DEPLOYMENT_PROMISES) {
            it(`${entry.layer}: ${entry.promise}`, () => entry.check(run));
            it(`${entry.layer}: negative control fails "${entry.promise}"`, () => {
                const mutate = NEGATIVE_CONTROLS[entry.promise];
                assert.ok(mutate, `no negative control for "${entry.promise}"`);
                const weakened = revealedCopy(run);
                mutate(weakened);
                assert.throws(() => entry.check(weakened), `the check passed on a weakened ${stack} deployment`);
            });
        }
    });
}
