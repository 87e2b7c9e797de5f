import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { accessChecks, containerChecks, hostChecks, networkChecks, secretChecks, toolChecks, type Check, type LiveDeployment } from "../../cli/verify";
import { dockerOk, exec } from "../../cli/live/docker";
import { inspect } from "../../cli/live/probe";
import { HARNESS, startExtra, type Environment } from "./harness";
import { ingressCopy } from "./ingressCopy";
import { sharedNetworkControl } from "./teamControl";
import { deploymentNames } from "../../components/deployment/names";
import { EGRESS_PROXY_PORT } from "../../components/egress/egressProxy";
import { MODEL_RELAY_PORT } from "../../components/deployment/modelProviders";
import { GATEWAY_PATHS, PROXY_PATHS } from "../../components/host/layout";
import { isolationOf, runtimes } from "../../components/container/runtime";
import { CONTAINER_ROLES, type AppArmorChoice, type ContainerRole, type SeccompChoice } from "../../components/settings/constants";

/** Where the copy of the ingress that logs query strings listens (a negative control). */
const LOGGING_INGRESS_PORT = 28791;

const NAMES = deploymentNames();

/**
 * Negative controls of the runtime checks: each takes one part of the deployment, weakens it the way a
 * careless hand-written setup would, and hands the checks that part instead. Every check must FAIL on
 * its weakened part; a check that passes anyway proves nothing.
 */
export interface NegativeControl {
    what: string;
    checks: Check[];
    weaken: () => Promise<LiveDeployment>;
    restore?: () => Promise<void>;
}

/** Starts a harness container once and reuses it across controls. */
function once<T>(start: () => Promise<T>): () => Promise<T> {
    let started: Promise<T> | undefined;
    return () => (started ??= start());
}

export function negativeControls(envOf: () => Environment): NegativeControl[] {
    const live = () => envOf().live;
    const work = (name: string) => {
        const dir = path.join(path.dirname(envOf().settings.host.root), name);
        fs.mkdirSync(dir, { recursive: true });
        return dir;
    };

    // A gateway as many compose files run it: root, writable root, default capabilities, no limits, and
    // on a network with a route out.
    const weakGateway = once(async () => {
        const env = envOf();
        // Its /tmp is a tmpfs where programs may run (`exec`), as compose files that build in /tmp declare it.
        return startExtra(env, ["--name", `${HARNESS}-weak-gateway`, "-u", "0", "--network", NAMES.networks.egress, "--tmpfs", "/tmp:rw,exec", "--entrypoint", "sleep", env.gatewayImage, "infinity"]);
    });
    // An OpenClaw whose config the test swaps between controls.
    const weakOpenClaw = once(async () => {
        const env = envOf();
        return startExtra(env, ["--name", `${HARNESS}-weak-openclaw`, "--network", "none", "-e", "OPENCLAW_CONFIG_PATH=/tmp/c/openclaw.json", "-e", "OPENCLAW_STATE_DIR=/tmp/state", "--entrypoint", "sleep", env.gatewayImage, "infinity"]);
    });
    // A running OpenClaw whose tool policy grants exec and writes: what a loose openclaw.json gives a session.
    const looseToolsGateway = once(async () => {
        const env = envOf();
        const name = await startExtra(env, ["--name", `${HARNESS}-loose-tools`, "--network", "none", "-e", "OPENCLAW_CONFIG_PATH=/tmp/c/openclaw.json", "-e", "OPENCLAW_STATE_DIR=/tmp/state", "--entrypoint", "sleep", env.gatewayImage, "infinity"]);
        const cfg = (await realConfig()) as unknown as { gateway: { bind: string; auth: Record<string, unknown>; trustedProxies?: string[] }; tools: { allow: string[]; deny: string[]; exec: { mode: string } } };
        // Unpublished, as no ingress is in front of it: its own token, which its CLI reads from the config.
        cfg.gateway.bind = "loopback";
        cfg.gateway.auth = { mode: "token", token: cfg.gateway.auth.password ?? cfg.gateway.auth.token };
        delete cfg.gateway.trustedProxies;
        cfg.tools = { ...cfg.tools, allow: ["read", "write", "exec"], deny: [], exec: { mode: "full" } };
        await writeConfig(name, cfg, "600");
        await exec(name, ["sh", "-c", "openclaw gateway run > /tmp/gateway.log 2>&1 &"]);
        for (let i = 0; i < 60; i++) {
            const up = await exec(name, ["node", "-e", `fetch("http://127.0.0.1:${envOf().settings.gateway.port}/healthz").then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`]);
            if (up.code === 0) return { ...live(), gateway: name, ingressProxy: undefined };
            await new Promise((r) => setTimeout(r, 2000));
        }
        throw new Error("the loose-tools gateway did not start");
    });
    const writeConfig = async (name: string, config: object, mode: string): Promise<void> => {
        const r = await exec(name, ["sh", "-c", `mkdir -p /tmp/c /tmp/state && chmod 700 /tmp/state && cat > /tmp/c/openclaw.json && chmod ${mode} /tmp/c/openclaw.json && printf token-value-for-weak > /tmp/c/gateway.token && chmod 600 /tmp/c/gateway.token`], { input: JSON.stringify(config) });
        if (r.code !== 0) throw new Error(`weak openclaw setup failed: ${r.stderr}`);
    };
    const withConfig = async (config: object, mode: string): Promise<LiveDeployment> => {
        const name = await weakOpenClaw();
        await writeConfig(name, config, mode);
        return { ...live(), gateway: name };
    };
    const realConfig = async () => {
        const r = await exec(live().gateway, ["cat", GATEWAY_PATHS.configFile]);
        const cfg = JSON.parse(r.stdout) as { secrets: { providers: Record<string, { path: string }> } };
        for (const p of Object.values(cfg.secrets.providers)) p.path = "/tmp/c/gateway.token";
        return cfg;
    };
    // A proxy that allows everything and logs nothing: the usual "temporary" squid.conf. With `routed`
    // it also joins the egress network (it reaches the stubs); without, whatever it forwards is dropped
    // on this machine — used for destinations that must never be sent out for real.
    const startWeakProxy = async (alias: string, routed: boolean) => {
        const env = envOf();
        const dir = work(alias);
        fs.writeFileSync(path.join(dir, path.basename(env.live.layout.egressConfigFile)), `http_port ${EGRESS_PROXY_PORT}\nhttp_port ${MODEL_RELAY_PORT}\nhttp_access allow all\naccess_log none\npid_filename none\ncache deny all\ncoredump_dir /tmp\n`);
        fs.chmodSync(dir, 0o755);
        // The real proxy's image and command (which names the config file in the mounted folder).
        const { Config } = await inspect(env.live.egressProxy);
        const name = await startExtra(env, ["--name", `${HARNESS}-${alias}`, "-u", "0", "--network", NAMES.networks.internal, "--network-alias", alias, "-v", `${dir}:${PROXY_PATHS.config}:ro`, Config.Image, ...(Config.Cmd ?? [])]);
        if (routed) await dockerOk(["network", "connect", NAMES.networks.egress, name]);
        await new Promise((r) => setTimeout(r, 3000));
        return { ...live(), egressProxy: name, egressProxyHost: alias, layout: { ...live().layout, egressLogs: dir } };
    };
    const weakProxy = once(() => startWeakProxy("weak-proxy", true));
    const weakIsolatedProxy = once(() => startWeakProxy("weak-proxy-isolated", false));
    // A gateway stand-in that answers 200 to everything: what "auth: none" would look like.
    const openServer = once(
        () =>
            new Promise<string>((resolve) => {
                const server = http.createServer((_req, res) => res.end("{}"));
                server.unref();
                server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
            }),
    );
    const weakIngress = once(async () => {
        const env = envOf();
        const image = (await inspect(env.live.ingressProxy ?? "")).Config.Image;
        return startExtra(env, ["--name", `${HARNESS}-weak-ingress`, "-p", `0.0.0.0:28790:${env.settings.gateway.port}`, "--entrypoint", "sleep", image, "infinity"]);
    });
    // One that logs whole request lines, query included.
    const loggingIngress = once(() =>
        ingressCopy(envOf(), "logging-ingress", (cfg) => cfg.replace(/^ {4}log-format .*$/m, "    option httplog"), ["-p", `127.0.0.1:${LOGGING_INGRESS_PORT}:${envOf().settings.gateway.port}`]),
    );
    // One that serves the gateway's network too: the door open from the inside.
    const openInsideIngress = once(() =>
        ingressCopy(envOf(), "open-inside-ingress", (cfg) => cfg.replace(/^ {4}(acl internal_side|tcp-request connection reject if internal_side).*\n/gm, ""), ["--network", NAMES.networks.internal]),
    );
    // A container from an image that keeps its setuid programs: the base image the gateway's is built on.
    const setuidContainer = once(async () => startExtra(envOf(), ["--name", `${HARNESS}-setuid`, "--network", "none", "--entrypoint", "sleep", envOf().images.node, "infinity"]));
    /** A drift on the host, and the command that undoes it (none when the check itself repairs it). */
    const hostMutation = (what: string, checks: Check[], mutate: (d: LiveDeployment) => string, restore?: (d: LiveDeployment) => string): NegativeControl => ({
        what,
        checks,
        weaken: async () => {
            await live().onHost(mutate(live()));
            return live();
        },
        restore: restore && (async () => void (await live().onHost(restore(live())))),
    });
    const L = live;

    return [
        {
            what: "the gateway runs as root with a writable root, default capabilities, no limits, an exec tmpfs, on a routed network",
            // Its image is the real one, stripped of setuid programs: the next control has an image that is not.
            checks: [...Object.values(containerChecks).filter((c) => c !== containerChecks.noSetuidFiles && c !== containerChecks.runtime && c !== containerChecks.seccomp), networkChecks.directConnection, networkChecks.outsideDns],
            weaken: async () => {
                const name = await weakGateway();
                const stub = L().fixtures?.stubAddress;
                return { ...L(), gateway: name, outsideAddress: stub };
            },
        },
        {
            // Whichever runtime the run deployed on, the settings now declare the other one for every container.
            what: "the settings declare the other runtime than the one each container runs under",
            checks: [containerChecks.runtime],
            weaken: async () => {
                const d = L();
                const runtime = runtimes(d.settings);
                for (const role of CONTAINER_ROLES) runtime[role] = runtime[role] === "gvisor" ? "runc" : "gvisor";
                return { ...d, settings: { ...d.settings, container: { ...d.settings.container, runtime } } };
            },
        },
        {
            // Each container's profiles flipped in the settings: clawcage's where it runs Docker's default, and back.
            what: "the settings declare Docker's default seccomp and AppArmor profiles where clawcage's run, and clawcage's where Docker's default runs",
            checks: [containerChecks.seccomp, containerChecks.appArmor],
            weaken: async () => {
                const d = L();
                const flip = <T>(choose: (role: ContainerRole) => T) => Object.fromEntries(CONTAINER_ROLES.map((role) => [role, choose(role)])) as Record<ContainerRole, T>;
                const seccomp = flip<SeccompChoice>((role) => (isolationOf(d.settings, role).seccomp === "recorded" ? "docker-default" : "recorded"));
                const apparmor = flip<AppArmorChoice>((role) => (isolationOf(d.settings, role).apparmor === "clawcage" ? "docker-default" : "clawcage"));
                return { ...d, settings: { ...d.settings, container: { ...d.settings.container, seccomp, apparmor } } };
            },
        },
        {
            what: "a container's image keeps its setuid programs (su, mount, passwd: the base image)",
            checks: [containerChecks.noSetuidFiles],
            weaken: async () => ({ ...L(), gateway: await setuidContainer() }),
        },
        {
            what: "the model keys sit in a file the gateway's uid can read (as a hand-written setup's env file would)",
            checks: [secretChecks.modelKeyOutOfReach],
            weaken: async () => {
                const name = await weakGateway();
                const keys = await L().onHost(`cat '${L().layout.egressModelKeys}'`);
                await exec(name, ["sh", "-c", `cat > ${GATEWAY_PATHS.home}/provider-keys.env`], { input: keys.stdout });
                return { ...L(), gateway: name };
            },
        },
        hostMutation("the account gets a login shell", [hostChecks.account], (d) => `usermod -s /bin/bash ${d.settings.host.user}`, (d) => `usermod -s /usr/sbin/nologin ${d.settings.host.user}`),
        hostMutation("the password is removed", [hostChecks.passwordLocked], (d) => `passwd -d ${d.settings.host.user}`, (d) => `usermod --lock ${d.settings.host.user}`),
        hostMutation("config becomes world-writable", [hostChecks.folderModes], (d) => `chmod 777 '${d.layout.root}/config'`, (d) => `chmod 700 '${d.layout.root}/config'`),
        hostMutation("the token file becomes world-readable", [hostChecks.fileModes], (d) => `chmod 644 '${d.layout.gatewayTokenFile}'`, (d) => `chmod 600 '${d.layout.gatewayTokenFile}'`),
        // The create script repairs drift, so a drifted host shows a changed state on its second run.
        hostMutation("the logs folder drifted to 777", [hostChecks.createIdempotent], (d) => `chmod 777 '${d.layout.root}/logs'`),
        {
            what: "openclaw.json carries a key OpenClaw does not have",
            checks: [toolChecks.configValid],
            weaken: async () => withConfig({ ...(await realConfig()), alerts: [{ pattern: "sudo" }] }, "600"),
        },
        {
            what: "the gateway token is written into openclaw.json",
            checks: [toolChecks.secretsResolved],
            weaken: async () => {
                const cfg = (await realConfig()) as unknown as { gateway: { auth: { token: unknown } } };
                cfg.gateway.auth.token = "f".repeat(64);
                return withConfig(cfg, "600");
            },
        },
        {
            what: "openclaw.json is world-readable and the gateway has no auth",
            checks: [toolChecks.securityAudit],
            weaken: async () => {
                const cfg = (await realConfig()) as unknown as { gateway: { auth: { mode: string } } };
                cfg.gateway.auth = { mode: "none" };
                return withConfig(cfg, "644");
            },
        },
        {
            what: "openclaw.json grants exec and writes to every session",
            checks: [toolChecks.declaredToolsOnly],
            weaken: looseToolsGateway,
        },
        {
            what: "exec approvals allow every command",
            checks: [toolChecks.execPolicy],
            weaken: async () => {
                const d = await withConfig(await realConfig(), "600");
                await exec(d.gateway, ["openclaw", "approvals", "set", "--stdin"], { input: '{ version: 1, defaults: { security: "full", ask: "off", askFallback: "full" } }' });
                return d;
            },
        },
        {
            what: "the proxy allows everything and logs nothing",
            checks: [networkChecks.blockedHost, networkChecks.ipLiteral, networkChecks.connectPort22, networkChecks.privateResolution, networkChecks.accessLog, networkChecks.strangerRefused],
            weaken: weakProxy,
        },
        {
            what: "a proxy that allows everything tries the metadata address",
            checks: [networkChecks.metadata],
            weaken: weakIsolatedProxy,
        },
        {
            // Its relay port listens on every interface, and it has no relay: any host through any tunnel.
            what: "a proxy that allows everything, with the relay port open to the network",
            checks: [networkChecks.relayOtherHost, networkChecks.relayNotForwarded, networkChecks.relayPortPrivate],
            weaken: weakProxy,
        },
        {
            what: "the proxy is gone",
            checks: [networkChecks.allowedHost, networkChecks.allowedConnect],
            weaken: async () => ({ ...L(), egressProxyHost: "no-such-proxy" }),
        },
        {
            what: "the gateway answers everyone (no auth, no rate limit)",
            checks: [accessChecks.noToken, accessChecks.wrongToken, accessChecks.queryToken, accessChecks.sessionKey, accessChecks.rateLimit],
            weaken: async () => ({ ...L(), endpoint: await openServer() }),
        },
        {
            what: "an ingress that logs whole request lines",
            checks: [accessChecks.queryToken],
            weaken: async () => {
                const name = await loggingIngress();
                return { ...L(), ingressProxy: name, endpoint: `https://127.0.0.1:${LOGGING_INGRESS_PORT}` };
            },
        },
        {
            what: "an ingress that serves the gateway's network too",
            checks: [accessChecks.insideRefused],
            weaken: async () => ({ ...L(), ingressProxy: await openInsideIngress() }),
        },
        {
            what: "nothing listens at the endpoint",
            checks: [accessChecks.healthz],
            weaken: async () => ({ ...L(), endpoint: "http://127.0.0.1:9" }),
        },
        {
            what: "the client holds a revoked token",
            checks: [accessChecks.validToken],
            weaken: async () => ({ ...L(), token: "f".repeat(64) }),
        },
        {
            what: "the door is published on every interface",
            checks: [accessChecks.publishedOnlyWhereDeclared],
            weaken: async () => {
                const name = await weakIngress();
                const s = L().settings;
                return { ...L(), ingressProxy: name, settings: { ...s, gateway: { ...s.gateway, publish: { address: "127.0.0.1", port: 28790 } } } };
            },
        },
        sharedNetworkControl(envOf),
    ];
}
