import { strict as assert } from "node:assert";
import { CHECKLIST, type ContainerInputs } from "../support/checklist";
import { reveal, runStack, stackNames, type ProgramRun, type RecordedResource } from "../../cli/record/program";

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
const command = (run: ProgramRun, name: string) => find(run, (r) => r.name === name).inputs as { stdin: string; create: string; triggers: string[] };

function editOpenClawJson(run: ProgramRun, edit: (cfg: Record<string, Record<string, unknown>>) => void): void {
    const file = command(run, "openclaw-gateway-config");
    const cfg = JSON.parse(file.stdin) as Record<string, Record<string, unknown>>;
    edit(cfg);
    file.stdin = JSON.stringify(cfg);
}

/** One weakening per checklist item: each must make exactly that item fail. */
const NEGATIVE_CONTROLS: Record<string, (run: ProgramRun) => void> = {
    "runs as the unprivileged uid, never root": (run) => (gateway(run).user = "0:0"),
    "sets no-new-privileges, drops ALL capabilities and adds none back": (run) => (gateway(run).capabilities.adds = ["SYS_ADMIN"]),
    "has a read-only root with tmpfs for /tmp and the temp dir": (run) => (gateway(run).readOnly = false),
    "limits CPU, memory (no swap) and processes to the guide's values": (run) => (gateway(run).memorySwap = -1),
    "joins only the internal network (no default bridge, no published port)": (run) => (gateway(run).networkMode = "bridge"),
    "mounts config read-only, never a denied path or the Docker socket": (run) =>
        gateway(run).volumes.push({ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock", readOnly: false }),
    "turns OpenClaw's own sandbox on for non-main sessions with network none": (run) =>
        editOpenClawJson(run, (c) => ((c.agents.defaults as { sandbox: { mode: string } }).sandbox.mode = "off")),
    "hardens every container of the deployment alike": (run) =>
        (find(run, (r) => r.inputs.name === "openclaw-egress" && r.type === "docker:index/container:Container").inputs.readOnly = false),
    "creates the system group and user with a locked password": (run) => {
        const c = command(run, "openclaw-host-account");
        c.triggers = [c.triggers[0].replace(/usermod --lock.*\n/, "")];
    },
    "gives config 700, workspace 755 and logs 750": (run) => {
        const c = command(run, "openclaw-host-account");
        c.triggers = [c.triggers[0].replace("-m 700 '/opt/openclaw/config'", "-m 777 '/opt/openclaw/config'")];
    },
    "writes every generated file mode 600 through stdin": (run) => {
        const c = command(run, "openclaw-gateway-config");
        c.create = c.create.replaceAll("chmod 600", "chmod 644");
    },
    "uses token auth with the token in a 600 file SecretRef, never 'none', never in the environment": (run) =>
        (gateway(run).envs as string[]).push("OPENCLAW_GATEWAY_TOKEN=abc"),
    "admits each named token by its digest alone and hands the gateway a token no client holds": (run) => {
        const map = command(run, "openclaw-ingress-client-tokens");
        const [name, token] = Object.entries(run.outputs.tokens as Record<string, string>)[0];
        map.stdin = map.stdin.replace(new RegExp(`^[0-9a-f]{64} ${name}$`, "m"), `${token} ${name}`);
    },
    "generates 256-bit tokens (64 hex characters)": (run) => (run.outputs.tokens = { admin: "short" }),
    "turns off the control UI and the admin terminal": (run) => editOpenClawJson(run, (c) => ((c.gateway as { terminal: { enabled: boolean } }).terminal.enabled = true)),
    "uses allowlists with mention gating on every channel": (run) =>
        editOpenClawJson(run, (c) => (c.channels = { telegram: { dmPolicy: "open", groupPolicy: "allowlist", groups: { "*": { requireMention: true } } } })),
    "publishes only through the ingress proxy, on the declared address, with the allowlist": (run) => {
        const ingress = run.resources.find((r) => r.inputs.name === "openclaw-ingress" && r.type === "docker:index/container:Container");
        if (ingress) (ingress.inputs as unknown as ContainerInputs).ports = [{ internal: 18789, external: 18789, ip: "0.0.0.0" }];
        else run.outputs.endpoint = "http://0.0.0.0:18789";
        const cfg = run.resources.find((r) => r.name === "openclaw-ingress-conf");
        if (cfg) cfg.inputs.stdin = String(cfg.inputs.stdin).replace(/.*tcp-request connection reject.*\n/, "");
    },
    "has a tool allowlist, exec and browser denied or allowlisted, elevated off": (run) =>
        editOpenClawJson(run, (c) => ((c.tools as { exec: { mode: string } }).exec.mode = "full")),
    "limits file tools to the workspace": (run) => editOpenClawJson(run, (c) => ((c.tools as { fs: { workspaceOnly: boolean } }).fs.workspaceOnly = false)),
    "routes the gateway through the egress proxy": (run) => editOpenClawJson(run, (c) => (c.proxy = { enabled: false })),
    "puts only the egress proxy on the egress network": (run) => gateway(run).networksAdvanced.push({ name: "openclaw-net-egress" }),
    "allowlists the guide's domains and ends squid.conf with deny all": (run) => {
        const c = command(run, "openclaw-egress-conf");
        c.stdin = c.stdin.replace("http_access deny all", "http_access allow all");
    },
    "keeps an audit ledger with prompts and a JSON log on the logs volume": (run) =>
        editOpenClawJson(run, (c) => ((c.logging as { audit: { enabled: boolean } }).audit.enabled = false)),
};

for (const stack of stackNames()) {
    describe(`stack ${stack}: pre-deploy checklist under mocks`, () => {
        let run: ProgramRun;
        before(async () => {
            run = await runStack(stack);
        });
        for (const entry of CHECKLIST) {
            it(`${entry.layer}: ${entry.item}`, () => entry.check(run));
            it(`${entry.layer}: negative control fails "${entry.item}"`, () => {
                const mutate = NEGATIVE_CONTROLS[entry.item];
                assert.ok(mutate, `no negative control for "${entry.item}"`);
                const weakened = revealedCopy(run);
                mutate(weakened);
                assert.throws(() => entry.check(weakened), `the check passed on a weakened ${stack} deployment`);
            });
        }
    });
}
