import { exec } from "../live/docker";
import { connectFrom, inspect, procStatus } from "../live/probe";
import { checkGroup } from "./check";
import { GATEWAY_PATHS } from "../../components/host/layout";

/** Mount points a Docker container always has writable; they hold no user data (noted in the README). */
const DOCKER_PSEUDO_MOUNTS = ["/dev", "/dev/shm", "/dev/mqueue", "/proc", "/sys"];

/** Health of each container; a health check still in its start period is waited for, up to a limit. */
async function healthOf(containers: string[]): Promise<string[]> {
    let states: string[] = [];
    for (let i = 0; i < 45; i++) {
        states = await Promise.all(containers.map(async (c) => (await inspect(c)).State.Health?.Status ?? "no health check"));
        if (!states.includes("starting")) break;
        await new Promise((r) => setTimeout(r, 2000));
    }
    return states;
}

/** Guide layer 1, verified on the running gateway container. */
export const containerChecks = checkGroup({
    healthy: {
        layer: "L1",
        name: "every container of the deployment reports healthy",
        expected: "healthy",
        run: async (d) => {
            // A proxy that cannot exec its health check (e.g. the per-uid process limit) shows here first.
            const containers = [d.gateway, d.egressProxy, ...(d.ingressProxy ? [d.ingressProxy] : []), ...(d.alertWatcher ? [d.alertWatcher] : [])];
            const states = await healthOf(containers);
            return { observed: containers.map((c, i) => `${c}: ${states[i]}`).join(", "), pass: states.every((s) => s === "healthy") };
        },
    },
    whoami: {
        layer: "L1",
        name: "whoami prints clawuser",
        expected: "clawuser",
        run: async (d) => {
            const r = await exec(d.gateway, ["whoami"]);
            const observed = (r.stdout.trim() || r.stderr.trim());
            return { observed, pass: observed === d.settings.host.user };
        },
    },
    readOnlyRoot: {
        layer: "L1",
        name: "touch /test.txt fails: read-only root",
        expected: "Read-only file system",
        run: async (d) => {
            const r = await exec(d.gateway, ["touch", "/test.txt"]);
            const observed = `exit ${r.code}: ${r.stderr.trim()}`;
            return { observed, pass: r.code !== 0 && /Read-only file system/.test(r.stderr) };
        },
    },
    noWayOut: {
        layer: "L1",
        name: "ping 8.8.8.8 fails: no way out but the proxy",
        expected: "no connection",
        run: async (d) => {
            const observed = await connectFrom(d.gateway, d.outsideAddress ?? "8.8.8.8", 53);
            // Docker drops an internal network's traffic (a timeout) or has no route (unreachable).
            return { observed, pass: observed !== "CONNECTED" };
        },
    },
    noCapabilities: {
        layer: "L1",
        name: "no capabilities: effective and bounding sets empty",
        expected: "CapEff=0 CapBnd=0",
        run: async (d) => {
            const eff = await procStatus(d.gateway, "CapEff");
            const bnd = await procStatus(d.gateway, "CapBnd");
            return { observed: `CapEff=${eff} CapBnd=${bnd}`, pass: /^0+$/.test(eff) && /^0+$/.test(bnd) };
        },
    },
    noNewPrivileges: {
        layer: "L1",
        name: "no-new-privileges set",
        expected: "NoNewPrivs=1",
        run: async (d) => {
            const nnp = await procStatus(d.gateway, "NoNewPrivs");
            return { observed: `NoNewPrivs=${nnp}`, pass: nnp === "1" };
        },
    },
    limits: {
        layer: "L1",
        name: "memory and CPU limits in force",
        expected: "",
        run: async (d) => {
            const c = d.settings.container;
            const h = (await inspect(d.gateway)).HostConfig;
            const mem = c.memoryMb * 1024 * 1024;
            const limits = (await exec(d.gateway, ["cat", "/proc/1/limits"])).stdout;
            const nproc = /^Max processes\s+(\S+)/m.exec(limits)?.[1] ?? "?";
            const observed = `memory=${h.Memory / 1048576}MiB swap=${h.MemorySwap / 1048576}MiB cpus=${h.NanoCpus / 1e9} nproc=${nproc}`;
            return { observed, pass: h.Memory === mem && h.MemorySwap === mem && h.NanoCpus === c.cpus * 1e9 && nproc === String(c.maxProcesses) };
        },
    },
    writableOnlyDeclared: {
        layer: "L1",
        name: "nothing writable outside tmpfs and the declared mounts",
        expected: "",
        run: async (d) => {
            const r = await exec(d.gateway, ["cat", "/proc/self/mounts"]);
            const writable = r.stdout
                .split("\n")
                .map((l) => l.split(" "))
                .filter((f) => f.length > 3 && f[3].split(",").includes("rw"))
                .map((f) => f[1])
                .filter((p) => !DOCKER_PSEUDO_MOUNTS.some((x) => p === x || p.startsWith(`${x}/`)));
            const allowed = new Set(["/tmp", GATEWAY_PATHS.temp, GATEWAY_PATHS.state, GATEWAY_PATHS.logs, ...d.layout.writable.map((w) => w.containerPath)]);
            const extra = writable.filter((p) => !allowed.has(p));
            return { observed: `writable: ${writable.sort().join(" ")}`, pass: extra.length === 0 && !writable.includes("/") };
        },
    },
});
