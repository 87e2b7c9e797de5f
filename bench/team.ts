import { docker, dockerOk } from "../cli/live/docker";
import { addressOn, inspect } from "../cli/live/probe";
import { STOP_GRACE_SECONDS } from "../components/container/hardenedContainer";
import { DEPLOYMENT_NAME, deploymentNames } from "../components/deployment/names";
import { gatewayPlans } from "../components/deployment/team";
import { deployForTest, HARNESS, tearDownEnvironment } from "../test/e2e/harness";
import { writeResults } from "./results";
import { createPlain, peakMemoryBytes, readyAt } from "./startup";

/**
 * Many gateways on one host: a team of 1, 4 and 8 members deployed on the engine — the whole `pulumi up`, replayed
 * from the recorded program over SSH to the stand-in host, until every member's gateway answers /healthz through the
 * ingress — and the memory its containers peaked at, against the same gateways started by hand: the same image,
 * mounts and environment with no cage (no proxies, sandbox hosts, watchers or hardening), started together until
 * each answers. The baseline starts containers that exist; the deployment also makes them, so the ratio is what a
 * clawcage deploy costs over `docker start`.
 */

type Log = (line: string) => void;

const SIZES = [1, 4, 8];

/** n members, each on a /27 of its own. */
const teamOf = (n: number) => ({ members: Object.fromEntries(Array.from({ length: n }, (_, i) => [`m${i + 1}`, { internalSubnet: `10.89.44.${i * 32}/27` }])) });

/** The sum of what each container's memory cgroup peaked at; undefined where the cgroup is not readable. */
async function peakSum(containers: string[]): Promise<number | undefined> {
    const peaks = await Promise.all(containers.map(async (c) => peakMemoryBytes((await inspect(c)).Id)));
    return peaks.some((p) => p === undefined) ? undefined : peaks.reduce((a: number, p) => a + (p ?? 0), 0);
}

export interface TeamRow {
    gateways: number;
    cage: { deployMs: number; containers: number; peakBytes?: number };
    plain: { startMs: number; peakBytes?: number };
}

async function measure(n: number, log: Log): Promise<TeamRow> {
    const started = Date.now();
    const env = await deployForTest(() => undefined, (settings) => (settings.team = teamOf(n)));
    const deployMs = Date.now() - started;
    try {
        const plans = gatewayPlans(DEPLOYMENT_NAME, env.settings);
        const shared = deploymentNames();
        const caged = [shared.egressProxy, shared.ingressProxy, ...plans.flatMap((p) => [p.names.gateway, p.names.sandboxHost, p.names.alertWatcher])];
        const cagePeak = await peakSum(caged);
        // One gateway at a time holds a state folder: the caged ones stop before their plain copies start.
        const hardened = await Promise.all(plans.map((p) => inspect(p.names.gateway)));
        await Promise.all(plans.map((p) => dockerOk(["stop", "--time", String(STOP_GRACE_SECONDS), p.names.gateway], { timeoutMs: (STOP_GRACE_SECONDS + 60) * 1000 })));
        const plain = plans.map((_, i) => `${HARNESS}-bench-plain-${i + 1}`);
        for (const [i, p] of plans.entries()) {
            await docker(["rm", "-f", plain[i]]);
            await createPlain(plain[i], hardened[i], [p.names.networks.internal, p.names.networks.sandbox]);
            env.extras.push(plain[i]);
        }
        const start = Date.now();
        await Promise.all(plain.map((c) => dockerOk(["start", c])));
        const port = env.settings.gateway.port;
        const ready = await Promise.all(plain.map(async (c, i) => readyAt(c, await addressOn(c, plans[i].names.networks.internal), port, start)));
        const row: TeamRow = { gateways: n, cage: { deployMs, containers: caged.length, peakBytes: cagePeak }, plain: { startMs: Math.max(...ready), peakBytes: await peakSum(plain) } };
        log(`  ${n} gateway${n === 1 ? "" : "s"}: deployed in ${deployMs} ms (${caged.length} containers), by hand ${row.plain.startMs} ms`);
        return row;
    } finally {
        await tearDownEnvironment(env, () => undefined);
    }
}

export async function benchTeam(log: Log): Promise<TeamRow[]> {
    const rows: TeamRow[] = [];
    for (const n of SIZES) rows.push(await measure(n, log));
    writeResults("team", { rows }, teamTable(rows));
    log(teamTable(rows));
    return rows;
}

const mib = (bytes: number | undefined) => (bytes === undefined ? "not readable" : `${Math.round(bytes / 2 ** 20)} MiB`);
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? "—" : `${(a / b).toFixed(1)}x`);

/** The results as the README shows them. */
export function teamTable(rows: TeamRow[]): string {
    return [
        "| gateways | clawcage: deploy to all healthy | by hand: start to all healthy | ratio | clawcage: containers, memory peak | by hand: memory peak | ratio |",
        "|---|---|---|---|---|---|---|",
        ...rows.map((r) => `| ${r.gateways} | ${(r.cage.deployMs / 1000).toFixed(0)} s | ${(r.plain.startMs / 1000).toFixed(0)} s | ${ratio(r.cage.deployMs, r.plain.startMs)} | ${r.cage.containers}, ${mib(r.cage.peakBytes)} | ${mib(r.plain.peakBytes)} | ${ratio(r.cage.peakBytes, r.plain.peakBytes)} |`),
        "",
    ].join("\n");
}
