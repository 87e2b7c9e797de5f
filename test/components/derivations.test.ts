import { strict as assert } from "node:assert";
import * as path from "node:path";
import { byName, ofType, reveal, runStackConfig, stackConfig, dockerStackNames, type ProgramRun } from "../../cli/record/program";
import { DEPLOYMENT_NAME, deploymentNames, effectiveEgressAllowlist, endpointUrl, ingressAddress, settingsEndpoint } from "../../components/deployment/names";
import { gatewayPlans, isTeam, type GatewayPlan } from "../../components/deployment/team";
import { nodeHeapMb } from "../../components/container/nodeHeap";
import { hostLayout, PROXY_PATHS, type HostLayout } from "../../components/host/layout";
import { parseSettings } from "../../components/settings/parse";
import type { DeploymentSettings } from "../../components/settings/schema";

/**
 * The facts that the deployment, the CLI and the tests all need are derived once (components/deployment/names.ts,
 * components/host/layout.ts). These tests read what the recorded program really created and hold it to those
 * derivations, so a component that names or places something on its own is caught.
 */

interface ContainerInputs {
    name: string;
    command?: string[];
    envs?: string[];
    /** The hard memory limit in MiB. */
    memory?: number;
    volumes?: { hostPath: string; containerPath: string }[];
}

const containers = (run: ProgramRun) => ofType(run, "docker:index/container:Container").map((r) => reveal(r.inputs) as ContainerInputs);
const container = (run: ProgramRun, name: string): ContainerInputs => {
    const c = containers(run).find((x) => x.name === name);
    if (!c) throw new Error(`no container ${name}; recorded: ${containers(run).map((x) => x.name).join(", ")}`);
    return c;
};

/** The host folder mounted where `containerFile` lives, joined with the file's name: where the host must write it. */
function hostFileOf(c: ContainerInputs, containerFile: string): string | undefined {
    const mount = (c.volumes ?? []).find((v) => v.containerPath === path.posix.dirname(containerFile));
    return mount && path.posix.join(mount.hostPath, path.posix.basename(containerFile));
}

const env = (c: ContainerInputs, key: string) => (c.envs ?? []).find((e) => e.startsWith(`${key}=`))?.slice(key.length + 1) ?? "";
const configFlag = (c: ContainerInputs) => c.command?.[(c.command?.indexOf("-f") ?? -2) + 1] ?? "";
/** The host paths of every file the program writes (its host-file commands' targets). */
const writtenFiles = (run: ProgramRun) => run.resources.map((r) => String((reveal(r.inputs) as { create?: string }).create ?? "")).join("\n");

/** What each proxy and a gateway read, as the containers are told, must be the file the host step writes. */
function filesAgree(run: ProgramRun, s: DeploymentSettings, layout: HostLayout, gateway = deploymentNames().gateway): string[] {
    const names = deploymentNames();
    const read: [string, string | undefined, string][] = [
        ["egress squid.conf", hostFileOf(container(run, names.egressProxy), configFlag(container(run, names.egressProxy))), layout.egressConfigFile],
        ["gateway openclaw.json", hostFileOf(container(run, gateway), env(container(run, gateway), "OPENCLAW_CONFIG_PATH")), layout.gatewayConfigFile],
        ["gateway exec approvals", hostFileOf(container(run, gateway), env(container(run, gateway), "CLAWCAGE_EXEC_APPROVALS")), layout.gatewayApprovalsFile],
    ];
    if (s.gateway.publish) read.push(["ingress haproxy.cfg", hostFileOf(container(run, names.ingressProxy), configFlag(container(run, names.ingressProxy))), layout.ingressConfigFile]);
    const written = writtenFiles(run);
    return read.filter(([, readsFrom, expected]) => readsFrom !== expected || !written.includes(expected)).map(([what, readsFrom, expected]) => `${what}: reads ${readsFrom}, layout ${expected}`);
}

/** The containers whose NODE_OPTIONS do not size the heap from their own memory limit. */
const heapMismatches = (node: ContainerInputs[]): string[] =>
    node.filter((c) => env(c, "NODE_OPTIONS") !== `--max-old-space-size=${nodeHeapMb({ memoryMb: c.memory ?? 0 })}`).map((c) => c.name);

describe("one derivation for each fact, used by what the program creates", () => {
    for (const stack of dockerStackNames()) {
        describe(`stack ${stack}`, () => {
            let run: ProgramRun;
            let settings: DeploymentSettings;
            /** The stack's gateways: its one, or a team's members' (gatewayPlans, what the CLI finds them by). */
            let plans: GatewayPlan[];
            before(async () => {
                const config = stackConfig(stack);
                settings = parseSettings(config["clawcage:settings"]);
                plans = gatewayPlans(DEPLOYMENT_NAME, settings);
                run = await runStackConfig(config);
            });

            it("containers and networks carry the names deploymentNames() and gatewayPlans() give (what the CLI looks for)", () => {
                const names = deploymentNames();
                const published = settings.gateway.publish !== undefined;
                const expected = [names.egressProxy, ...(published ? [names.ingressProxy] : []), ...plans.flatMap((p) => [p.names.gateway, p.names.sandboxHost])];
                assert.deepEqual(containers(run).map((c) => c.name).sort(), expected.sort());
                const networks = ofType(run, "docker:index/network:Network").map((r) => String(r.inputs.name));
                const expectedNetworks = [names.networks.egress, ...(published ? [names.networks.ingress] : []), ...plans.flatMap((p) => [p.names.networks.internal, p.names.networks.sandbox])];
                assert.deepEqual(networks.sort(), expectedNetworks.sort());
            });

            it("the endpoint outputs are the plans' endpoints: settingsEndpoint() for one gateway, `<member>.<domain>` for a team's", () => {
                const team = run.outputs.team as Record<string, { endpoint: string }>;
                assert.equal(run.outputs.endpoint, isTeam(settings) ? "" : settingsEndpoint(settings));
                assert.deepEqual(Object.fromEntries(Object.entries(team).map(([m, g]) => [m, g.endpoint])), Object.fromEntries(plans.flatMap((p) => (p.member ? [[p.member, p.endpoint]] : []))));
            });

            it("every config file a container reads is the one the layout places and the host step writes", () => {
                for (const p of plans) assert.deepEqual(filesAgree(run, settings, hostLayout(p.settings, settings.host.root), p.names.gateway), []);
            });

            it("each Node container's heap is nodeHeapMb() of its own memory limit (the gateway's, the watcher's)", () => {
                const node = containers(run).filter((c) => plans.some((p) => c.name === p.names.gateway || c.name === p.names.alertWatcher));
                assert.ok(node.length >= 1);
                assert.deepEqual(heapMismatches(node), []);
                // Negative control: a container whose limit changed without its heap is caught.
                assert.deepEqual(heapMismatches([{ ...node[0], memory: (node[0].memory ?? 0) * 2 }]), [node[0].name]);
            });

            it("negative control: a proxy told to read another file is caught", () => {
                const copy = structuredClone(run);
                const egress = byName(copy, `${deploymentNames().egressProxy}-container`);
                egress.inputs = { ...(reveal(egress.inputs) as object), command: ["squid", "-N", "-f", `${PROXY_PATHS.config}/other.conf`] };
                assert.match(filesAgree(copy, settings, hostLayout(plans[0].settings, settings.host.root), plans[0].names.gateway).join(), /egress squid\.conf: reads .*other\.conf/);
            });
        });
    }

    it("squid.conf allows exactly the effective egress allowlist, web_fetch's domains included only when it is on", async () => {
        const settings = { tools: { webFetch: { enabled: true, domains: ["docs.python.org"] } }, rollout: { stage: "git" } };
        const on = parseSettings(settings);
        assert.deepEqual(effectiveEgressAllowlist(on), [".anthropic.com", ".github.com", ".npmjs.com", "docs.python.org"]);
        const config = { ...stackConfig("dev"), "clawcage:settings": settings };
        const run = await runStackConfig(config);
        const squid = (reveal(byName(run, `${deploymentNames().egressProxy}-conf`).inputs) as { stdin: string }).stdin;
        for (const d of effectiveEgressAllowlist(on)) assert.match(squid, new RegExp(`dstdomain .*${d.replace(/\./g, "\\.")}`));
        // Negative control: with web_fetch off its domain is not let through.
        const off = parseSettings({ tools: { webFetch: { enabled: false, domains: ["docs.python.org"] } } });
        assert.ok(!effectiveEgressAllowlist(off).includes("docs.python.org"));
    });

    it("endpointUrl() brackets IPv6 addresses, and is https unless TLS is off", () => {
        assert.equal(endpointUrl({ address: "127.0.0.1", port: 18789 }, true), "https://127.0.0.1:18789");
        assert.equal(endpointUrl({ address: "::1", port: 18789 }, false), "http://[::1]:18789");
    });

    it("a project mounted inside the read-only workspace gets its mount point made on the host (Docker cannot make it there)", () => {
        const mounted = parseSettings({ container: { mounts: [{ hostPath: "/srv/project", containerPath: "/opt/openclaw/workspace/project" }] } });
        const folders = (s: DeploymentSettings) => hostLayout(s).folders.map((f) => f.path);
        const mountPoint = path.posix.join(mounted.host.root, "workspace", "project");
        assert.ok(folders(mounted).includes(mountPoint), folders(mounted).join(", "));
        // Negative control: without the mount there is no such folder.
        assert.ok(!folders(parseSettings({})).includes(mountPoint));
    });

    it("ingressAddress() pins the subnet's last host address, and refuses a subnet too small for the deployment", () => {
        assert.equal(ingressAddress("10.89.41.0/24"), "10.89.41.254");
        assert.equal(ingressAddress("172.20.0.0/16"), "172.20.255.254");
        assert.equal(ingressAddress("192.168.7.8/29"), "192.168.7.14");
        assert.throws(() => ingressAddress("192.168.7.8/30"), /network\.internalSubnet 192\.168\.7\.8\/30: use a prefix between/);
    });
});
