import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { reveal, STACK_REFERENCE, type ProgramRun, type RecordedResource } from "../../cli/record/program";
import { docker, dockerOk, exec } from "../../cli/live/docker";
import { TLS_PRIVATE_KEY, TLS_SELF_SIGNED_CERT } from "../../cli/record/tlsStandIn";
import { engineEnvironment, runLocalInvokes, runRemote } from "./transport";

/**
 * Deploys exactly what the program declared — the recorded inputs of every docker and command resource —
 * on a real engine: the one the resources' Docker provider names (a VPS's, over SSH), and host steps where
 * their command runs (over SSH for a remote command; a local one in a throwaway Debian container that stands
 * in for this host and shares the deployment's root folder with it). An input this replayer does not understand is an error:
 * dropping it would test something other than what `pulumi up` deploys.
 */

type Log = (line: string) => void;

const NETWORK = "docker:index/network:Network";
const DOCKER_PROVIDER = "pulumi:providers:docker";
const REMOTE = "command:remote:Command";
const IMAGE = "docker:index/image:Image";
const CONTAINER = "docker:index/container:Container";
const COMMANDS = new Set(["command:local:Command", "command:remote:Command"]);
const COMPONENT_PREFIX = "clawcage:index:";
const RANDOM = "random:index/randomBytes:RandomBytes";
/** Values only (a key, a certificate): nothing to deploy, and kept across runs like random values. */
// Values and reads: nothing to deploy.
const VALUES = new Set([RANDOM, TLS_PRIVATE_KEY, TLS_SELF_SIGNED_CERT, STACK_REFERENCE]);

export interface Deployed {
    networks: string[];
    containers: string[];
    /** Delete scripts of the host commands, newest first. */
    hostDeletes: { name: string; script: string; resource: RecordedResource }[];
    /** The docker CLI's environment for the deployment's engine (empty: this machine's). */
    engine: Record<string, string>;
}

function refuseUnknown(kind: string, name: string, inputs: object, known: readonly string[]): void {
    const unknown = Object.keys(inputs).filter((k) => !known.includes(k));
    if (unknown.length > 0) throw new Error(`replay: ${kind} ${name} has inputs the replayer does not understand: ${unknown.join(", ")}`);
}

async function createNetwork(r: RecordedResource, env: Record<string, string>): Promise<string> {
    const i = reveal(r.inputs) as { name: string; driver?: string; internal?: boolean; ipamConfigs?: { subnet?: string }[]; labels?: { label: string; value: string }[] };
    refuseUnknown("network", r.name, i, ["name", "driver", "internal", "ipamConfigs", "labels"]);
    const args = ["network", "create", "--driver", i.driver ?? "bridge"];
    if (i.internal) args.push("--internal");
    for (const c of i.ipamConfigs ?? []) if (c.subnet) args.push("--subnet", c.subnet);
    for (const l of i.labels ?? []) args.push("--label", `${l.label}=${l.value}`);
    await dockerOk([...args, i.name], { env });
    return i.name;
}

async function buildImage(r: RecordedResource, log: Log, env: Record<string, string>): Promise<void> {
    // buildOnPreview only matters to `pulumi preview`; a deployment always builds.
    const i = reveal(r.inputs) as { imageName: string; skipPush?: boolean; buildOnPreview?: boolean; build: { context: string; dockerfile: string; args?: Record<string, string>; platform?: string } };
    refuseUnknown("image", r.name, i, ["imageName", "skipPush", "buildOnPreview", "build"]);
    refuseUnknown("image build", r.name, i.build, ["context", "dockerfile", "args", "platform"]);
    if ((await docker(["image", "inspect", i.imageName], { timeoutMs: 30_000, env })).code === 0) {
        log(`image ${i.imageName} is cached (content key unchanged)`);
        return;
    }
    log(`building ${i.imageName} from ${i.build.dockerfile}`);
    const args = ["build", "-t", i.imageName, "-f", i.build.dockerfile];
    for (const [k, v] of Object.entries(i.build.args ?? {})) args.push("--build-arg", `${k}=${v}`);
    await dockerOk([...args, i.build.context], { onOutput: (line) => (/^Step \d+\/\d+/.test(line) ? log(`  ${line}`) : undefined), timeoutMs: 1_200_000, env });
}

const CONTAINER_KEYS = [
    "name", "image", "user", "command", "workingDir", "envs", "readOnly", "runtime", "privileged", "securityOpts", "capabilities", "tmpfs", "volumes",
    "cpus", "cpuShares", "memory", "memoryReservation", "memorySwap", "ulimits", "networkMode", "networksAdvanced", "ports",
    "hostname", "hosts", "sysctls", "healthcheck", "restart", "destroyGraceSeconds", "logDriver", "logOpts", "labels", "mustRun",
] as const;

interface ContainerSpec {
    name: string;
    image: string;
    destroyGraceSeconds?: number;
    user?: string;
    command?: string[];
    workingDir?: string;
    envs?: string[];
    readOnly?: boolean;
    runtime?: string;
    privileged?: boolean;
    securityOpts?: string[];
    capabilities?: { drops?: string[]; adds?: string[] };
    tmpfs?: Record<string, string>;
    volumes?: { hostPath: string; containerPath: string; readOnly?: boolean }[];
    cpus?: string;
    cpuShares?: number;
    memory?: number;
    memoryReservation?: number;
    memorySwap?: number;
    ulimits?: { name: string; soft: number; hard: number }[];
    networkMode?: string;
    networksAdvanced?: { name: string; aliases?: string[]; ipv4Address?: string }[];
    ports?: { internal: number; external: number; ip: string; protocol?: string }[];
    hostname?: string;
    hosts?: { host: string; ip: string }[];
    sysctls?: Record<string, string>;
    healthcheck?: { tests: string[]; interval?: string; timeout?: string; retries?: number; startPeriod?: string };
    restart?: string;
    logDriver?: string;
    logOpts?: Record<string, string>;
    labels?: { label: string; value: string }[];
    mustRun?: boolean;
}

/**
 * A security option as the CLI takes it. Docker's API (and so the provider) takes a seccomp profile's JSON inline;
 * the CLI takes a file's path, reads it and sends the same JSON. The file is named by its content.
 */
function cliSecurityOpt(option: string): string {
    const json = /^seccomp=(\{.*)$/s.exec(option)?.[1];
    if (json === undefined) return option;
    const file = path.join(os.tmpdir(), `clawcage-seccomp-${crypto.createHash("sha256").update(json).digest("hex").slice(0, 16)}.json`);
    fs.writeFileSync(file, json);
    return `seccomp=${file}`;
}

/** The `docker create` arguments of a recorded container; exported so the tests can read them. */
export function createArgs(c: ContainerSpec): string[] {
    const a = ["create", "--name", c.name];
    if (c.user) a.push("--user", c.user);
    if (c.workingDir) a.push("--workdir", c.workingDir);
    if (c.readOnly) a.push("--read-only");
    if (c.runtime) a.push("--runtime", c.runtime);
    if (c.privileged) a.push("--privileged");
    for (const o of c.securityOpts ?? []) a.push("--security-opt", cliSecurityOpt(o));
    for (const d of c.capabilities?.drops ?? []) a.push("--cap-drop", d);
    for (const d of c.capabilities?.adds ?? []) a.push("--cap-add", d);
    for (const [p, o] of Object.entries(c.tmpfs ?? {})) a.push("--tmpfs", `${p}:${o}`);
    for (const v of c.volumes ?? []) a.push("-v", `${v.hostPath}:${v.containerPath}:${v.readOnly ? "ro" : "rw"}`);
    if (c.cpus) a.push("--cpus", c.cpus);
    if (c.cpuShares) a.push("--cpu-shares", String(c.cpuShares));
    if (c.memory) a.push("--memory", `${c.memory}m`);
    if (c.memoryReservation) a.push("--memory-reservation", `${c.memoryReservation}m`);
    if (c.memorySwap) a.push("--memory-swap", `${c.memorySwap}m`);
    for (const u of c.ulimits ?? []) a.push("--ulimit", `${u.name}=${u.soft}:${u.hard}`);
    const [first] = c.networksAdvanced ?? [];
    if (c.networkMode && first && c.networkMode !== first.name) {
        throw new Error(`replay: container ${c.name} has networkMode ${c.networkMode} but its first network is ${first.name}`);
    }
    if (c.networkMode) a.push("--network", c.networkMode);
    for (const alias of first?.aliases ?? []) a.push("--network-alias", alias);
    if (first?.ipv4Address) a.push("--ip", first.ipv4Address);
    if (c.hostname) a.push("--hostname", c.hostname);
    for (const h of c.hosts ?? []) a.push("--add-host", `${h.host}:${h.ip}`);
    for (const [key, value] of Object.entries(c.sysctls ?? {})) a.push("--sysctl", `${key}=${value}`);
    for (const p of c.ports ?? []) a.push("-p", `${p.ip.includes(":") ? `[${p.ip}]` : p.ip}:${p.external}:${p.internal}/${p.protocol ?? "tcp"}`);
    if (c.healthcheck) {
        const [form, ...cmd] = c.healthcheck.tests;
        if (form !== "CMD" && form !== "CMD-SHELL") throw new Error(`replay: container ${c.name} healthcheck form ${form} is not understood`);
        // The CLI takes a shell string only: quote the exec form so the same argv runs.
        a.push("--health-cmd", form === "CMD" ? cmd.map((x) => `'${x.replace(/'/g, `'"'"'`)}'`).join(" ") : cmd.join(" "));
        if (c.healthcheck.interval) a.push("--health-interval", c.healthcheck.interval);
        if (c.healthcheck.timeout) a.push("--health-timeout", c.healthcheck.timeout);
        if (c.healthcheck.retries) a.push("--health-retries", String(c.healthcheck.retries));
        if (c.healthcheck.startPeriod) a.push("--health-start-period", c.healthcheck.startPeriod);
    }
    if (c.restart) a.push("--restart", c.restart);
    if (c.logDriver) a.push("--log-driver", c.logDriver);
    for (const [k, v] of Object.entries(c.logOpts ?? {})) a.push("--log-opt", `${k}=${v}`);
    for (const l of c.labels ?? []) a.push("--label", `${l.label}=${l.value}`);
    for (const e of c.envs ?? []) a.push("-e", e);
    a.push(c.image, ...(c.command ?? []));
    return a;
}

async function createContainer(r: RecordedResource, log: Log, env: Record<string, string>): Promise<string> {
    const c = reveal(r.inputs) as ContainerSpec;
    refuseUnknown("container", r.name, c, CONTAINER_KEYS);
    await dockerOk(createArgs(c), { env });
    for (const n of (c.networksAdvanced ?? []).slice(1)) {
        await dockerOk(["network", "connect", ...(n.aliases ?? []).flatMap((x) => ["--alias", x]), ...(n.ipv4Address ? ["--ip", n.ipv4Address] : []), n.name, c.name], { env });
    }
    if (c.mustRun !== false) await dockerOk(["start", c.name], { env });
    log(`started ${c.name} (${c.image})`);
    return c.name;
}

/** Runs a host step's script where its command runs it: over SSH for a remote one, else on the stand-in host. */
function onHostOf(host: string, r: RecordedResource, script: string, stdin?: string) {
    return r.type === REMOTE ? runRemote(r, script, stdin) : exec(host, ["bash", "-c", script], { input: stdin });
}

/** Runs a recorded host command's create script, with its stdin. */
async function runHostCommand(host: string, r: RecordedResource): Promise<Deployed["hostDeletes"][number]> {
    const i = reveal(r.inputs) as { create: string; delete?: string; stdin?: string; interpreter?: string[]; connection?: object; triggers?: unknown[] };
    refuseUnknown("command", r.name, i, ["create", "delete", "stdin", "interpreter", "connection", "triggers"]);
    const result = await onHostOf(host, r, i.create, i.stdin);
    if (result.code !== 0) throw new Error(`replay: host command ${r.name} failed (${result.code}): ${result.stderr.trim()}`);
    return { name: r.name, script: i.delete ?? "", resource: r };
}

/** A host step that acts on a container (its triggers hold the container's id): it runs once the container exists. */
function actsOnContainer(command: RecordedResource, run: ProgramRun): boolean {
    const triggers = (reveal(command.inputs) as { triggers?: unknown[] }).triggers ?? [];
    return run.resources.some((c) => c.type === CONTAINER && c.id !== undefined && triggers.includes(c.id));
}

/**
 * Replays the run in dependency order: the program's local commands (the SSH preflight), networks, host steps,
 * images, containers as registered, then the host steps that act on a container. `localEngine: false` refuses
 * any Docker resource without a provider.
 */
export async function replay(run: ProgramRun, host: string, log: Log, deployed: Deployed, opts = { localEngine: true }): Promise<void> {
    const understood = new Set([NETWORK, IMAGE, CONTAINER, DOCKER_PROVIDER, ...VALUES, ...COMMANDS]);
    const unknown = run.resources.filter((r) => !understood.has(r.type) && !r.type.startsWith(COMPONENT_PREFIX));
    if (unknown.length > 0) throw new Error(`replay: resource types it cannot deploy: ${unknown.map((r) => `${r.type} ${r.name}`).join(", ")}`);
    const ofType = (t: string) => run.resources.filter((r) => r.type === t);
    const env = engineEnvironment(run, opts);
    await runLocalInvokes(run);
    deployed.engine = env;
    for (const n of ofType(NETWORK)) deployed.networks.push(await createNetwork(n, env));
    // The account comes first: every file write needs its user and folders.
    const commands = run.resources.filter((r) => COMMANDS.has(r.type)).sort((a, b) => Number(b.name.endsWith("-account")) - Number(a.name.endsWith("-account")));
    const runCommand = async (c: RecordedResource) => {
        deployed.hostDeletes.unshift(await runHostCommand(host, c));
        log(`host: ${c.name}`);
    };
    for (const c of commands.filter((x) => !actsOnContainer(x, run))) await runCommand(c);
    for (const i of ofType(IMAGE)) await buildImage(i, log, env);
    const containers = ofType(CONTAINER);
    // The egress proxy and the gateway before the ingress proxy that relays to it (the components' dependsOn).
    containers.sort((a, b) => Number(a.name.includes("ingress")) - Number(b.name.includes("ingress")));
    for (const c of containers) deployed.containers.push(await createContainer(c, log, env));
    for (const c of commands.filter((x) => actsOnContainer(x, run))) await runCommand(c);
}

/**
 * Applies a second run of the program to what replay deployed, as `pulumi up` would: a host command whose
 * inputs changed runs its create again (the command provider replaces it), a container whose inputs changed
 * is replaced, everything else stays as it is. Returns the names of what it replaced. Changes this replayer
 * cannot apply in place (networks, images, added or removed resources) are an error, not silently skipped.
 */
export async function replayUpdate(before: ProgramRun, after: ProgramRun, host: string, log: Log): Promise<string[]> {
    const key = (r: RecordedResource) => `${r.type} ${r.name}`;
    const old = new Map(before.resources.map((r) => [key(r), r]));
    const added = after.resources.filter((r) => !old.has(key(r)) && !r.type.startsWith(COMPONENT_PREFIX));
    const removed = before.resources.filter((r) => !after.resources.some((a) => key(a) === key(r)) && !r.type.startsWith(COMPONENT_PREFIX));
    if (added.length + removed.length > 0) throw new Error(`replayUpdate: resources added or removed (${[...added, ...removed].map(key).join(", ")}); redeploy instead`);
    await runLocalInvokes(after);
    const env = engineEnvironment(after, { localEngine: true });
    const changed = after.resources.filter((r) => !VALUES.has(r.type) && r.type !== DOCKER_PROVIDER && !r.type.startsWith(COMPONENT_PREFIX) && !isDeepStrictEqual(reveal(r.inputs), reveal(old.get(key(r))?.inputs)));
    const inPlace = changed.filter((r) => !COMMANDS.has(r.type) && r.type !== CONTAINER);
    if (inPlace.length > 0) throw new Error(`replayUpdate: cannot update ${inPlace.map(key).join(", ")}; redeploy instead`);
    const rerun = async (c: RecordedResource) => {
        await runHostCommand(host, c);
        log(`host: ${c.name} (replaced)`);
    };
    const commands = changed.filter((r) => COMMANDS.has(r.type));
    for (const c of commands.filter((x) => !actsOnContainer(x, after))) await rerun(c);
    for (const c of changed.filter((r) => r.type === CONTAINER)) {
        await removeContainer(reveal(c.inputs) as ContainerSpec, env);
        await createContainer(c, log, env);
    }
    for (const c of commands.filter((x) => actsOnContainer(x, after))) await rerun(c);
    return changed.map((r) => r.name);
}

/** As the provider destroys a container: asked to stop within its grace (destroyGraceSeconds), then removed. */
async function removeContainer(spec: ContainerSpec, env: Record<string, string>): Promise<void> {
    if (spec.destroyGraceSeconds) await docker(["stop", "--time", String(spec.destroyGraceSeconds), spec.name], { env, timeoutMs: (spec.destroyGraceSeconds + 30) * 1000 });
    await dockerOk(["rm", "-f", "-v", spec.name], { env });
}

/** Removes everything replay created, also after a failure; host deletes run last, as `pulumi destroy` would. */
export async function teardown(deployed: Deployed, host: string | undefined, log: Log): Promise<void> {
    const env = deployed.engine;
    for (const c of deployed.containers.splice(0)) await docker(["rm", "-f", "-v", c], { env });
    for (const n of deployed.networks.splice(0)) await docker(["network", "rm", n], { env });
    for (const d of deployed.hostDeletes.splice(0)) {
        if (d.script && (host || d.resource.type === REMOTE)) await onHostOf(host ?? "", d.resource, d.script);
    }
    log("teardown complete");
}
