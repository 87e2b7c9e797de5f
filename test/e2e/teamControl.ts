import { docker, dockerOk } from "../../cli/live/docker";
import { teamChecks } from "../../cli/verify";
import { DEPLOYMENT_NAME } from "../../components/deployment/names";
import { gatewayPlans } from "../../components/deployment/team";
import { SANDBOX_SSH_PORT } from "../../components/sandbox/sshdConfig";
import { startExtra, type Environment } from "./harness";
import type { NegativeControl } from "./negative";

/** A member the one-gateway deployment is told it has, on a subnet clear of the e2e stack's. */
const INTRUDER = { name: "intruder", subnet: "10.89.45.0/27" };

/**
 * The negative control of the team isolation check on the runc suite's one gateway: the deployment is told it has
 * another member, whose gateway (a stand-in answering on the gateway's port) stands on a bridge this gateway was
 * joined to — two members sharing a network. From inside the gateway that one is then reached, and the check must fail.
 */
export function sharedNetworkControl(envOf: () => Environment): NegativeControl {
    /** What the weakening made, for the restore to take away. */
    const made: { networks: string[]; containers: string[]; joined?: { network: string; gateway: string } } = { networks: [], containers: [] };
    return {
        what: "another member's gateway stands on a network this gateway joins",
        checks: [teamChecks.othersOutOfReach],
        weaken: async () => {
            const env = envOf();
            const s = env.live.settings;
            const team = { ...s.team, members: { [INTRUDER.name]: { internalSubnet: INTRUDER.subnet } } };
            const [plan] = gatewayPlans(DEPLOYMENT_NAME, { ...s, team });
            const n = plan.names;
            // Labelled as the deployment's own bridges are, so a crashed run's leftovers are removed by the next.
            await dockerOk(["network", "create", "--internal", "--label", "clawcage.network=internal", "--subnet", INTRUDER.subnet, n.networks.internal]);
            await dockerOk(["network", "create", "--internal", "--label", "clawcage.network=sandbox", n.networks.sandbox]);
            made.networks.push(n.networks.internal, n.networks.sandbox);
            await dockerOk(["network", "connect", n.networks.internal, env.live.gateway]);
            made.joined = { network: n.networks.internal, gateway: env.live.gateway };
            const answering = (port: number) => `require("net").createServer((c) => c.end()).listen(${port})`;
            await startExtra(env, ["--name", n.gateway, "--network", n.networks.internal, env.images.node, "node", "-e", answering(s.gateway.port)]);
            await startExtra(env, ["--name", n.sandboxHost, "--network", n.networks.sandbox, env.images.node, "node", "-e", answering(SANDBOX_SSH_PORT)]);
            made.containers.push(n.gateway, n.sandboxHost);
            return { ...env.live, settings: { ...s, team } };
        },
        restore: async () => {
            for (const c of made.containers.splice(0)) await docker(["rm", "-f", c]);
            if (made.joined) await docker(["network", "disconnect", "--force", made.joined.network, made.joined.gateway]);
            made.joined = undefined;
            for (const n of made.networks.splice(0)) await docker(["network", "rm", n]);
        },
    };
}
