import type { DeploymentSettings } from "../settings/schema";
import { CONTAINER_ROLES, forRole, type AppArmorChoice, type ContainerRole, type ContainerRuntime, type SeccompChoice } from "../settings/constants";
import { seccompOf } from "./seccomp/profile";
import { appArmorOf } from "./apparmor";

/** The name each runtime is registered under with dockerd: gVisor's runsc as `runsc` (README, "gVisor"). */
export const DOCKER_RUNTIME: Record<ContainerRuntime, string> = { runc: "runc", gvisor: "runsc" };

/**
 * Threads of gVisor's own kernel (the sentry, its gofer and, on the ptrace platform, a stub per address space) that the
 * host counts in the container's pids cgroup (gVisor issue #3942). Measured in all: 38 to 115 for an idle container,
 * 197 and 227 for the sandbox host after a chat's commands. On top of the program's own, so the same setting
 * leaves the program the same room under either runtime.
 */
export const GVISOR_OWN_PIDS = 128;

/** The runtime one container of the deployment runs under: the one setting for all, or its role's. */
export function runtimeOf(settings: Pick<DeploymentSettings, "container">, role: ContainerRole): ContainerRuntime {
    return forRole(settings.container.runtime, role);
}

/** What stands between a container and the host's kernel: its runtime, and the seccomp and AppArmor profiles it runs under. */
export interface Isolation {
    runtime: ContainerRuntime;
    seccomp: SeccompChoice | "none";
    apparmor: AppArmorChoice | "none";
}

/** The isolation of a container of `role`, as the settings declare it. */
export function isolationOf(settings: Pick<DeploymentSettings, "container">, role: ContainerRole): Isolation {
    const runtime = runtimeOf(settings, role);
    return { runtime, seccomp: seccompOf(settings, role, runtime), apparmor: appArmorOf(settings, role, runtime) };
}

/** Every role's runtime, as one object. */
export function runtimes(settings: Pick<DeploymentSettings, "container">): Record<ContainerRole, ContainerRuntime> {
    return Object.fromEntries(CONTAINER_ROLES.map((role) => [role, runtimeOf(settings, role)])) as Record<ContainerRole, ContainerRuntime>;
}

/** The pids cgroup limit for a container whose program may use `maxProcesses` under `runtime`. */
export function pidsLimitFor(runtime: ContainerRuntime, maxProcesses: number): number {
    return runtime === "gvisor" ? maxProcesses + GVISOR_OWN_PIDS : maxProcesses;
}
