import * as fs from "node:fs";
import * as path from "node:path";
import { runStackConfig, stackFileConfig, TEST_MODEL_KEY, type ProgramRun } from "../../cli/record/program";
import { modelRelays } from "../../components/deployment/modelProviders";
import { parseSettings } from "../../components/settings/parse";
import type { DeploymentSettings } from "../../components/settings/schema";
import { hostLayout } from "../../components/host/layout";
import { EGRESS_PROXY_HOST } from "../../components/egress/egressProxy";
import { docker, dockerOk, exec, requireEngine } from "../../cli/live/docker";
import { inspect } from "../../cli/live/probe";
import { endpointRequest } from "../../cli/live/endpoint";
import type { EgressFixtures, LiveDeployment } from "../../cli/verify/check";
import { DEPLOYMENT_NAME, deploymentNames, effectiveEgressAllowlist } from "../../components/deployment/names";
import { gatewayPlans, type GatewayPlan } from "../../components/deployment/team";
import { ensureBaseImages, localCaCerts, type BaseImages } from "./images";
import { replay, replayUpdate, teardown, type Deployed } from "./replay";
import { startVps, VPS_CONTAINER, type Vps } from "./vps";
import { alertConfig, alertStubArgs } from "./alertStubs";
import { waitForHealthy } from "./health";

/**
 * The guide's alert rules set to notify: a test of the layers beneath them (the exec allowlist, the workspace
 * limit, the proxy) then meets those layers, and every call is still recorded with the rules it matched.
 */
export const ALERTS_NOTIFY = { alerts: { rules: parseSettings({}).alerts.rules.map((r) => ({ ...r, action: "notify" })) } };

export type Log = (line: string) => void;

/** Names of what the harness itself adds around the deployment; all carry this prefix. */
export const HARNESS = "clawcage-e2e";
/** The stand-in VPS (vps.ts), the deployment's host. */
export const STAND_IN = VPS_CONTAINER;
/** The deployment's own containers and networks, named as the component names them. */
const NAMES = deploymentNames();

export interface Environment {
    run: ProgramRun;
    settings: DeploymentSettings;
    images: BaseImages;
    live: LiveDeployment;
    deployed: Deployed;
    /** Extra containers the harness started (stubs, weakened copies); removed at teardown. */
    extras: string[];
    standIn: string;
    gatewayImage: string;
    /** The stand-in VPS and the stack file that targets it. */
    vps: Vps;
    /** How this run's settings differ from the e2e stack's (another runtime, say): every later `pulumi up` keeps it. */
    edit?: SettingsEdit;
    /** A team's gateways by member (`live` is the first's); empty without a team. */
    members: Record<string, LiveDeployment>;
}

export type SettingsEdit = (settings: Record<string, unknown>) => void;

export const E2E_STACK_FILE = path.join(__dirname, "stack.yaml");

/**
 * The e2e stack's config with this machine's offline base images (and build CA, when TLS is intercepted), the
 * SSH key as secret config when the stack targets the VPS, and the run's alert stubs: the CA of their certificate
 * in the settings, the webhook's URL and the mail password as secret config.
 */
export function e2eConfig(images: BaseImages, stackFile = E2E_STACK_FILE, identity?: string): Record<string, unknown> {
    const config = stackFileConfig(stackFile);
    if (identity) config["clawcage:sshPrivateKey"] = fs.readFileSync(identity, "utf8");
    const settings = config["clawcage:settings"] as { image?: Record<string, string>; alerts?: Record<string, unknown> };
    const ca = localCaCerts();
    settings.image = { ...settings.image, gatewayBase: images.node, proxyBase: images.debian, ...(ca ? { buildCaCert: ca } : {}) };
    const alerts = alertConfig(parseSettings(settings));
    settings.alerts = { ...settings.alerts, caCertificate: alerts.caCertificate };
    return { ...config, ...alerts.secrets };
}

/** Starts a container of the harness (not of the deployment) and remembers it for teardown. */
export async function startExtra(env: Pick<Environment, "extras">, args: string[]): Promise<string> {
    const name = args[args.indexOf("--name") + 1];
    await docker(["rm", "-f", name]);
    await dockerOk(["run", "-d", ...args]);
    env.extras.push(name);
    return name;
}

/**
 * Stub upstreams: allowlisted and blocked names on the egress network, an allowlisted name on a private one.
 * They answer on 80 and 443 (HTTP and CONNECT targets) and 53 (the "ping 8.8.8.8" check's port).
 */
const STUB_SERVER = `const h=require("http");const s=(q,r)=>r.end("stub "+q.headers.host);h.createServer(s).listen(80);h.createServer(s).listen(443);require("net").createServer(c=>c.end()).listen(53)`;

export const MODEL_STUB = `${HARNESS}-model`;

/** Starts the model stub where the e2e stack's provider points (its upstream host on the egress network). */
async function startModelStub(env: Environment): Promise<void> {
    const [relay] = modelRelays(env.settings);
    if (!relay) throw new Error("the e2e stack declares no model provider");
    await startExtra(env, [
        "--name", MODEL_STUB,
        "--network", NAMES.networks.egress,
        "--network-alias", relay.upstream.host,
        // The stub accepts only the key the egress proxy is given; the gateway never holds it.
        "-e", `MODEL_KEY=${TEST_MODEL_KEY}`,
        "-e", `PORT=${relay.upstream.port}`,
        "-v", `${path.join(__dirname, "stubs", "model.js")}:/model.js:ro`,
        env.images.node, "node", "/model.js",
    ]);
}

/** A name no allowlist holds (IANA's example domain); the proxy must refuse it. */
const BLOCKED_HOST = "example.org";

/**
 * The stubs' names, derived from what the deployed proxy was really given (the effective allowlist): two
 * names under its first "with subdomains" entry, one of them served from a private address.
 */
function fixtureNames(settings: DeploymentSettings): Omit<EgressFixtures, "stubAddress"> {
    const allowlist = effectiveEgressAllowlist(settings);
    const domain = allowlist.find((d) => d.startsWith("."));
    if (!domain) throw new Error(`the e2e stack's egress allowlist [${allowlist.join(", ")}] has no '.domain' entry to name the stubs under`);
    if (allowlist.some((d) => BLOCKED_HOST === d || BLOCKED_HOST.endsWith(d.startsWith(".") ? d : `.${d}`))) {
        throw new Error(`the e2e stack allowlists ${BLOCKED_HOST}, the name its checks expect to be refused`);
    }
    return { allowedHost: `api${domain}`, privateAllowedHost: `internal${domain}`, blockedHost: BLOCKED_HOST };
}

/**
 * Every container's seccomp profile when CLAWCAGE_E2E_SECCOMP names one: scripts/record-seccomp.sh records the
 * containers under Docker's default, since a call the recorded profile refuses would never be counted.
 */
function seccompOverride(edit?: SettingsEdit): SettingsEdit | undefined {
    const seccomp = process.env.CLAWCAGE_E2E_SECCOMP;
    if (!seccomp) return edit;
    return (settings) => {
        edit?.(settings);
        settings.container = { ...(settings.container as object), seccomp };
    };
}

/** Deploys the e2e stack, its settings first changed by `edit` when given (another runtime, say). */
export async function deployForTest(log: Log, given?: SettingsEdit): Promise<Environment> {
    const edit = seccompOverride(given);
    log(`Docker engine ${await requireEngine()}`);
    const images = await ensureBaseImages(log);
    // The deployment's root folder is shared by the engine's host and the VPS stand-in, as on a real VPS.
    const shared = path.dirname(parseSettings(stackFileConfig(E2E_STACK_FILE)["clawcage:settings"]).host.root);
    await removeLeftovers(shared, log);
    fs.mkdirSync(shared, { recursive: true });
    const vps = await startVps(images.debian, shared, E2E_STACK_FILE, log);
    const config = e2eConfig(images, vps.stackFile, vps.identity);
    edit?.(config["clawcage:settings"] as Record<string, unknown>);
    const settings = parseSettings(config["clawcage:settings"]);
    const run = await runStackConfig(config);
    const tokens = run.outputs.tokens as Record<string, string>;
    const onHost: LiveDeployment["onHost"] = (script, input) => exec(STAND_IN, ["bash", "-c", script], { input });
    /** A gateway as the checks meet it: its own containers, settings and folders, the shared proxies, its admin token. */
    const liveOf = (plan: GatewayPlan): LiveDeployment => ({
        member: plan.member,
        settings: plan.settings,
        layout: hostLayout(plan.settings, settings.host.root),
        gateway: plan.names.gateway,
        egressProxy: NAMES.egressProxy,
        egressProxyHost: EGRESS_PROXY_HOST,
        ingressProxy: NAMES.ingressProxy,
        alertWatcher: plan.names.alertWatcher,
        sandboxHost: plan.names.sandboxHost,
        endpoint: plan.endpoint,
        publishedEndpoint: plan.endpoint,
        token: tokens[plan.member ? `${plan.member}/admin` : "admin"],
        onHost,
    });
    const plans = gatewayPlans(DEPLOYMENT_NAME, settings);
    const lives = plans.map(liveOf);
    const env: Environment = {
        vps,
        edit,
        run,
        settings,
        images,
        deployed: { networks: [], containers: [], hostDeletes: [], engine: {} },
        extras: [STAND_IN],
        standIn: STAND_IN,
        gatewayImage: "",
        live: lives[0],
        members: Object.fromEntries(plans.flatMap((p, i) => (p.member ? [[p.member, lives[i]]] : []))),
    };
    try {
        // Over SSH alone: a Docker resource without the VPS's provider would be an error, not a local container.
        await replay(run, STAND_IN, log, env.deployed, { localEngine: false });
        env.gatewayImage = (await inspect(env.live.gateway)).Config.Image;
        const names = fixtureNames(settings);
        await startExtra(env, ["--name", `${HARNESS}-stub`, "--network", NAMES.networks.egress, "--network-alias", names.allowedHost, "--network-alias", names.blockedHost, images.node, "node", "-e", STUB_SERVER]);
        await startExtra(env, ["--name", `${HARNESS}-stub-private`, "--network", plans[0].names.networks.internal, "--network-alias", names.privateAllowedHost, images.node, "node", "-e", STUB_SERVER]);
        const stubAddress = (await inspect(`${HARNESS}-stub`)).NetworkSettings.Networks[NAMES.networks.egress].IPAddress;
        for (const live of lives) live.fixtures = { ...names, stubAddress };
        await startModelStub(env);
        const nodeModules = path.dirname(path.dirname(require.resolve("smtp-server/package.json")));
        for (const args of alertStubArgs(settings, NAMES.networks.egress, images.node, nodeModules)) await startExtra(env, args);
        // squid resolves its relay's upstreams when it starts, and the stub came after it.
        await dockerOk(["restart", "--time", "5", NAMES.egressProxy]);
        for (const live of lives) await waitForHealthy(live, log);
        return env;
    } catch (e) {
        await tearDownEnvironment(env, log);
        throw e;
    }
}

/** Containers and networks a crashed earlier run may have left, so this run starts clean. */
async function removeLeftovers(shared: string, log: Log): Promise<void> {
    const containers = (await docker(["ps", "-aq", "--filter", "label=clawcage.component", "--filter", `name=${HARNESS}`])).stdout.split("\n").filter(Boolean);
    const byName = (await docker(["ps", "-aq", "--filter", `name=${DEPLOYMENT_NAME}-`, "--filter", `name=${HARNESS}`])).stdout.split("\n").filter(Boolean);
    const all = [...new Set([...containers, ...byName])];
    if (all.length > 0) {
        log(`removing ${all.length} leftover containers`);
        await docker(["rm", "-f", "-v", ...all]);
    }
    // Every bridge a deployment made (a team's members' too) carries the clawcage.network label.
    const networks = (await docker(["network", "ls", "-q", "--filter", "label=clawcage.network"])).stdout.split("\n").filter(Boolean);
    for (const n of [...Object.values(NAMES.networks), ...networks]) await docker(["network", "rm", n]);
    fs.rmSync(shared, { recursive: true, force: true });
}

export const modelsStatus = (env: Environment, token: string): Promise<number> =>
    endpointRequest(env.live, "/v1/models", { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.status, () => 0);

/** Polls until the token gets the wanted status (a restarted proxy takes a moment), returning the last one. */
export async function waitForStatus(env: Environment, token: string, wanted: number): Promise<number> {
    let last = 0;
    for (let i = 0; i < 30 && last !== wanted; i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, 1000));
        last = await modelsStatus(env, token);
    }
    return last;
}

/**
 * A door with no memory of earlier guesses: haproxy keeps its failed-attempt counters and lockouts in memory,
 * so a restart empties them. What runs next depends on no earlier check's failed tokens and on no clock.
 */
export async function reopenDoor(env: Environment): Promise<void> {
    await dockerOk(["restart", "--time", "5", env.live.ingressProxy ?? ""]);
    const status = await waitForStatus(env, env.live.token, 200);
    if (status !== 200) throw new Error(`the restarted ingress proxy answers ${status} to the valid token`);
}

export async function tearDownEnvironment(env: Environment, log: Log): Promise<void> {
    for (const c of env.extras.filter((x) => x !== STAND_IN)) await docker(["rm", "-f", "-v", c]);
    await teardown(env.deployed, STAND_IN, log);
    await docker(["rm", "-f", "-v", STAND_IN]);
    env.extras.splice(0);
    // The whole shared folder belongs to the harness: the deployment root and the weakened copies' files.
    fs.rmSync(path.dirname(env.settings.host.root), { recursive: true, force: true });
}

/**
 * `pulumi up` with some settings changed (a later rollout stage); the returned function is the `pulumi up` back,
 * so that every later test meets the stack as committed.
 */
export async function applySettings(env: Environment, changes: Record<string, unknown>, log: Log): Promise<() => Promise<void>> {
    const config = e2eConfig(env.images, env.vps.stackFile, env.vps.identity);
    const settings = config["clawcage:settings"] as Record<string, unknown>;
    env.edit?.(settings);
    // A change of the alert rules keeps where alerts go.
    const alerts = { ...(settings.alerts as object), ...(changes.alerts as object | undefined) };
    const changed = await runStackConfig({ ...config, "clawcage:settings": { ...settings, ...changes, alerts } }, env.run);
    const back = async () => {
        await replayUpdate(changed, env.run, STAND_IN, log);
        await waitForHealthy(env.live, log);
    };
    try {
        await replayUpdate(env.run, changed, STAND_IN, log);
        await waitForHealthy(env.live, log);
        await reopenDoor(env);
    } catch (e) {
        await back();
        throw e;
    }
    return back;
}

/** `body` with some settings changed (see applySettings), then the stack as committed again. */
export async function withSettings<T>(env: Environment, changes: Record<string, unknown>, log: Log, body: () => Promise<T>): Promise<T> {
    const back = await applySettings(env, changes, log);
    try {
        return await body();
    } finally {
        await back();
    }
}
