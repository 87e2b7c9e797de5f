import { isDeepStrictEqual } from "node:util";
import { exec } from "../live/docker";
import { connectFrom, hostPidsMax, inspect, nodeProbe, noNewPrivsFlag, procStatus } from "../live/probe";
import { checkGroup, deploymentContainers, deploymentRoles, type LiveDeployment } from "./check";
import { GATEWAY_PATHS } from "../../components/host/layout";
import { nodeHeapMb } from "../../components/container/nodeHeap";
import { DOCKER_RUNTIME, isolationOf, pidsLimitFor, runtimeOf } from "../../components/container/runtime";
import { seccompSecurityOpts, SECCOMP_PROBE } from "../../components/container/seccomp/profile";
import { APPARMOR_ENABLED, appArmorProfileName, appArmorSecurityOpts } from "../../components/container/apparmor";
import { SERVICE_ROLES, type ContainerRole, type ServiceRole } from "../../components/settings/constants";

/** Mount points a Docker container always has writable; they hold no user data (noted in the README). */
const DOCKER_PSEUDO_MOUNTS = ["/dev", "/dev/shm", "/dev/mqueue", "/proc", "/sys"];

/** Mount options every tmpfs of the deployment (and Docker's /dev/shm) carries: nothing there runs, is setuid or is a device. */
const SCRATCH_FLAGS = ["nosuid", "nodev", "noexec"];

/**
 * What gVisor's kernel keeps of them: its tmpfs is its own memory, and it shows and enforces noexec only. Measured: a
 * device node made as root on a nodev tmpfs opened. Its devices are its own emulations and no container holds
 * CAP_MKNOD or may gain a privilege (no-new-privileges), so nosuid and nodev have nothing left to stop there.
 */
const GVISOR_SCRATCH_FLAGS = ["noexec"];

/** gVisor's kernel log opens with this line (`dmesg` inside); the host kernel's never does. */
const GVISOR_BANNER = "Starting gVisor";

/** A container's mounts by mount point: their options, from its own /proc/self/mounts. */
async function mountOptions(container: string): Promise<Map<string, string[]>> {
    const r = await exec(container, ["cat", "/proc/self/mounts"]);
    return new Map(r.stdout.split("\n").map((l) => l.split(" ")).filter((f) => f.length > 3).map((f) => [f[1], f[3].split(",")]));
}

/** The no_new_privs flag as the container's kernel reports it to the process (prctl): gVisor's /proc does not show it. */
async function noNewPrivs(container: string): Promise<string> {
    return noNewPrivsFlag(await exec(container, ["setpriv", "-d"]));
}

/** A container's seccomp profile as the engine holds it: the JSON, parsed, or none (Docker's default). */
function engineProfile(securityOpts: string[] | null): unknown {
    const value = (securityOpts ?? []).map((o) => /^seccomp[=:](.*)$/s.exec(o)?.[1]).find((v) => v !== undefined);
    return value === undefined ? "none" : value.startsWith("{") ? JSON.parse(value) : value;
}

/** One observation per container, passing only when every container passes. */
async function perContainer(d: LiveDeployment, observe: (container: string, role: ContainerRole) => Promise<{ observed: string; pass: boolean }>) {
    const seen = await Promise.all(deploymentRoles(d).map(async ({ container, role }) => ({ container, ...(await observe(container, role)) })));
    return { observed: seen.map((s) => `${s.container}: ${s.observed}`).join("; "), pass: seen.every((s) => s.pass) };
}

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
            // A container that cannot exec its health check (e.g. at its process limit) shows here first.
            const containers = deploymentContainers(d);
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
        name: "no-new-privileges set in every container",
        expected: "no_new_privs=1",
        run: (d) =>
            perContainer(d, async (c) => {
                const nnp = await noNewPrivs(c);
                return { observed: `no_new_privs=${nnp}`, pass: nnp === "1" };
            }),
    },
    runtime: {
        layer: "L1",
        name: "every container runs under its declared runtime (gVisor's own kernel where declared)",
        expected: "engine and kernel agree with the settings",
        run: (d) =>
            perContainer(d, async (c, role) => {
                const declared = runtimeOf(d.settings, role);
                const engine = (await inspect(c)).HostConfig.Runtime ?? "?";
                // As the container's user: gVisor lets it read its kernel's log; the host's is usually closed to it.
                const log = await exec(c, ["dmesg"]);
                const kernel = log.stdout.includes(GVISOR_BANNER) ? "gvisor" : "host";
                const pass = engine === DOCKER_RUNTIME[declared] && kernel === (declared === "gvisor" ? "gvisor" : "host");
                return { observed: `${declared}: engine ${engine}, kernel ${kernel}`, pass };
            }),
    },
    seccomp: {
        layer: "L1",
        name: `every container runs under its declared seccomp profile; the recorded one refuses ${SECCOMP_PROBE.call}, which Docker's default allows`,
        expected: "engine and kernel agree with the settings",
        run: (d) =>
            perContainer(d, async (c, role) => {
                const info = await inspect(c);
                const service = info.Config.Labels?.["clawcage.role"] ?? "";
                if (!(SERVICE_ROLES as readonly string[]).includes(service)) return { observed: `no clawcage.role label (${service || "none"})`, pass: false };
                const { seccomp } = isolationOf(d.settings, role);
                const declared = engineProfile(seccompSecurityOpts(seccomp, service as ServiceRole));
                const engine = isDeepStrictEqual(engineProfile(info.HostConfig.SecurityOpt), declared) ? "as declared" : "differs";
                // gVisor's own kernel answers the probe's call its own way; no OCI profile stands there to prove.
                if (seccomp === "none") return { observed: `gVisor: engine ${engine}`, pass: engine === "as declared" };
                const probe = await exec(c, [...SECCOMP_PROBE.command]);
                const refused = probe.code !== 0 && /Operation not permitted/.test(probe.stderr);
                const kernel = refused ? "refused" : probe.code === 0 ? "allowed" : `exit ${probe.code}: ${probe.stderr.trim().slice(0, 40)}`;
                return { observed: `${seccomp}: engine ${engine}, ${SECCOMP_PROBE.call} ${kernel}`, pass: engine === "as declared" && kernel === (seccomp === "recorded" ? "refused" : "allowed") };
            }),
    },
    appArmor: {
        layer: "L1",
        name: "every container runs under its declared AppArmor profile, where the host's kernel has AppArmor",
        expected: "engine as declared; the kernel enforces it (skipped where it has no AppArmor)",
        run: async (d) => {
            const kernelHasAppArmor = (await d.onHost(`cat ${APPARMOR_ENABLED} 2>/dev/null || true`)).stdout.trim() === "Y";
            const seen = await perContainer(d, async (c, role) => {
                const { apparmor } = isolationOf(d.settings, role);
                const options = ((await inspect(c)).HostConfig.SecurityOpt ?? []).filter((o) => /^apparmor[=:]/.test(o));
                const engine = isDeepStrictEqual(options, appArmorSecurityOpts(apparmor, c)) ? "as declared" : `differs (${options.join(" ") || "none"})`;
                if (!kernelHasAppArmor || apparmor === "none") return { observed: `${apparmor}: engine ${engine}`, pass: engine === "as declared" };
                // The confinement of a process in the container, as its kernel reports it.
                const label = (await exec(c, ["cat", "/proc/self/attr/current"])).stdout.trim();
                const enforced = `${apparmor === "clawcage" ? appArmorProfileName(c) : "docker-default"} (enforce)`;
                return { observed: `${apparmor}: engine ${engine}, kernel ${label}`, pass: engine === "as declared" && label === enforced };
            });
            return kernelHasAppArmor ? seen : { ...seen, observed: `the host's kernel has no AppArmor; ${seen.observed}`, skipped: true };
        },
    },
    pidsLimit: {
        layer: "L1",
        name: "every container has a pids cgroup limit (a fork bomb stops there)",
        expected: "PidsLimit = pids.max > 0",
        run: (d) =>
            perContainer(d, async (c) => {
                const declared = (await inspect(c)).HostConfig.PidsLimit ?? 0;
                const kernel = await hostPidsMax(c);
                return { observed: `${declared}/${kernel}`, pass: declared > 0 && kernel === String(declared) };
            }),
    },
    noSetuidFiles: {
        layer: "L1",
        name: "no setuid or setgid file in any container",
        expected: "none",
        run: (d) =>
            perContainer(d, async (c) => {
                // As the container's own user: what it cannot reach, it cannot run either.
                const r = await exec(c, ["find", "/", "-xdev", "-perm", "/6000", "-type", "f"]);
                // find exits 1 for the folders it may not read; anything else means it did not search.
                if (r.code !== 0 && !(r.code === 1 && /Permission denied/.test(r.stderr))) return { observed: `find failed (${r.code}): ${r.stderr.trim().slice(0, 60)}`, pass: false };
                const found = r.stdout.split("\n").filter(Boolean);
                return { observed: found.length === 0 ? "none" : found.slice(0, 3).join(" "), pass: found.length === 0 };
            }),
    },
    scratchMountFlags: {
        layer: "L1",
        name: `every tmpfs and /dev/shm is ${SCRATCH_FLAGS.join(",")}`,
        expected: SCRATCH_FLAGS.join(","),
        run: (d) =>
            perContainer(d, async (c, role) => {
                const mounts = await mountOptions(c);
                const gvisor = runtimeOf(d.settings, role) === "gvisor";
                const flags = gvisor ? GVISOR_SCRATCH_FLAGS : SCRATCH_FLAGS;
                const scratch = [...Object.keys((await inspect(c)).HostConfig.Tmpfs ?? {}), "/dev/shm"];
                const lacking = scratch.map((p) => ({ p, missing: flags.filter((f) => !(mounts.get(p) ?? []).includes(f)) })).filter((m) => m.missing.length > 0);
                const ok = `${scratch.length} ok${gvisor ? ` (gVisor: ${flags.join(",")})` : ""}`;
                return { observed: lacking.length === 0 ? ok : lacking.map((m) => `${m.p} lacks ${m.missing.join(",")}`).join(" "), pass: lacking.length === 0 };
            }),
    },
    limits: {
        layer: "L1",
        name: "memory, CPU and pids limits in force",
        expected: "",
        run: async (d) => {
            const c = d.settings.container;
            const h = (await inspect(d.gateway)).HostConfig;
            const mem = c.memoryMb * 1024 * 1024;
            const pids = await hostPidsMax(d.gateway);
            const observed = `memory=${h.Memory / 1048576}MiB swap=${h.MemorySwap / 1048576}MiB cpus=${h.NanoCpus / 1e9} pids=${pids}`;
            const maxPids = pidsLimitFor(runtimeOf(d.settings, "gateway"), c.maxProcesses);
            return { observed, pass: h.Memory === mem && h.MemorySwap === mem && h.NanoCpus === c.cpus * 1e9 && pids === String(maxPids) };
        },
    },
    nodeHeap: {
        layer: "L1",
        name: "Node's heap sized from the gateway's memory limit",
        expected: "",
        run: async (d) => {
            // A Node started in the gateway's container has its environment, as the gateway's own Node has.
            const probe = await nodeProbe(d.gateway, "console.log(JSON.stringify([process.env.NODE_OPTIONS??'',require('v8').getHeapStatistics().heap_size_limit]))");
            const [options, heapBytes] = JSON.parse(probe) as [string, number];
            const heapMb = Math.round(heapBytes / 1048576);
            const wanted = nodeHeapMb(d.settings.container);
            return {
                observed: `NODE_OPTIONS="${options}" heap limit ${heapMb} MiB of ${d.settings.container.memoryMb} MiB`,
                pass: options.split(/\s+/).includes(`--max-old-space-size=${wanted}`) && heapMb >= wanted && heapMb < d.settings.container.memoryMb,
            };
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
