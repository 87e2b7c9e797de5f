import { docker, dockerOk } from "../../cli/live/docker";
import { endpointRequest } from "../../cli/live/endpoint";
import type { LiveDeployment } from "../../cli/verify/check";
import { STOP_GRACE_SECONDS } from "../../components/container/hardenedContainer";
import type { Environment, Log } from "./harness";

/** The gateway's health as a client meets it (/healthz through the ingress), and a restart that waits for it. */

/**
 * Restarts the gateway the way the engine replaces it, with the same grace to stop (STOP_GRACE_SECONDS), and waits
 * until it answers. A shorter grace can kill it while it holds OpenClaw's plugin-lifecycle lease, and its successor
 * then waits 5 minutes for the lease to expire (seen once in CI with 10 s: 503 for 240 s).
 */
export async function restartGateway(env: Environment, log: Log): Promise<void> {
    await dockerOk(["restart", "--time", String(STOP_GRACE_SECONDS), env.live.gateway], { timeoutMs: (STOP_GRACE_SECONDS + 60) * 1000 });
    await waitForHealthy(env.live, log);
}

/** Waits until the gateway answers /healthz with 200; one that does not is reported with its engine state and last lines. */
export async function waitForHealthy(live: LiveDeployment, log: Log, seconds = 240): Promise<void> {
    const started = Date.now();
    let last = "";
    while (Date.now() - started < seconds * 1000) {
        try {
            const res = await endpointRequest(live, "/healthz", { timeoutMs: 5000 });
            if (res.status === 200) {
                log(`gateway healthy after ${Math.round((Date.now() - started) / 1000)} s`);
                return;
            }
            last = String(res.status);
        } catch (e) {
            last = (e as Error).message;
        }
        await new Promise((r) => setTimeout(r, 2000));
    }
    throw new Error(`the gateway did not become healthy at ${live.endpoint} within ${seconds} s (last: ${last})${await gatewayState(live)}`);
}

/** What the engine knows of a gateway that did not come up: its state and its last lines, for the failure's message. */
async function gatewayState(live: LiveDeployment): Promise<string> {
    const state = await docker(["inspect", "-f", "{{json .State}} restarts={{.RestartCount}}", live.gateway]);
    const logs = await docker(["logs", "--tail", "40", live.gateway]);
    return `\n  engine: ${state.stdout.trim() || state.stderr.trim()}\n  last lines:\n${(logs.stdout + logs.stderr).trim()}`;
}
