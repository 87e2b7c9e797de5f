import * as fs from "node:fs";
import { docker, dockerOk } from "../cli/live/docker";
import { addressOn, inspect, nodeProbe, type InspectedContainer } from "../cli/live/probe";
import { deploymentNames } from "../components/deployment/names";
import { GATEWAY_HOST } from "../components/host/layout";
import { STOP_GRACE_SECONDS } from "../components/container/hardenedContainer";
import { deployForTest, HARNESS, tearDownEnvironment } from "../test/e2e/harness";
import { median, writeResults } from "./results";

/**
 * What hardening costs the gateway's start: the e2e deployment's gateway (read-only root, no capabilities, seccomp,
 * AppArmor, no new privileges, its limits) against the same image, mounts, environment, user and networks started
 * with none of that, side by side, cold starts taken in turn. Ready is the first 200 of /healthz, asked every 50 ms
 * from the host at the container's address; the engine's cgroup gives the peak memory of each start.
 */

type Log = (line: string) => void;

const NAMES = deploymentNames();
const PLAIN = `${HARNESS}-bench-plain-gateway`;
const STARTS = 5;

/**
 * The peak the engine's memory cgroup recorded for the container since it started: cgroup v2's memory.peak or v1's
 * max_usage_in_bytes, wherever the engine's cgroup driver put it. Undefined where neither is readable.
 */
export function peakMemoryBytes(id: string, root = "/sys/fs/cgroup"): number | undefined {
    const candidates = [
        `${root}/system.slice/docker-${id}.scope/memory.peak`,
        `${root}/docker/${id}/memory.peak`,
        `${root}/memory/system.slice/docker-${id}.scope/memory.max_usage_in_bytes`,
        `${root}/memory/docker/${id}/memory.max_usage_in_bytes`,
    ];
    const found = candidates.find((f) => fs.existsSync(f));
    return found === undefined ? undefined : Number(fs.readFileSync(found, "utf8").trim());
}

/** Polls a gateway's /healthz at its address until the first 200, at most 240 s after `start`. */
export async function readyAt(container: string, address: string, port: number, start: number): Promise<number> {
    while (Date.now() - start < 240_000) {
        const ok = await fetch(`http://${address}:${port}/healthz`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
        if (ok) return Date.now() - start;
        await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${container} did not answer /healthz within 240 s of its start`);
}

/** Starts a stopped gateway container and waits for its first 200 of /healthz; the time from start to it, and the peak memory. */
async function coldStart(container: string, port: number): Promise<{ readyMs: number; peakBytes?: number }> {
    const start = Date.now();
    await dockerOk(["start", container]);
    const after = await inspect(container);
    const readyMs = await readyAt(container, await addressOn(container, NAMES.networks.internal), port, start);
    return { readyMs, peakBytes: peakMemoryBytes(after.Id) };
}

/**
 * The same image, mounts, environment, user, host name and networks as a hardened gateway, and none of its
 * hardening: `name`'s container, on `networks` (its internal one first, where the alias points).
 */
export async function createPlain(name: string, hardened: InspectedContainer, networks: [string, ...string[]]): Promise<void> {
    const mounts = (hardened.Mounts ?? []).filter((m) => m.Type === "bind").flatMap((m) => ["--mount", `type=bind,src=${m.Source},dst=${m.Destination}${m.RW ? "" : ",readonly"}`]);
    const tmpfs = Object.keys(hardened.HostConfig.Tmpfs ?? {}).flatMap((p) => ["--tmpfs", p]);
    const env = (hardened.Config.Env ?? []).flatMap((e) => ["-e", e]);
    const entrypoint = hardened.Config.Entrypoint ?? [];
    const [internal, ...others] = networks;
    await dockerOk([
        "create", "--name", name, "--hostname", GATEWAY_HOST, "--user", hardened.Config.User,
        "--network", internal, "--network-alias", GATEWAY_HOST,
        ...mounts, ...tmpfs, ...env,
        ...(entrypoint.length > 0 ? ["--entrypoint", entrypoint[0]] : []),
        hardened.Config.Image, ...entrypoint.slice(1), ...(hardened.Config.Cmd ?? []),
    ]);
    for (const n of others) await dockerOk(["network", "connect", n, name]);
}

export interface StartupResult {
    hardened: { readyMs: number[]; peakBytes: number[] };
    plain: { readyMs: number[]; peakBytes: number[] };
    memoryLimitBytes: number;
    heapLimitBytes: number;
}

export async function benchStartup(log: Log): Promise<StartupResult> {
    const env = await deployForTest(() => undefined);
    try {
        const port = env.settings.gateway.port;
        const hardened = await inspect(NAMES.gateway);
        // Node sizes its heap from the container's memory limit (it reads the cgroup): what it chose, at this limit.
        const heapLimitBytes = Number(await nodeProbe(NAMES.gateway, "console.log(require('v8').getHeapStatistics().heap_size_limit)"));
        await createPlain(PLAIN, hardened, [NAMES.networks.internal, NAMES.networks.sandbox]);
        env.extras.push(PLAIN);
        const result: StartupResult = { hardened: { readyMs: [], peakBytes: [] }, plain: { readyMs: [], peakBytes: [] }, memoryLimitBytes: hardened.HostConfig.Memory, heapLimitBytes };
        const stop = (c: string) => dockerOk(["stop", "--time", String(STOP_GRACE_SECONDS), c], { timeoutMs: (STOP_GRACE_SECONDS + 60) * 1000 });
        await stop(NAMES.gateway);
        // In turn, so that a slower minute of the machine falls on both; one gateway at a time holds the state folder.
        for (let i = 0; i < STARTS; i++) {
            for (const [which, container] of [["hardened", NAMES.gateway], ["plain", PLAIN]] as const) {
                const run = await coldStart(container, port);
                await stop(container);
                result[which].readyMs.push(run.readyMs);
                if (run.peakBytes !== undefined) result[which].peakBytes.push(run.peakBytes);
                log(`  ${which.padEnd(8)} ready in ${run.readyMs} ms, peak memory ${run.peakBytes === undefined ? "unknown" : mib(run.peakBytes)}`);
            }
        }
        await dockerOk(["start", NAMES.gateway]);
        writeResults("startup", result, startupTable(result));
        log(startupTable(result));
        return result;
    } finally {
        await docker(["rm", "-f", PLAIN]);
        await tearDownEnvironment(env, () => undefined);
    }
}

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

/** The results as the README shows them. */
export function startupTable(r: StartupResult): string {
    const ready = (xs: number[]) => `${median(xs)} ms (${Math.min(...xs)}–${Math.max(...xs)})`;
    const peak = (xs: number[], limited: boolean) =>
        xs.length === 0 ? "not readable" : `${mib(Math.max(...xs))}${limited ? ` (${Math.round((100 * Math.max(...xs)) / r.memoryLimitBytes)}% of the limit)` : ""}`;
    return [
        `| gateway, ${r.hardened.readyMs.length} cold starts each | start to ready, median (range) | peak memory, highest |`,
        "|---|---|---|",
        `| unhardened: same image, mounts, env, user | ${ready(r.plain.readyMs)} | ${peak(r.plain.peakBytes, false)} |`,
        `| hardened (clawcage) | ${ready(r.hardened.readyMs)} | ${peak(r.hardened.peakBytes, true)} |`,
        `| ratio hardened / unhardened | ${(median(r.hardened.readyMs) / median(r.plain.readyMs)).toFixed(2)}x | |`,
        "",
        `Memory limit ${mib(r.memoryLimitBytes)}; the heap limit Node chose from it: ${mib(r.heapLimitBytes)}.`,
        "",
    ].join("\n");
}
