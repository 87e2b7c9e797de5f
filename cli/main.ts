import { Command } from "commander";
import { renderTable } from "./table";
import { SettingsError } from "../components/settings/parse";
import { LIVE_CHECKS, runChecks, verdictOf, type CheckResult } from "./verify";
import { emergencyStop } from "./operate/emergencyStop";
import { liveDeployment, TOKEN_ENV, type Target } from "./live/deployment";
import { readStackSettings, stackFilePath, stackNameOf } from "./stackFile";
import { verifyCluster } from "./verify/cluster";
import { check, type CheckOptions } from "./check/command";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, EXIT_WARNINGS } from "./exitCodes";
import { bumpRotation, revokeLive } from "./operate/tokens";
import { monthly, weekly } from "./routine/runtimeChecklist";
import { audit, auditFilter, type AuditOptions } from "./audit/command";
import { resume } from "./operate/resume";
import { worstStatus, type RoutineItem } from "./routine/evaluate";
import { liveClientConfig, openclawThroughEndpoint } from "./live/openclawClient";
import { hostKeyOfStack } from "./operate/hostKey";
import { diffCommand, stageCommands, type StageOptions } from "./rollout/command";
import { LooseningRefused } from "./rollout/stages";

interface TargetOptions {
    stack: string;
    stackFile?: string;
    hostContainer?: string;
    identity?: string;
    member?: string;
    json?: boolean;
}

const target = (o: TargetOptions): Target => ({ stack: o.stack, stackFile: o.stackFile, hostContainer: o.hostContainer, identity: o.identity, member: o.member });

function withTarget(cmd: Command): Command {
    return cmd
        .option("-s, --stack <name>", "the stack whose stacks/Pulumi.<name>.yaml declared the deployment", "dev")
        .option("-f, --stack-file <path>", "a Pulumi.<stack>.yaml outside stacks/")
        .option("--host-container <name>", "run host steps inside this container (a host that is a container, as in the tests)")
        .option("-i, --identity <file>", "SSH private key for a VPS target (default: your ssh agent and config); the host key must be the one the stack pins")
        .option("-m, --member <name>", "a team's member whose gateway to work on (settings.team.members)")
        .option("--json", "print JSON instead of a table");
}

const progress = (json: boolean | undefined) => (line: string) => {
    if (!json) process.stderr.write(`  ${line}\n`);
};

/** A refusal before anything ran: printed, exit 2. */
class UsageError extends Error {}

type VerifyOptions = TargetOptions & { kubernetes?: boolean; context?: string };

/** The checks of a cluster deployment (kubectl), or of a Docker one (its host, its engine, its endpoint). */
async function verifyResults(o: VerifyOptions): Promise<CheckResult[]> {
    const settings = readStackSettings(stackFilePath(target(o)));
    const onCluster = settings.target === "kubernetes";
    if (onCluster !== Boolean(o.kubernetes)) {
        throw new UsageError(onCluster ? "settings.target is kubernetes: run `clawcage verify --kubernetes` (kubectl, in settings.kubernetes.namespace)" : "settings.target is docker: drop --kubernetes, which verifies a stack deployed to a cluster");
    }
    if (onCluster) return verifyCluster(settings, { namespace: settings.kubernetes.namespace, context: o.context }, o.member, progress(o.json));
    const live = await liveDeployment(target(o));
    if (!live.token) throw new UsageError(`set ${TOKEN_ENV} to one of the deployment's client tokens (e.g. from \`pulumi stack output --show-secrets tokens\`): the access checks call the API with it`);
    const results: CheckResult[] = [];
    for (const check of LIVE_CHECKS) {
        progress(o.json)(`${check.layer} ${check.name}`);
        results.push(...(await runChecks([check], live)));
    }
    return results;
}

async function verify(o: VerifyOptions): Promise<number> {
    const results = await verifyResults(o);
    if (o.json) console.log(JSON.stringify({ ok: results.every((r) => r.pass), results }, null, 2));
    else console.log(renderTable([{ title: "layer", width: 5 }, { title: "check", width: 44 }, { title: "expected", width: 24 }, { title: "observed", width: 40 }, { title: "pass", width: 4 }], results.map((r) => [r.layer, r.name, r.expected, r.observed, verdictOf(r)])));
    return results.every((r) => r.pass) ? EXIT_OK : EXIT_FAILED;
}

async function stop(o: TargetOptions & { out: string; revokeTokens?: boolean; webhook?: string }): Promise<number> {
    const live = await liveDeployment(target(o));
    const report = await emergencyStop(live, { outDir: o.out, revokeTokens: o.revokeTokens, webhookUrl: o.webhook, progress: progress(o.json) });
    const ok = report.steps.every((s) => s.ok);
    if (o.json) console.log(JSON.stringify({ ok, ...report }, null, 2));
    else {
        console.log(renderTable([{ title: "step", width: 26 }, { title: "result", width: 6 }, { title: "detail", width: 60 }], report.steps.map((s) => [s.step, s.ok ? "done" : "FAILED", s.detail])));
        console.log(`\nEvidence: ${report.evidenceDir}\nSnapshot image: ${report.snapshotImage}\nRead the audit trail: logs.tar (gateway JSON log, proxy access log) and \`openclaw audit\` on the saved state.`);
    }
    return ok ? EXIT_OK : EXIT_FAILED;
}

/** How to finish a rotation: the stack file is edited, `pulumi up` makes the new value. */
function upHint(stackFile: string, name: string): string {
    const stack = stackNameOf(stackFile) ?? "<stack>";
    return `run \`pulumi up --stack ${stack}\`, then hand out the new value: \`pulumi stack output --stack ${stack} --show-secrets tokens\` (.${name})`;
}

function rotate(o: TargetOptions, name: string): number {
    const file = stackFilePath(target(o));
    const edit = bumpRotation(file, name);
    if (o.json) console.log(JSON.stringify({ ok: true, stackFile: file, ...edit, then: upHint(file, name) }, null, 2));
    else console.log(`gateway.tokens.${name}.rotation: ${edit.previous} → ${edit.next} in ${file}\nEvery other token is unchanged. Now ${upHint(file, name)}.`);
    return EXIT_OK;
}

async function revoke(o: TargetOptions, name: string): Promise<number> {
    const live = await liveDeployment(target(o));
    progress(o.json)(`removing '${name}' from the ingress proxy's token map and restarting it`);
    const detail = await revokeLive(live, name);
    // Recorded in the stack too: otherwise the next `pulumi up` would write the old value back.
    const file = stackFilePath(target(o));
    const edit = bumpRotation(file, name);
    if (o.json) console.log(JSON.stringify({ ok: true, revoked: name, live: detail, stackFile: file, ...edit, then: upHint(file, name) }, null, 2));
    else console.log(`Token '${name}' is refused from now on (${detail}).\nIts rotation keeper in ${file} is now ${edit.next}: ${upHint(file, name)} to issue '${name}' a new value.\nRead what it did: the ingress log names the token of every request (\`docker logs ${live.ingressProxy ?? ""}\`), and \`openclaw audit\`.`);
    return EXIT_OK;
}

/** OpenClaw's own device command, run through the endpoint with the operator's token: pairing is a person's act. */
async function devices(o: TargetOptions, args: string[]): Promise<number> {
    const live = await liveDeployment(target(o));
    if (!live.token) throw new UsageError(`set ${TOKEN_ENV} to a token with the operator.pairing scope (e.g. admin): OpenClaw checks it before any device is paired or removed`);
    const r = await openclawThroughEndpoint(live, ["devices", ...args, ...(o.json ? ["--json"] : [])], live.token);
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    return r.code === 0 ? EXIT_OK : EXIT_FAILED;
}

function report(o: TargetOptions, items: RoutineItem[]): number {
    const status = worstStatus(items.map((i) => i.status));
    if (o.json) console.log(JSON.stringify({ ok: status === "ok", status, items }, null, 2));
    else console.log(renderTable([{ title: "item", width: 36 }, { title: "status", width: 6 }, { title: "observed", width: 48 }, { title: "what to do", width: 48 }], items.map((i) => [i.item, i.status.toUpperCase(), i.observed, i.advice])));
    return status === "fail" ? EXIT_FAILED : status === "warn" ? EXIT_WARNINGS : EXIT_OK;
}

export async function main(argv: string[]): Promise<number> {
    let code = EXIT_OK;
    const program = new Command().name("clawcage").description("Check, verify and operate a clawcage OpenClaw deployment.").exitOverride();
    program
        .command("check")
        .description("Check a stack against the OpenClaw pre-deploy checklist (policy pack clawcage-openclaw) offline: no Pulumi CLI, no deployment.")
        .option("-s, --stack <name>", "the stack whose stacks/Pulumi.<name>.yaml (or Pulumi.<name>.yaml) to check", "dev")
        .option("-f, --stack-file <path>", "check this Pulumi.<stack>.yaml instead")
        .option("-c, --policy-config <path>", "policy pack config JSON, as for `pulumi preview --policy-pack-config`")
        .option("-p, --previous <path>", "the stack file as last deployed (e.g. from git): the one-loosening guard compares with it, as the pack does at preview")
        .option("--allow-multiple", "let this change loosen more than one permission")
        .option("--json", "print JSON instead of a table")
        .action(async (o: CheckOptions) => {
            code = await check(o);
        });
    withTarget(program.command("verify").description("Run the per-layer runtime checks against the live deployment."))
        .option("--kubernetes", "the stack is deployed to a cluster (target: kubernetes): read its objects and probe its gateway pod with kubectl")
        .option("--context <name>", "the kubeconfig context of the cluster (default: kubectl's current one)")
        .action(async (o: VerifyOptions) => {
            code = await verify(o);
        });
    withTarget(program.command("emergency-stop").description("Save logs and a snapshot, cut the network, then stop the gateway (the guide's order)."))
        .requiredOption("-o, --out <dir>", "folder for the timestamped evidence")
        .option("--revoke-tokens", "refuse every named token and replace the gateway's own token")
        .option("--webhook <url>", "POST a JSON alert here when done")
        .action(async (o: TargetOptions & { out: string; revokeTokens?: boolean; webhook?: string }) => {
            code = await stop(o);
        });
    withTarget(program.command("rotate-token").description("Give one named token a new value at the next `pulumi up`; the others keep theirs."))
        .argument("<name>", "the token's name in settings.gateway.tokens")
        .action((name: string, o: TargetOptions) => {
            code = rotate(o, name);
        });
    withTarget(program.command("revoke-token").description("Refuse one named token at once on the live deployment, and rotate it in the stack."))
        .argument("<name>", "the token's name in settings.gateway.tokens")
        .action(async (name: string, o: TargetOptions) => {
            code = await revoke(o, name);
        });
    withTarget(program.command("weekly").description("The guide's weekly checklist: log room, load, disk use, unauthorised attempts, config backup, permission drift."))
        .requiredOption("-b, --backup-dir <dir>", "host folder for the config backup (it holds secrets: kept 600)")
        .action(async (o: TargetOptions & { backupDir: string }) => {
            code = report(o, await weekly(await liveDeployment(target(o)), { backupDir: o.backupDir, progress: progress(o.json) }));
        });
    withTarget(program.command("audit").description("The audit stream: each tool call, prompt, request in and request out, with its decision and the layer that decided."))
        .option("--since <when>", "a time (2026-12-03T10:00:00Z) or a duration back from now (30m, 12h, 7d)", "24h")
        .option("--actor <text>", "only events whose actor holds this: a session key, a token's name, an address")
        .option("--decision <decision>", "only allowed, denied or failed events")
        .option("--follow", "keep printing what is added, every two seconds, until interrupted")
        .action(async (o: TargetOptions & AuditOptions) => {
            // Checked before connecting: a wrong filter is the user's to fix, not the deployment's.
            auditFilter(o);
            await audit(await liveDeployment(target(o)), o, (line) => console.log(line));
        });
    withTarget(program.command("resume").description("Give the agent its tools back after a block-and-pause alert rule paused them (read its alert first)."))
        .action(async (o: TargetOptions) => {
            const paused = await resume(await liveDeployment(target(o)));
            if (o.json) console.log(JSON.stringify({ ok: true, resumed: paused ?? null }, null, 2));
            else console.log(paused ? `Resumed: the agent's tools were paused since ${paused.time} by the alert rule '${paused.rule}' (${paused.subject}).` : "The agent's tools were not paused.");
        });
    withTarget(program.command("monthly").description("The guide's monthly checklist: OpenClaw version, token age, image age, permission review."))
        .action(async (o: TargetOptions) => {
            code = report(o, await monthly(await liveDeployment(target(o)), { progress: progress(o.json) }));
        });
    const deviceCommand = program.command("devices").description("Pair OpenClaw clients (browsers, apps, CLIs) with the deployment, through its endpoint, as OpenClaw's `devices` command.");
    withTarget(deviceCommand.command("list").description("Pending pairing requests and paired devices.")).action(async (o: TargetOptions) => {
        code = await devices(o, ["list"]);
    });
    withTarget(deviceCommand.command("approve").description("Approve one pending request (its id from `devices list`, or the browser's page)."))
        .argument("<requestId>", "the pending request's id")
        .action(async (id: string, o: TargetOptions) => {
            code = await devices(o, ["approve", id]);
        });
    withTarget(deviceCommand.command("revoke").description("Remove a paired device: it must pair again, with approval."))
        .argument("<deviceId>", "the paired device's id")
        .action(async (id: string, o: TargetOptions) => {
            code = await devices(o, ["remove", id]);
        });
    withTarget(program.command("client-config").description("Print the openclaw.json with which OpenClaw's CLI and TUI reach the deployment (no secret in it)."))
        .action(async (o: TargetOptions) => {
            process.stdout.write(await liveClientConfig(await liveDeployment(target(o))));
        });
    stageCommands(program, (c) => (code = c));
    withTarget(program.command("diff").description("What the stack file loosens or takes back compared with the live deployment, by layer, with each permission's risk."))
        .option("--allow-multiple", "do not fail when more than one permission is loosened")
        .action(async (o: TargetOptions & StageOptions) => {
            code = await diffCommand(o, await liveDeployment(target(o)));
        });
    program
        .command("host-key")
        .description("Read the host key a VPS target offers now, to compare with its console; with --confirm, pin it in the stack file.")
        .option("-s, --stack <name>", "the stack whose stacks/Pulumi.<name>.yaml targets the VPS", "dev")
        .option("-f, --stack-file <path>", "a Pulumi.<stack>.yaml outside stacks/")
        .option("--confirm <fingerprint>", "the SHA256:… fingerprint you read on the server's console (`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`)")
        .action(async (o: { stack: string; stackFile?: string; confirm?: string }) => {
            const scan = await hostKeyOfStack(stackFilePath(o), o.confirm);
            console.log(`${scan.address}:${scan.port} offers ${scan.fingerprint}\n${scan.line}`);
            console.log(scan.written ? "Pinned in host.target.hostKey: every connection accepts this key alone." : "Compare the fingerprint with `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on the server's own console; if it matches, run this again with --confirm <fingerprint>.");
        });
    try {
        await program.parseAsync(argv);
    } catch (e) {
        if (e instanceof LooseningRefused) {
            console.error(e.message);
            return EXIT_FAILED;
        }
        if (e instanceof SettingsError || e instanceof UsageError) console.error(e.message);
        else if (!(e as { code?: string }).code?.startsWith("commander.")) console.error((e as Error).message);
        else if ((e as { code?: string }).code === "commander.helpDisplayed") return EXIT_OK;
        return EXIT_USAGE;
    }
    return code;
}

/**
 * Runs the command and exits with its code once a piped stdout has written everything: process.exit alone drops
 * the rest (a long `clawcage audit` lost its newest lines, measured).
 */
export function runAndExit(argv: string[]): void {
    void main(argv).then((code) => process.stdout.write("", () => process.exit(code)));
}

if (require.main === module) runAndExit(process.argv);
