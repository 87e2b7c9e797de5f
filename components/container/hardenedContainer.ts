import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import type * as command from "@pulumi/command";
import { hostCommand, type HostTarget } from "../host/hostCommand";
import { asRoot } from "../host/hostScript";
import type { SshClient } from "../host/sshClient";
import type { ContainerRuntime, ServiceRole } from "../settings/constants";
import { seccompSecurityOpts } from "./seccomp/profile";
import { appArmorSecurityOpts, renderAppArmorLoadScript, renderAppArmorProfile, renderAppArmorUnloadScript } from "./apparmor";
import { DOCKER_RUNTIME, pidsLimitFor, type Isolation } from "./runtime";

export interface ContainerMountSpec {
    hostPath: string;
    containerPath: string;
    readOnly: boolean;
}

export interface ContainerLimits {
    cpus: number;
    memoryMb: number;
    /** Soft floor under memory pressure. */
    memoryReservationMb: number;
    /** Relative CPU weight under contention, in CPUs (1 = 1024 shares). */
    cpuReservation: number;
    /** Processes and threads of the container, all users together (the pids cgroup limit): stops fork bombs. */
    maxProcesses: number;
}

export interface PublishedPort {
    containerPort: number;
    hostPort: number;
    /** Host address; never defaults to 0.0.0.0. */
    address: string;
}

/** Its isolation from the host's kernel (runtime.ts): the runtime, and the seccomp and AppArmor profiles. */
export interface HardenedContainerArgs extends Isolation {
    /** The host of the container's engine, where its pids limit is set (see pidsLimitScript). */
    host: { target: HostTarget; ssh?: SshClient };
    image: pulumi.Input<string>;
    /** "uid:gid" of the unprivileged account. */
    user: string;
    command?: string[];
    /** The process's working folder (the image sets none). */
    workingDir?: string;
    envs?: pulumi.Input<pulumi.Input<string>[]>;
    networks: { name: pulumi.Input<string>; aliases?: string[]; ipv4Address?: string }[];
    mounts: ContainerMountSpec[];
    /** Writable scratch paths with their tmpfs options (size, mode). */
    tmpfs: Record<string, string>;
    limits: ContainerLimits;
    /** Which of the deployment's containers it is: its `clawcage.role` label, and the image its seccomp profile was recorded for. */
    role: ServiceRole;
    /** Capabilities to add back after dropping ALL, e.g. NET_BIND_SERVICE for a port below 1024. */
    capAdd?: string[];
    ports?: PublishedPort[];
    /** A fixed host name, where a program records it (OpenClaw's state lease is reclaimed only from the same host). */
    hostname?: string;
    /** Lines added to the container's /etc/hosts (names only this container resolves). */
    hosts?: { host: string; ip: string }[];
    healthcheck?: { command: string[]; intervalSeconds: number };
    labels?: Record<string, pulumi.Input<string>>;
    /** Kernel settings of the container's own network namespace (Docker's --sysctl; net.* alone are namespaced). */
    sysctls?: Record<string, string>;
}

/**
 * The host step that gives a container its pids cgroup limit (Docker's --pids-limit; the CIS Docker Benchmark's PIDs cgroup limit),
 * which @pulumi/docker cannot declare: the engine's own `docker update`, right after the container is created.
 * Known at preview (the policy pack reads it); the container's id triggers it again for a replaced container.
 * Under gVisor the engine can change a stopped container's limit only (measured: Debian's runsc has no `update`
 * command, and `docker update` on a running runsc container fails), so the fresh container is stopped, given its limit
 * and started again.
 */
export function pidsLimitScript(containerName: string, maxPids: number, runtime: ContainerRuntime): string {
    const update = `docker update --pids-limit ${maxPids} ${containerName} >/dev/null\n`;
    if (runtime === "runc") return update;
    return `set -e\ndocker stop --time ${STOP_GRACE_SECONDS} ${containerName} >/dev/null\n${update}docker start ${containerName} >/dev/null\n`;
}

/** How long a container has to stop before it is killed, when it is replaced or destroyed. */
export const STOP_GRACE_SECONDS = 30;

/**
 * The guide's container sandbox (layer 1) as one reusable resource: non-root, no-new-privileges,
 * every capability dropped, read-only root, writable only where a tmpfs or mount says so, CPU,
 * memory and pids limits, restart policy, health check and rotated logs.
 */
export class HardenedContainer extends pulumi.ComponentResource {
    public readonly container: docker.Container;
    public readonly containerName: pulumi.Output<string>;
    public readonly pidsLimit: command.local.Command | command.remote.Command;

    constructor(name: string, args: HardenedContainerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("clawcage:index:HardenedContainer", name, { user: args.user }, opts);
        if (/^(0|root)(:|$)/.test(args.user)) {
            throw new Error(`HardenedContainer ${name}: user '${args.user}' is root; run as the deployment's unprivileged uid`);
        }
        if (args.networks.length === 0) {
            throw new Error(`HardenedContainer ${name}: give at least one network (Docker's default bridge routes to the internet)`);
        }
        const l = args.limits;
        // Loaded on the host before the container starts: Docker refuses to start a container whose named profile
        // a kernel with AppArmor does not know. Removed after the container (it depends on the step).
        const appArmor =
            args.apparmor === "clawcage"
                ? [hostCommand(`${name}-apparmor`, args.host.target, args.host.ssh, { create: asRoot(renderAppArmorLoadScript(name)), delete: asRoot(renderAppArmorUnloadScript(name)), stdin: renderAppArmorProfile({ container: name, capAdd: args.capAdd ?? [] }) }, { parent: this })]
                : [];
        this.container = new docker.Container(
            `${name}-container`,
            {
                name,
                image: args.image,
                user: args.user,
                command: args.command,
                workingDir: args.workingDir,
                envs: args.envs,
                readOnly: true,
                runtime: DOCKER_RUNTIME[args.runtime],
                privileged: false,
                securityOpts: ["no-new-privileges:true", ...seccompSecurityOpts(args.seccomp, args.role), ...appArmorSecurityOpts(args.apparmor, name)],
                capabilities: { drops: ["ALL"], adds: args.capAdd ?? [] },
                tmpfs: args.tmpfs,
                volumes: args.mounts.map((m) => ({ hostPath: m.hostPath, containerPath: m.containerPath, readOnly: m.readOnly })),
                cpus: l.cpus.toFixed(1),
                cpuShares: Math.round(l.cpuReservation * 1024),
                memory: l.memoryMb,
                memoryReservation: l.memoryReservationMb,
                // Equal to memory: no swap, so the limit is a real limit.
                memorySwap: l.memoryMb,
                // No nproc ulimit: the kernel counts it per uid across the whole host, so it limits every container of
                // the deployment's uid together (measured: a proxy could not exec its health check). The pids limit
                // below is the container's own.
                // The first network, never Docker's default bridge: that one has a route to the internet.
                networkMode: args.networks[0].name,
                networksAdvanced: args.networks.map((n) => ({ name: n.name, aliases: n.aliases, ipv4Address: n.ipv4Address })),
                hostname: args.hostname,
                hosts: args.hosts,
                sysctls: args.sysctls,
                ports: (args.ports ?? []).map((p) => ({ internal: p.containerPort, external: p.hostPort, ip: p.address, protocol: "tcp" })),
                healthcheck: args.healthcheck && {
                    tests: ["CMD", ...args.healthcheck.command],
                    interval: `${args.healthcheck.intervalSeconds}s`,
                    timeout: "5s",
                    retries: 3,
                    startPeriod: "60s",
                },
                restart: "unless-stopped",
                // Replaced or destroyed, a container is first asked to stop. Measured: the gateway killed outright
                // while it held OpenClaw's plugin-lifecycle lease (a lease with no owner to check) kept its
                // successor waiting 5 minutes for the lease to expire.
                destroyGraceSeconds: STOP_GRACE_SECONDS,
                logDriver: "json-file",
                logOpts: { "max-size": "10m", "max-file": "5" },
                labels: Object.entries({ "clawcage.component": name, "clawcage.role": args.role, ...args.labels }).map(([label, value]) => ({ label, value })),
                mustRun: true,
            },
            { parent: this, dependsOn: appArmor },
        );
        this.containerName = this.container.name;
        this.pidsLimit = hostCommand(
            `${name}-pids-limit`,
            args.host.target,
            args.host.ssh,
            { create: pidsLimitScript(name, pidsLimitFor(args.runtime, l.maxProcesses), args.runtime), triggers: [this.container.id] },
            { parent: this, dependsOn: [this.container] },
        );
        this.registerOutputs({ containerName: this.containerName });
    }
}
