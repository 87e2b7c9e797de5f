import { checkGroup, type LiveDeployment } from "./check";
import { connectFrom, inspect } from "../live/probe";
import { connectVia, DENIED, viaProxy } from "./network";
import { DEPLOYMENT_NAME } from "../../components/deployment/names";
import { gatewayPlans, isTeam } from "../../components/deployment/team";
import { SANDBOX_SSH_PORT } from "../../components/sandbox/sshdConfig";

/**
 * A team's gateways never reach one another (issue: many gateways per stack): from inside this member's gateway,
 * the way its prompt-injected agent would try, every other member's gateway and sandbox host is out of reach —
 * straight to its address, by its container name, and through the shared egress proxy, which is the one
 * container on both members' networks.
 */

/** How each way to another member's container went: `<way>=<outcome>`, one per way tried. */
async function triesAt(d: LiveDeployment, other: { container: string; network: string; port: number }): Promise<string[]> {
    const address = (await inspect(other.container)).NetworkSettings.Networks[other.network]?.IPAddress;
    if (!address) throw new Error(`${other.container} has no address on ${other.network}`);
    return [
        `direct ${address}=${await connectFrom(d.gateway, address, other.port)}`,
        `name ${other.container}=${await connectFrom(d.gateway, other.container, other.port)}`,
        `proxy http=${await viaProxy(d, `http://${address}:${other.port}/`)}`,
        `proxy connect=${await connectVia(d, `${address}:${other.port}`)}`,
        `proxy by name=${await viaProxy(d, `http://${other.container}:${other.port}/`)}`,
    ];
}

/** An outcome that means no way through: no connection made, or our proxy's own refusal. */
const refused = (outcome: string): boolean => outcome !== "CONNECTED" && (!/^\d{3}\b/.test(outcome) || outcome === DENIED);

export const teamChecks = checkGroup({
    othersOutOfReach: {
        layer: "L5",
        name: "no other member's gateway or sandbox host is reachable from this gateway (directly, by name, through the proxy)",
        expected: "every way refused",
        run: async (d) => {
            if (!isTeam(d.settings)) return { observed: "one gateway, no team", pass: true };
            const others = gatewayPlans(DEPLOYMENT_NAME, d.settings).filter((p) => p.names.gateway !== d.gateway);
            const tries: string[] = [];
            for (const o of others) {
                tries.push(...(await triesAt(d, { container: o.names.gateway, network: o.names.networks.internal, port: d.settings.gateway.port })).map((t) => `${o.member} gateway ${t}`));
                tries.push(...(await triesAt(d, { container: o.names.sandboxHost, network: o.names.networks.sandbox, port: SANDBOX_SSH_PORT })).map((t) => `${o.member} sandbox ${t}`));
            }
            const through = tries.filter((t) => !refused(t.slice(t.lastIndexOf("=") + 1)));
            return { observed: through.length === 0 ? `every way refused (${tries.length} tries)` : `reached: ${through.join("; ")}`, pass: through.length === 0 };
        },
    },
});
