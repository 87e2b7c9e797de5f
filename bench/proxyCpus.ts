import { dockerOk } from "../cli/live/docker";
import type { LoadResult } from "./egress";

/**
 * What settings.container.proxyCpus buys: the same load through the proxy at each of these CPU limits, set on the
 * live container with `docker update --cpus` (the cgroup quota the setting becomes), side by side in one run. The
 * steps take turns, round after round, so that a drift over the run (a warming cache, ports in TIME_WAIT) falls on
 * every step alike. Half a CPU was the fixed limit before the setting.
 */
export const PROXY_CPU_STEPS = [0.5, 1, 2] as const;
const ROUNDS = 3;

export interface CpuStep {
    cpus: number;
    /** The round with the median requests/s, and every round's requests/s. */
    proxied: LoadResult;
    rounds: number[];
}

/** Runs `load` at each step, ROUNDS times in turn, then gives the container back the limit it was deployed with. */
export async function acrossProxyCpus(container: string, deployed: number, load: () => Promise<LoadResult>): Promise<CpuStep[]> {
    const runs = new Map<number, LoadResult[]>(PROXY_CPU_STEPS.map((c) => [c, []]));
    try {
        for (let round = 0; round < ROUNDS; round++) {
            for (const cpus of PROXY_CPU_STEPS) {
                await dockerOk(["update", "--cpus", String(cpus), container]);
                runs.get(cpus)?.push(await load());
            }
        }
    } finally {
        await dockerOk(["update", "--cpus", String(deployed), container]);
    }
    return PROXY_CPU_STEPS.map((cpus) => {
        const sorted = [...(runs.get(cpus) ?? [])].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
        return { cpus, proxied: sorted[Math.floor(sorted.length / 2)], rounds: (runs.get(cpus) ?? []).map((r) => Math.round(r.requestsPerSecond)) };
    });
}

/** One row per load: requests/s through the proxy at each CPU limit, the median round's as a share of direct. */
export function cpuStepsTable(rows: readonly { load: string; direct: LoadResult; steps: readonly CpuStep[] }[]): string {
    return [
        `| load | ${PROXY_CPU_STEPS.map((c) => `proxy at ${c} CPU`).join(" | ")} |`,
        `|---|${PROXY_CPU_STEPS.map(() => "---|").join("")}`,
        ...rows.map((r) => `| ${r.load} | ${r.steps.map((s) => `${Math.round((100 * s.proxied.requestsPerSecond) / r.direct.requestsPerSecond)}% (${s.rounds.join(", ")}/s)`).join(" | ")} |`),
        "",
    ].join("\n");
}
