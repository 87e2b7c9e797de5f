import type { ContainerLimits } from "./hardenedContainer";

/**
 * Node's heap, sized from the container's hard memory limit. Left to itself Node sizes it from the memory cgroup, but
 * from the soft reservation where one is set: measured with Node 24.21 on a cgroup v1 host, the gateway at the
 * guide's limits (4,096 MiB, reservation 2,048 MiB) got a 1,120 MiB heap, and would have died of a full heap with
 * three quarters of its memory unused; the alert watcher (256 MiB, reservation 64 MiB) got 259 MiB, more than its
 * whole limit, so the kernel would kill it before Node collected. Three quarters for the heap leaves the rest to
 * what lives outside it: buffers, compiled code, the gateway's ssh clients.
 */
export const NODE_HEAP_SHARE = 0.75;

/** The heap's size in MiB (Node's --max-old-space-size) for a container with these limits. */
export const nodeHeapMb = (limits: Pick<ContainerLimits, "memoryMb">): number => Math.floor(limits.memoryMb * NODE_HEAP_SHARE);

/** NODE_OPTIONS that give a Node container's processes that heap (its children inherit it). */
export const nodeHeapOptions = (limits: Pick<ContainerLimits, "memoryMb">): string => `--max-old-space-size=${nodeHeapMb(limits)}`;

/** The same as one environment entry. */
export const nodeHeapEnv = (limits: Pick<ContainerLimits, "memoryMb">): string => `NODE_OPTIONS=${nodeHeapOptions(limits)}`;
