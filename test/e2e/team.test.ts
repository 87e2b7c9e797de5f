import { strict as assert } from "node:assert";
import { docker, dockerOk } from "../../cli/live/docker";
import { endpointRequest } from "../../cli/live/endpoint";
import { ALL_CHECKS, containerChecks, formatTable, runChecks, teamChecks, toolChecks, type CheckResult, type LiveDeployment } from "../../cli/verify";
import { DEPLOYMENT_NAME } from "../../components/deployment/names";
import { gatewayPlans } from "../../components/deployment/team";
import { tokenDigest } from "../../components/ingress/accessMaps";
import { chat, rowRecorder } from "./assistant";
import { revokeLive } from "../../cli/operate/tokens";
import { deployForTest, modelsStatus, reopenDoor, tearDownEnvironment, waitForStatus, type Environment } from "./harness";

/**
 * The runtime proof of a team (settings.team): two members' gateways behind the one egress proxy and the one
 * ingress proxy. Every check of the runtime proof holds for each member's gateway; each member's assistant
 * answers at its own host name with its own tokens and reads its own workspace; and nothing of one member's
 * reaches the other's gateway: not its tokens, not its agent's connections, not its files. Once per CI run.
 */
const TEAM = { members: { alice: { internalSubnet: "10.89.43.0/27" }, bob: { internalSubnet: "10.89.43.32/27" } } };

const log = (line: string) => console.log(`    · ${line}`);
/** Every check but those that leave this address locked out or re-run host steps: the runc suite runs them on the one gateway. */
const MEMBER_CHECKS = ALL_CHECKS.filter((c) => !c.locksCallerOut && !c.mutatesHost);
/**
 * The second member's share: what the shared proxies decide per member (its egress, its door, its tokens), its own
 * host folders and keys, and its isolation. Its containers and its OpenClaw config come from the same code as the
 * first member's, whose checks cover them.
 */
const SECOND_MEMBER_CHECKS = MEMBER_CHECKS.filter((c) => ![...Object.values(containerChecks), ...Object.values(toolChecks)].includes(c));
const CHECKS_OF = { alice: MEMBER_CHECKS, bob: SECOND_MEMBER_CHECKS };

describe("runtime proof of a team: two gateways behind one egress and one ingress proxy", function () {
    this.timeout(30 * 60 * 1000);
    let env: Environment | undefined;
    const results: CheckResult[] = [];
    const row = rowRecorder(results);
    const deployed = () => {
        assert.ok(env, "the team is up");
        return env;
    };
    const member = (name: keyof typeof TEAM.members): LiveDeployment => {
        const live = deployed().members[name];
        assert.ok(live, `no member ${name}`);
        return live;
    };
    /** The environment as one member's clients meet it. */
    const as = (name: keyof typeof TEAM.members): Environment => ({ ...deployed(), live: member(name) });

    before(async () => {
        env = await deployForTest(log, (settings) => (settings.team = TEAM));
    });

    after(async () => {
        if (results.length > 0) console.log(`\n${formatTable(results)}\n`);
        if (env) await tearDownEnvironment(env, log);
    });

    for (const name of Object.keys(TEAM.members) as (keyof typeof TEAM.members)[]) {
        it(`the runtime proof's checks hold for ${name}'s gateway`, async () => {
            await reopenDoor(as(name));
            const checked = await runChecks(CHECKS_OF[name], member(name));
            results.push(...checked.map((r) => ({ ...r, name: `${name}: ${r.name}` })));
            assert.deepEqual(checked.filter((r) => !r.pass).map((r) => `${r.name}: ${r.observed}`), []);
        });
    }

    it("L4 each member's assistant answers at the member's own name, and reads the member's own workspace alone", async () => {
        const note = `alice's note ${Date.now()}`;
        await member("alice").onHost(`printf '%s' ${JSON.stringify(note)} > ${JSON.stringify(`${member("alice").layout.workspace}/team-note.txt`)}`);
        const read = 'CALL read {"path":"team-note.txt"}';
        const alice = await chat(as("alice"), read);
        row("L4", "team: alice's agent reads alice's workspace file", `200 tool read said: ${note}`, `${alice.status} ${alice.answer}`);
        const bob = await chat(as("bob"), read);
        row("L4", "team: bob's agent, asked for the same file, does not find it", "200 the note absent", `${bob.status} ${bob.answer.includes(note) ? "the note" : "the note absent"}`);
        assert.equal(bob.status, 200, bob.answer);
        assert.match(bob.answer, /^tool read said: /, "bob's agent ran the read tool");
    });

    it("L3 a member's token opens no other member's gateway (negative control: a map that lists it under both)", async () => {
        const env = deployed();
        const status = async (at: LiveDeployment, token: string) => (await endpointRequest(at, "/v1/models", { headers: { Authorization: `Bearer ${token}` } })).status;
        await reopenDoor(as("alice"));
        const own = [await status(member("alice"), member("alice").token), await status(member("bob"), member("bob").token)];
        const crossed = await status(member("bob"), member("alice").token);
        row("L3", "team: each member's token at its own name / alice's at bob's", "200,200 / 401", `${own.join(",")} / ${crossed}`);
        // A host name of no member (over alice's TLS connection, which the certificate names): the door opens to no gateway.
        const unknown = await endpointRequest(member("alice"), "/healthz", { headers: { Host: new URL(member("alice").endpoint).host.replace("alice.", "carol.") } });
        row("L3", "team: a host name of no member", "404", String(unknown.status));
        // Negative control: the map with alice's digest under bob too (a shared map) lets her token into bob's gateway.
        // The copy keeps the map's owner and mode (600, the service account's), or haproxy could not read it back.
        const map = env.live.layout.ingressClientTokenMap;
        const shared = `bob/${tokenDigest(member("alice").token)} admin`;
        await env.live.onHost(`cp -p ${map} ${map}.kept && echo ${JSON.stringify(shared)} >> ${map}`);
        try {
            await reopenDoor(as("alice"));
            row("L3", "team: negative control: alice's token at bob's with a shared map", "200", String(await status(member("bob"), member("alice").token)));
        } finally {
            await env.live.onHost(`mv ${map}.kept ${map}`);
            await reopenDoor(as("alice"));
        }
    });

    it("L3 revoking alice's token leaves bob's working (the control: alice's is refused)", async () => {
        const env = deployed();
        const map = env.live.layout.ingressClientTokenMap;
        await env.live.onHost(`cp -p ${map} ${map}.kept`);
        try {
            await revokeLive(member("alice"), "admin");
            // The restarted proxy takes a moment to listen again.
            const alice = await waitForStatus(as("alice"), member("alice").token, 401);
            row("L3", "team: after revoking alice's admin token: alice's / bob's", "401 / 200", `${alice} / ${await modelsStatus(as("bob"), member("bob").token)}`);
        } finally {
            await env.live.onHost(`mv ${map}.kept ${map}`);
            await reopenDoor(as("alice"));
        }
    });

    it("L5 negative control: with bob's network joined to alice's gateway, the isolation check fails", async () => {
        const bob = gatewayPlans(DEPLOYMENT_NAME, deployed().settings).find((p) => p.member === "bob");
        assert.ok(bob);
        const bobsNetwork = bob.names.networks.internal;
        await dockerOk(["network", "connect", bobsNetwork, member("alice").gateway]);
        try {
            const [r] = await runChecks([teamChecks.othersOutOfReach], member("alice"));
            row("L5", "team: negative control: alice's gateway on bob's network", "reached", r.pass ? `not reached: ${r.observed}` : "reached");
        } finally {
            await docker(["network", "disconnect", bobsNetwork, member("alice").gateway]);
        }
        const [again] = await runChecks([teamChecks.othersOutOfReach], member("alice"));
        row("L5", "team: alice's gateway off bob's network again", "every way refused", again.pass ? "every way refused" : again.observed);
    });
});
