import { strict as assert } from "node:assert";
import { byName, ofType, reveal, runStack, stackConfig, type ProgramRun } from "../../cli/record/program";
import { DEPLOYMENT_NAME, deploymentNames, ingressAddress } from "../../components/deployment/names";
import { gatewayPlans, type GatewayPlan } from "../../components/deployment/team";
import { renderHaproxyCfg } from "../../components/ingress/haproxyCfg";
import { parseClientTokenMap, renderTeamTokenMap, tokenDigest, withoutTokens } from "../../components/ingress/accessMaps";
import { parseSettings } from "../../components/settings/parse";
import type { DeploymentSettings } from "../../components/settings/schema";
import { scriptAsRoot } from "../support/deploymentPromises";
import { chosenGateway } from "../../cli/live/deployment";
import { lookupLocalhost } from "../../cli/live/endpoint";

/**
 * A team (settings.team): what its settings refuse, and what the recorded program of the `team` stack promises
 * for each member's gateway, beside the policy pack's gateways-share-no-network. The runtime proof is
 * test/e2e/team.test.ts.
 */

const TEAM = { members: { alice: { internalSubnet: "10.89.42.0/27" }, bob: { internalSubnet: "10.89.42.32/27" } } };

interface Container {
    name: string;
    networksAdvanced: { name: string; aliases?: string[]; ipv4Address?: string }[];
    volumes: { hostPath: string; containerPath: string }[];
}

const containers = (run: ProgramRun) => ofType(run, "docker:index/container:Container").map((r) => reveal(r.inputs) as Container);
const container = (run: ProgramRun, name: string): Container => {
    const c = containers(run).find((x) => x.name === name);
    if (!c) throw new Error(`no container ${name}`);
    return c;
};
const written = (run: ProgramRun, name: string) => String((reveal(byName(run, name).inputs) as { stdin?: string }).stdin ?? "");

/** Containers other than the proxies that join the networks of two gateways, or gateways that share one. */
function crossings(run: ProgramRun, plans: GatewayPlan[]): string[] {
    const owner = new Map(plans.flatMap((p) => [[p.names.networks.internal, p.member], [p.names.networks.sandbox, p.member]] as const));
    const proxies = [deploymentNames().egressProxy, deploymentNames().ingressProxy];
    return containers(run)
        .filter((c) => !proxies.includes(c.name))
        .filter((c) => new Set(c.networksAdvanced.map((n) => owner.get(n.name)).filter(Boolean)).size > 1)
        .map((c) => c.name);
}

describe("team: one gateway per member behind one egress and one ingress proxy", () => {
    describe("settings", () => {
        const team = (members: object, extra: object = {}) => parseSettings({ team: { members }, ...extra });

        it("accepts members with subnets of their own", () => {
            assert.deepEqual(Object.keys(team(TEAM.members).team.members), ["alice", "bob"]);
        });

        it("refuses what would join two members or cannot be theirs alone, naming the field", () => {
            assert.throws(() => team({ alice: { internalSubnet: "10.1.0.0/24" }, bob: { internalSubnet: "10.1.0.128/25" } }), /team\.members\.bob\.internalSubnet: '10\.1\.0\.128\/25' overlaps member 'alice'/);
            assert.throws(() => team({ alice: { internalSubnet: "10.1.0.0/30" } }), /team\.members\.alice\.internalSubnet: '10\.1\.0\.0\/30': use a prefix between \/8 and \/29/);
            assert.throws(() => team({ alice: { internalSubnet: "198.18.0.0/24" } }, { network: { egressSubnet: "198.18.0.0/16" } }), /overlaps network\.egressSubnet/);
            assert.throws(() => team(TEAM.members, { gateway: { tokens: { admin: { source: "secret-config" } } } }), /gateway\.tokens\.admin\.source: a team's members each get their own value/);
            assert.throws(() => team(TEAM.members, { channels: { telegram: { allowFrom: ["1"] } } }), /channels\.telegram\.enabled: one telegram bot cannot be polled by every member's gateway/);
            const rw = { container: { mounts: [{ hostPath: "/srv/p", containerPath: "/opt/openclaw/workspace/out/p", readOnly: false }] }, filesystem: { writablePaths: ["/opt/openclaw/workspace/out"] } };
            assert.throws(() => team(TEAM.members, rw), /container\.mounts\[0\]\.readOnly: '\/srv\/p' mounted writable into every member's gateway/);
            assert.throws(() => team({ Alice: { internalSubnet: "10.1.0.0/24" } }), /team\.members/);
            // Negative control: the same settings without a team are accepted.
            parseSettings({ gateway: { tokens: { admin: { source: "secret-config" } } } });
            parseSettings(rw);
        });
    });

    describe("the team stack under mocks", () => {
        let run: ProgramRun;
        let settings: DeploymentSettings;
        let plans: GatewayPlan[];
        before(async () => {
            settings = parseSettings(stackConfig("team")["clawcage:settings"]);
            plans = gatewayPlans(DEPLOYMENT_NAME, settings);
            run = await runStack("team");
        });

        it("each member's gateway and sandbox host join only that member's own bridges", () => {
            assert.deepEqual(plans.map((p) => p.member), ["alice", "bob"]);
            for (const p of plans) {
                assert.deepEqual(container(run, p.names.gateway).networksAdvanced.map((n) => n.name).sort(), [p.names.networks.internal, p.names.networks.sandbox].sort());
                assert.deepEqual(container(run, p.names.sandboxHost).networksAdvanced.map((n) => n.name), [p.names.networks.sandbox]);
            }
            assert.deepEqual(crossings(run, plans), []);
            // Negative control: alice's gateway on bob's network is caught.
            const copy = structuredClone(run);
            const alice = byName(copy, `${plans[0].names.gateway}-container`);
            const inputs = reveal(alice.inputs) as Container;
            alice.inputs = { ...inputs, networksAdvanced: [...inputs.networksAdvanced, { name: plans[1].names.networks.internal }] } as unknown as Record<string, unknown>;
            assert.deepEqual(crossings(copy, plans), [plans[0].names.gateway]);
        });

        it("the egress proxy serves every member's network; the ingress proxy stands on each at the address that member's gateway trusts", () => {
            const egress = container(run, deploymentNames().egressProxy);
            for (const p of plans) assert.ok(egress.networksAdvanced.some((n) => n.name === p.names.networks.internal), `egress not on ${p.names.networks.internal}`);
            assert.match(written(run, `${deploymentNames().egressProxy}-conf`), /acl gateway_clients src 10\.89\.42\.0\/27 10\.89\.42\.32\/27 127\.0\.0\.1\/32/);
            const ingress = container(run, deploymentNames().ingressProxy);
            for (const p of plans) {
                const address = ingressAddress(p.settings.network.internalSubnet);
                assert.equal(ingress.networksAdvanced.find((n) => n.name === p.names.networks.internal)?.ipv4Address, address);
                const config = JSON.parse(written(run, `${p.names.gateway}-config`)) as { gateway: { trustedProxies: string[] } };
                assert.deepEqual(config.gateway.trustedProxies, [address]);
            }
        });

        it("the ingress routes each member's name to that member's gateway, and looks tokens up under that member alone", () => {
            const cfg = written(run, `${deploymentNames().ingressProxy}-conf`);
            for (const p of plans) {
                assert.match(cfg, new RegExp(`set-var\\(txn\\.member\\) str\\(${p.member}\\) if \\{ req\\.hdr\\(host\\),field\\(1,:\\),lower -m str ${p.member}\\.localhost \\}`));
                assert.match(cfg, new RegExp(`backend openclaw-${p.member}\\n    server gateway ${p.names.gateway}:18789 `));
            }
            assert.match(cfg, /set-var\(txn\.token_name\) var\(txn\.member\),concat\(\/,txn\.digest\),map\(/);
            const tokens = run.outputs.tokens as Record<string, string>;
            assert.deepEqual(Object.keys(tokens).sort(), ["alice/admin", "bob/admin"]);
            assert.ok(run.secretOutputs.includes("tokens"));
            const map = written(run, `${deploymentNames().ingressProxy}-client-tokens`);
            for (const p of plans) {
                const own = tokens[`${p.member}/admin`];
                assert.deepEqual(map.split("\n").filter((l) => l.includes(tokenDigest(own))), [`${p.member}/${tokenDigest(own)} admin`]);
            }
        });

        it("each member's folders and files lie below members/<member>; removing the account deletes their configuration", () => {
            const script = scriptAsRoot(String((reveal(byName(run, "openclaw-host-account").inputs) as { create: string }).create));
            const removal = scriptAsRoot(String((reveal(byName(run, "openclaw-host-account").inputs) as { delete: string }).delete));
            for (const p of plans) {
                assert.equal(p.settings.host.root, `${settings.host.root}/members/${p.member}`);
                assert.ok(script.includes(`'${p.settings.host.root}/config/gateway'`), `no config folder of ${p.member}`);
                assert.ok(removal.includes(`'${p.settings.host.root}/config'`), `the removal keeps ${p.member}'s configuration`);
                const mounts = container(run, p.names.gateway).volumes.map((v) => v.hostPath);
                assert.ok(mounts.every((m) => m.startsWith(`${p.settings.host.root}/`)), `${p.member} mounts ${mounts.join(", ")}`);
            }
            // No gateway folder in the deployment root itself: the members' are their own.
            assert.ok(!script.includes(`'${settings.host.root}/workspace'`));
        });
    });

    it("the CLI works on the member named, and says which members there are when none or another is named", () => {
        const teamSettings = parseSettings({ team: TEAM });
        assert.equal(chosenGateway(teamSettings, "bob").names.gateway, "openclaw-bob-gateway");
        assert.throws(() => chosenGateway(teamSettings, undefined), /this stack is a team \(alice, bob\): name the member whose gateway to work on with --member <name>/);
        assert.throws(() => chosenGateway(teamSettings, "carol"), /--member carol: no such member in this stack's team \(alice, bob\)/);
        assert.throws(() => chosenGateway(parseSettings({}), "alice"), /--member alice: this stack has one gateway/);
        assert.equal(chosenGateway(parseSettings({}), undefined).names.gateway, "openclaw-gateway");
    });

    it("every *.localhost name is loopback for the endpoint's clients (RFC 6761); other names go to the resolver", async () => {
        const lookup = (host: string) => new Promise<string>((resolve) => lookupLocalhost(host, {}, (e, address) => resolve(e ? e.code ?? "error" : String(address))));
        assert.equal(await lookup("alice.localhost"), "127.0.0.1");
        assert.notEqual(await lookup("alice.localhost.invalid"), "127.0.0.1");
    });

    it("revoking a member's token changes that member's lines of the shared map alone", () => {
        const map = renderTeamTokenMap({ alice: { admin: "admin.a", ops: "ops.a" }, bob: { admin: "admin.b" } });
        assert.deepEqual([...parseClientTokenMap(map, "alice").values()], ["admin", "ops"]);
        assert.deepEqual([...parseClientTokenMap(map, "bob").values()], ["admin"]);
        const revoked = withoutTokens(map, "alice", "admin");
        assert.deepEqual([...parseClientTokenMap(revoked, "alice").values()], ["ops"]);
        assert.deepEqual([...parseClientTokenMap(revoked, "bob").values()], ["admin"]);
        assert.deepEqual([...parseClientTokenMap(withoutTokens(map, "alice"), "bob").values()], ["admin"]);
        // Negative control: a one-gateway reading of a team's map admits no one, and names no member's token.
        assert.deepEqual([...parseClientTokenMap(map).values()], []);
    });

    it("haproxy.cfg for a team: an unknown name goes nowhere, and the lockout key holds the member", () => {
        const cfg = renderHaproxyCfg({
            listenPort: 18789,
            routes: [
                { upstreamHost: "openclaw-alice-gateway", internalSubnet: "10.89.42.0/27", member: { name: "alice", hostName: "alice.localhost" } },
                { upstreamHost: "openclaw-bob-gateway", internalSubnet: "10.89.42.32/27", member: { name: "bob", hostName: "bob.localhost" } },
            ],
            upstreamPort: 18789,
            ipAllowlist: [],
            rateLimit: { maxAttempts: 5, windowSeconds: 60, lockoutSeconds: 300 },
            clientTokenMap: "/etc/clawcage/tokens.map",
            scopes: { admin: ["operator.admin"] },
        });
        assert.match(cfg, /http-request deny deny_status 404 unless \{ var\(txn\.member\) -m found \}/);
        assert.match(cfg, /acl internal_side src 10\.89\.42\.0\/27 10\.89\.42\.32\/27/);
        assert.match(cfg, /set-var\(txn\.client\) src,concat\(\/,txn\.member\),concat\(\/,txn\.claimed\)/);
        assert.ok(!cfg.includes("default_backend"), "a team has no default gateway");
    });
});
