import type { DeploymentSettings } from "../../settings/schema";
import { forRole, type ContainerRole, type ContainerRuntime, type SeccompChoice, type ServiceRole } from "../../settings/constants";
import recorded from "./recorded.json";

/**
 * The seccomp profile of each of the deployment's images: the system calls it was recorded making while the runtime
 * proof drove it (scripts/record-seccomp.sh writes recorded.json), every other call refused. Recorded under Docker's
 * default profile, whose filter runs before the tracepoint that counts, so every recorded call is one Docker's
 * default allows too; where Docker's default allows a call only with some arguments, the same arguments bind here.
 * Tighter than Docker's default by construction.
 */

/** A rule of a Docker (moby) seccomp profile. */
export interface SeccompRule {
    names: string[];
    action: "SCMP_ACT_ALLOW" | "SCMP_ACT_ERRNO";
    errnoRet?: number;
    args?: { index: number; value: number; valueTwo: number; op: "SCMP_CMP_EQ" | "SCMP_CMP_MASKED_EQ" }[];
}

export interface SeccompProfile {
    defaultAction: "SCMP_ACT_ERRNO";
    architectures: string[];
    syscalls: SeccompRule[];
}

/**
 * Refused calls fail with EPERM, as under Docker's default (its `defaultErrnoRet` is ignored by Docker 20.10, measured).
 * clone3 alone answers ENOSYS, as in Docker's default: glibc creates threads with clone3 and falls back to clone only on
 * ENOSYS. Measured: without this rule, under a profile that reaches close_range's number, every thread creation failed
 * and Node aborted at start (below that number runc itself answers ENOSYS for calls newer than the profile).
 */
const NOT_IMPLEMENTED: SeccompRule = { names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: 38 };

/**
 * Calls every profile allows whether or not a run happened to make them: exits and signal returns, sleeping and
 * waiting, memory housekeeping, all in Docker's default. A quiet recording can miss them (a signal that interrupts a
 * sleep asks for restart_syscall), and without them a program dies at random rather than at an attack.
 */
const HOUSEKEEPING = [
    "brk", "clock_nanosleep", "close", "execve", "exit", "exit_group", "futex", "getpid", "gettid", "madvise", "mmap",
    "mprotect", "mremap", "munmap", "nanosleep", "read", "restart_syscall", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn",
    "sched_yield", "sigaltstack", "tgkill", "write",
];

/**
 * Recorded, yet refused: io_uring, a large kernel attack surface that Docker's own newer default profiles refuse
 * too. Node's libuv asks for it at start and, refused, does its file work on its thread pool as on any older kernel.
 */
const REFUSED_EVEN_IF_RECORDED = ["io_uring_enter", "io_uring_register", "io_uring_setup"];

/** clone's namespace flags (NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET): Docker's default refuses them too. */
const CLONE_NEW_NAMESPACES = 0x7e020000;

/** The personalities Docker's default lets a process take: Linux, with 32-bit-style addresses, and the query. */
const PERSONALITIES = [0x0, 0x8, 0x20000, 0x20008, 0xffffffff];

/** Calls allowed only with the arguments Docker's default allows them with, for a container without capabilities. */
const BOUND: Record<string, SeccompRule[]> = {
    clone: [{ names: ["clone"], action: "SCMP_ACT_ALLOW", args: [{ index: 0, value: CLONE_NEW_NAMESPACES, valueTwo: 0, op: "SCMP_CMP_MASKED_EQ" }] }],
    personality: PERSONALITIES.map((value) => ({ names: ["personality"], action: "SCMP_ACT_ALLOW", args: [{ index: 0, value, valueTwo: 0, op: "SCMP_CMP_EQ" }] })),
};

/**
 * How a check proves a profile refuses what Docker's default allows: util-linux's ionice (in every Debian image)
 * asks for ioprio_set, a call no recording may hold (a unit test sees to it), and says "Operation not permitted".
 */
export const SECCOMP_PROBE = { call: "ioprio_set", command: ["ionice", "-c", "3", "true"] } as const;

/** The calls recorded for one image. */
export function recordedCalls(role: ServiceRole): string[] {
    const calls = (recorded as Partial<Record<ServiceRole, string[]>>)[role];
    if (!calls || calls.length === 0) throw new Error(`no seccomp recording for '${role}' in components/container/seccomp/recorded.json: run scripts/record-seccomp.sh`);
    return calls;
}

/** The profile that allows `calls` and nothing else (x86_64 only: the recording's architecture). */
export function seccompProfile(calls: readonly string[]): SeccompProfile {
    const names = [...new Set([...calls, ...HOUSEKEEPING])].filter((n) => !REFUSED_EVEN_IF_RECORDED.includes(n)).sort();
    return {
        defaultAction: "SCMP_ACT_ERRNO",
        architectures: ["SCMP_ARCH_X86_64"],
        syscalls: [{ names: names.filter((n) => !(n in BOUND) && !NOT_IMPLEMENTED.names.includes(n)), action: "SCMP_ACT_ALLOW" }, ...names.flatMap((n) => BOUND[n] ?? []), NOT_IMPLEMENTED],
    };
}

/** Which profile a container runs under: gVisor's runsc applies no OCI profile (its own filter guards the host's kernel). */
export function seccompOf(settings: Pick<DeploymentSettings, "container">, role: ContainerRole, runtime: ContainerRuntime): SeccompChoice | "none" {
    return runtime === "gvisor" ? "none" : forRole(settings.container.seccomp, role);
}

/** The engine's security option for a container's profile: the profile's JSON inline, as Docker's API takes it. */
export function seccompSecurityOpts(choice: SeccompChoice | "none", service: ServiceRole): string[] {
    return choice === "recorded" ? [`seccomp=${JSON.stringify(seccompProfile(recordedCalls(service)))}`] : [];
}
