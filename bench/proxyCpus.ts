import { dockerOk } from "../cli/live/docker";
import type { LoadResult } from "./egress";

/**
 * What settings.container.proxyCpus buys: the same load through the proxy at each of these CPU limits, set on the
 * live container with `docker update --cpus` (the cgroup quota the setting becomes), side by side in one run. Half a
 * CPU was the fixed limit before the setting.
 */
export const PROXY_CPU_STEPS = [0.5, 1, 2] as const;

export interface CpuStep {
    cpus: number;
    proxied: LoadResult;
}

/** Runs `load` at each step, then gives the container back the limit it was deployed with. */
export async function acrossProxyCpus(container: string, deployed: number, load: () => Promise<LoadResult>): Promise<CpuStep[]> {
    const steps: CpuStep[] = [];
    try {
        for (const cpus of PROXY_CPU_STEPS) {
            await dockerOk(["update", "--cpus", String(cpus), container]);
            steps.push({ cpus, proxied: await load() });
        }
    } finally {
        await dockerOk(["update", "--cpus", String(deployed), container]);
    }
    return steps;
}

/** One row per load: requests/s through the proxy, as a share of direct, at each CPU limit. */
export function cpuStepsTable(rows: readonly { load: string; direct: LoadResult; steps: readonly CpuStep[] }[]): string {
    return [
        `| load | ${PROXY_CPU_STEPS.map((c) => `proxy at ${c} CPU`).join(" | ")} |`,
        `|---|${PROXY_CPU_STEPS.map(() => "---|").join("")}`,
        ...rows.map((r) => `| ${r.load} | ${r.steps.map((s) => `${Math.round((100 * s.proxied.requestsPerSecond) / r.direct.requestsPerSecond)}% (${Math.round(s.proxied.requestsPerSecond)}/s)`).join(" | ")} |`),
        "",
    ].join("\n");
}
