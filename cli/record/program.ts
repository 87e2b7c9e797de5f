import * as fs from "node:fs";
import * as path from "node:path";
import * as crypto from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { enabledTokenChannels } from "../../components/deployment/names";
import { modelRelays } from "../../components/deployment/modelProviders";
import { parseSettings } from "../../components/settings/parse";
import { ALERT_SECRET_KEYS } from "../../components/watcher/deliveries";
import { privateKeyState, selfSignedCertState, TLS_PRIVATE_KEY, TLS_SELF_SIGNED_CERT } from "./tlsStandIn";

/** Pulumi marks a secret value on the wire with this signature; mocks keep the wrapper. */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export interface RecordedResource {
    type: string;
    name: string;
    custom: boolean;
    /** Inputs as the engine received them; secrets stay wrapped ({SECRET_SIG_KEY: SECRET_SIG, value}). */
    inputs: Record<string, unknown>;
    /** The id the mock returned (what another resource's input holds when it depends on this one's id). */
    id?: string;
    /** Outputs the mock returned. */
    state: Record<string, unknown>;
    /** The explicit provider reference (`urn::id`), when the resource has one (a Docker engine over SSH). */
    provider?: string;
}

/** A function the program called on a provider (an invoke), which the engine runs at every preview and up. */
export interface RecordedInvoke {
    token: string;
    /** Arguments as the engine received them; secrets stay wrapped. */
    inputs: Record<string, unknown>;
}

export interface ProgramRun {
    resources: RecordedResource[];
    invokes: RecordedInvoke[];
    outputs: Record<string, unknown>;
    /** Names of stack outputs that are marked secret. */
    secretOutputs: string[];
    /** Every secret value a mock produced (e.g. generated tokens). */
    generatedSecrets: string[];
}

/**
 * The package's root: the checkout when run from source (ts-node), dist/ when compiled. The program
 * (index) sits there either way; stacks/ only in a checkout, so stackConfig, stackNames and runStack
 * serve the tests, never the installed CLI (which finds stacks through cli/stackFile.ts).
 */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** The program's entry beside this module's own kind: index.ts from source, index.js when compiled. */
const PROGRAM_ENTRY = path.join(REPO_ROOT, path.extname(__filename) === ".ts" ? "index.ts" : "index.js");

/** A module of this package (not a dependency, not a test), which a fresh run must load afresh. */
function isPackageModule(file: string): boolean {
    const parts = path.relative(REPO_ROOT, file).split(path.sep);
    return parts[0] !== ".." && !path.isAbsolute(parts[0]) && !parts.includes("node_modules") && !parts.includes("test");
}

/** The `config:` block of a Pulumi stack file. */
export function stackFileConfig(file: string): Record<string, unknown> {
    return (parseYaml(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> }).config;
}

/** The `config:` block of stacks/Pulumi.<stack>.yaml. */
export function stackConfig(stack: string): Record<string, unknown> {
    return stackFileConfig(path.join(REPO_ROOT, "stacks", `Pulumi.${stack}.yaml`));
}

export function stackNames(): string[] {
    return fs
        .readdirSync(path.join(REPO_ROOT, "stacks"))
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** The committed stacks that deploy on a Docker host (not `target: kubernetes`): their resources are containers and host steps. */
export const dockerStackNames = (): string[] => stackNames().filter((st) => (stackConfig(st)["clawcage:settings"] as { target?: string } | undefined)?.target !== "kubernetes");

/** A read of a stack's outputs (the program reads its own previous permissions). */
export const STACK_REFERENCE = "pulumi:pulumi:StackReference";

/** The invoke that runs a command on the machine running `pulumi up` (the SSH preflight). */
export const LOCAL_RUN = "command:local:run";

/** A throwaway SSH key stand-in for stacks with an SSH target (never a real key). */
export const TEST_SSH_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\ntest-only\n-----END OPENSSH PRIVATE KEY-----";

/** A bot token stand-in for stacks with an enabled token channel (never a real token). */
export const TEST_CHANNEL_TOKEN = "123456:test-only-bot-token";

/** A model provider key stand-in (never a real key); the e2e's model stub accepts exactly this one. */
export const TEST_MODEL_KEY = "e2e-only-model-key-0d9f3a7c41b2";

/** Alert delivery stand-ins (never real credentials): a webhook URL on the declared host, and a mail password. */
export const testWebhookUrl = (host: string): string => `https://${host}/clawcage-test-only-webhook`;
export const TEST_ALERT_MAIL_PASSWORD = "test-only-mail-password-5e21c9";

/** The previous run's resource of this name and type when its inputs are unchanged: the engine would keep it. */
function keptFrom(previous: ProgramRun | undefined, args: pulumi.runtime.MockResourceArgs): RecordedResource | undefined {
    return previous?.resources.find((r) => r.type === args.type && r.name === args.name && isDeepStrictEqual(r.inputs, args.inputs));
}

/**
 * Records what the program declares without a Pulumi engine. Used by the unit tests, the e2e replayer and
 * the offline checks.
 *
 * Runs index.ts under Pulumi's mock runtime with the given config (object values are JSON-encoded as
 * the CLI does) and records every resource registration. `secretKeys` lists keys set with --secret.
 * `previous` is the run of the last `pulumi up`: a random value whose name and inputs (length, keepers) are
 * unchanged keeps its value, as the engine keeps an unchanged resource; any other is generated afresh.
 * `entry` runs another program than index.ts (a test's larger stack).
 */
export async function runProgram(config: Record<string, unknown>, secretKeys: string[] = [], previous?: ProgramRun, entry: string = PROGRAM_ENTRY): Promise<ProgramRun> {
    const resources: RecordedResource[] = [];
    const invokes: RecordedInvoke[] = [];
    const generatedSecrets: string[] = [];
    const flat = Object.fromEntries(
        Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    );
    pulumi.runtime.setAllConfig(flat, secretKeys);
    await pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs) {
                const state: Record<string, unknown> = { ...args.inputs };
                if (args.type === "random:index/randomBytes:RandomBytes") {
                    const kept = keptFrom(previous, args);
                    const bytes = kept ? Buffer.from(String(kept.state.hex), "hex") : crypto.randomBytes(Number(args.inputs.length ?? 32));
                    generatedSecrets.push(bytes.toString("hex"), bytes.toString("base64"));
                    state.hex = bytes.toString("hex");
                    state.base64 = bytes.toString("base64");
                }
                // An unchanged key or certificate is kept, as the engine keeps an unchanged resource: clients pin it.
                if (args.type === TLS_PRIVATE_KEY || args.type === TLS_SELF_SIGNED_CERT) {
                    const made = keptFrom(previous, args)?.state ?? (args.type === TLS_PRIVATE_KEY ? privateKeyState(args.inputs) : selfSignedCertState(reveal(args.inputs) as Parameters<typeof selfSignedCertState>[0]));
                    Object.assign(state, made);
                    if (typeof made.privateKeyPem === "string") generatedSecrets.push(made.privateKeyPem);
                }
                if (args.type === "command:local:Command" || args.type === "command:remote:Command") {
                    state.stdout = "";
                    state.stderr = "";
                }
                // The program reads its own stack's last outputs: those of the previous run, its permissions alone here.
                if (args.type === STACK_REFERENCE) {
                    state.outputs = previous?.outputs.permissions === undefined ? {} : { permissions: previous.outputs.permissions };
                    state.secretOutputNames = [];
                }
                // The API server gives a Service its cluster address; the pods' hosts files take it from there.
                if (args.type === "kubernetes:core/v1:Service") state.spec = { ...(args.inputs.spec as object), clusterIP: `10.96.0.${resources.filter((r) => r.type === args.type).length + 10}` };
                if (args.type === "docker:index/image:Image") state.repoDigest = `${String(args.inputs.imageName)}@sha256:${"0".repeat(64)}`;
                // A container whose inputs change is replaced by the provider, under a new id: so is it here, which runs
                // again what the id triggers (its pids limit).
                const id = args.type === "docker:index/container:Container" ? `${args.name}-${crypto.createHash("sha256").update(JSON.stringify(args.inputs)).digest("hex").slice(0, 12)}` : `${args.name}-id`;
                resources.push({ type: args.type, name: args.name, custom: args.custom ?? true, inputs: args.inputs, id, state, ...(args.provider ? { provider: args.provider } : {}) });
                return { id, state };
            },
            call(args: pulumi.runtime.MockCallArgs) {
                invokes.push({ token: args.token, inputs: args.inputs });
                // A local command's result: it ran (the replayer runs it for real) and printed nothing.
                return args.token === LOCAL_RUN ? { stdout: "", stderr: "" } : args.inputs;
            },
        },
        "clawcage",
        "test",
        false,
        "organization",
    );
    // Judged relative to the package root: an installed package itself lives under a node_modules folder.
    for (const key of Object.keys(require.cache)) {
        if (isPackageModule(key)) delete require.cache[key];
    }
    delete require.cache[entry];
    const program = (await import(entry)) as Record<string, unknown>;
    await waitForRegistrations();
    const outputs: Record<string, unknown> = {};
    const secretOutputs: string[] = [];
    for (const [k, v] of Object.entries(program)) {
        if (!pulumi.Output.isInstance(v)) {
            outputs[k] = v;
            continue;
        }
        outputs[k] = await unwrap(v);
        if (await pulumi.isSecret(v)) secretOutputs.push(k);
    }
    return { resources, invokes, outputs, secretOutputs, generatedSecrets };
}

// Internal to the SDK but stable since 3.x: resolves once every pending registration has been answered.
const settingsModule = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
async function waitForRegistrations(): Promise<void> {
    const settings = (await import("@pulumi/pulumi/runtime/settings")) as unknown as { waitForRPCs?: () => Promise<void> };
    const wait = settings.waitForRPCs ?? settingsModule.waitForRPCs;
    if (!wait) throw new Error("@pulumi/pulumi no longer exposes waitForRPCs; update cli/record/program.ts");
    await wait();
}

export function unwrap<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

/** Runs a committed stack with the secrets a user would have set for it. */
export function runStack(stack: string): Promise<ProgramRun> {
    return runStackConfig(stackConfig(stack));
}

/**
 * Runs the program (or another, `entry`) with a stack's config, adding stand-ins for the secrets it needs (SSH key,
 * bot tokens, alert credentials).
 */
export function runStackConfig(config: Record<string, unknown>, previous?: ProgramRun, entry?: string): Promise<ProgramRun> {
    const standIns: Record<string, string> = {};
    try {
        const settings = parseSettings(config["clawcage:settings"] ?? {});
        if (settings.host.target.kind === "ssh") standIns["clawcage:sshPrivateKey"] = TEST_SSH_KEY;
        for (const { configKey } of enabledTokenChannels(settings)) standIns[`clawcage:${configKey}`] = TEST_CHANNEL_TOKEN;
        for (const { keyConfigKey } of modelRelays(settings)) if (keyConfigKey) standIns[`clawcage:${keyConfigKey}`] = TEST_MODEL_KEY;
        if (settings.alerts.webhook) standIns[`clawcage:${ALERT_SECRET_KEYS.webhookUrl}`] = testWebhookUrl(settings.alerts.webhook.host);
        if (settings.alerts.mail) standIns[`clawcage:${ALERT_SECRET_KEYS.mailPassword}`] = TEST_ALERT_MAIL_PASSWORD;
    } catch {
        // Invalid settings: the program refuses them itself, with the problems listed.
    }
    // A value the config already holds (the e2e's real SSH key) is the one to use, as a secret all the same.
    for (const key of Object.keys(standIns)) if (typeof config[key] === "string") standIns[key] = config[key] as string;
    return runProgram({ ...config, ...standIns }, Object.keys(standIns), previous, entry);
}

export function ofType(run: ProgramRun, type: string): RecordedResource[] {
    return run.resources.filter((r) => r.type === type);
}

export function byName(run: ProgramRun, name: string): RecordedResource {
    const found = run.resources.find((r) => r.name === name);
    if (!found) throw new Error(`no resource named ${name}; have ${run.resources.map((r) => r.name).join(", ")}`);
    return found;
}

/** Removes Pulumi's secret wrappers, for asserting on values. */
export function reveal(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(reveal);
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[SECRET_SIG_KEY] === SECRET_SIG) return reveal(obj.value);
        return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, reveal(v)]));
    }
    return value;
}

/** Every string reachable in `value` that is NOT inside a secret wrapper. */
export function plainStrings(value: unknown): string[] {
    if (typeof value === "string") return [value];
    if (Array.isArray(value)) return value.flatMap(plainStrings);
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[SECRET_SIG_KEY] === SECRET_SIG) return [];
        return Object.values(obj).flatMap(plainStrings);
    }
    return [];
}
