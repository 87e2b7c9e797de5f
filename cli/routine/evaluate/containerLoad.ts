import { ITEMS, routineItem, worstStatus, type RoutineItem, type RoutineStatus } from "./item";

export interface LoadThresholds {
    /** Share of the container's memory limit. */
    memoryPercent: number;
    /** Share of the container's CPU limit (docker stats counts 100% per CPU). */
    cpuPercentOfLimit: number;
}

export const LOAD_THRESHOLDS: LoadThresholds = { memoryPercent: 80, cpuPercentOfLimit: 90 };

export interface ContainerStats {
    name: string;
    cpuPercent: number;
    memPercent: number;
    memUsage: string;
}

const percent = (value: unknown): number => (typeof value === "string" ? Number.parseFloat(value) : Number.NaN);

/** One line of `docker stats --no-stream --format '{{json .}}'`; undefined for anything else. */
export function parseStatsLine(line: string): ContainerStats | undefined {
    let parsed: unknown;
    try {
        parsed = JSON.parse(line);
    } catch {
        return undefined;
    }
    if (typeof parsed !== "object" || parsed === null || !("Name" in parsed) || typeof parsed.Name !== "string") return undefined;
    const fields = parsed as Record<string, unknown>;
    return { name: parsed.Name, cpuPercent: percent(fields.CPUPerc), memPercent: percent(fields.MemPerc), memUsage: String(fields.MemUsage ?? "") };
}

/**
 * cpuLimits: the deployment's containers and their CPU limits in CPUs; a container without a limit counts as
 * one CPU, the strict reading. A container missing from the stats is not running: fail.
 */
export function evaluateContainerLoad(statsText: string, cpuLimits: Record<string, number>, t: LoadThresholds = LOAD_THRESHOLDS): RoutineItem {
    const stats = new Map(statsText.split("\n").map(parseStatsLine).filter((s) => s !== undefined).map((s) => [s.name, s]));
    const judged = Object.entries(cpuLimits).map(([name, cpus]): [RoutineStatus, string] => {
        const s = stats.get(name);
        if (!s) return ["fail", `${name}: no stats (not running?)`];
        const limit = cpus > 0 ? cpus : 1;
        const ofLimit = s.cpuPercent / limit;
        if (Number.isNaN(ofLimit) || Number.isNaN(s.memPercent)) return ["warn", `${name}: no reading (${s.memUsage || "stopped?"})`];
        const text = `${name}: CPU ${ofLimit.toFixed(1)}% of ${limit} CPU, memory ${s.memPercent.toFixed(1)}% (${s.memUsage})`;
        return [ofLimit > t.cpuPercentOfLimit || s.memPercent > t.memoryPercent ? "warn" : "ok", text];
    });
    const advice = `A container near its limit is throttled (CPU) or killed (memory): find the cause in its log and the audit trail (a runaway agent loop?), then raise container.cpus / container.memoryMb only if the load is legitimate. A missing container: \`docker ps -a\` and \`clawcage verify\`.`;
    return routineItem(ITEMS.containerLoad, worstStatus(judged.map(([s]) => s)), judged.map(([, o]) => o).join("; "), advice);
}
