import { containerName, containerPolicy } from "../lib/containerPolicy";
import { areaTags, cis } from "../lib/metadata";
import { num } from "../lib/values";

// A runaway or hostile agent must not starve the host (guide: 4 GiB limit, no extra swap).
export const containerMemoryLimit = containerPolicy(
    {
        name: "container-memory-limit",
        displayName: "Memory limit",
        description: "OpenClaw containers have a memory limit, and swap does not extend it.",
        severity: "medium",
        enforcementLevel: "mandatory",
        framework: cis("5.10", "Ensure that the memory usage for containers is limited"),
        tags: areaTags("container", "layer-1"),
        remediationSteps: "Set `memory` (MB, e.g. 4096 for the gateway) and `memorySwap` equal to it.",
    },
    (container, args, reportViolation) => {
        const name = containerName(container, args);
        const memory = num(container.memory) ?? 0;
        if (memory <= 0) {
            reportViolation(`${name}: no memory limit`);
            return;
        }
        const swap = num(container.memorySwap);
        if (swap !== undefined && (swap < 0 || swap > memory)) reportViolation(`${name}: memorySwap ${swap} lets it use more than its ${memory} MB limit`);
    },
);
