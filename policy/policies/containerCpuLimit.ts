import { containerName, containerPolicy } from "../lib/containerPolicy";
import { areaTags, cis } from "../lib/metadata";
import { num } from "../lib/values";

// cpuShares is only a weight under contention; `cpus` is the hard cap the guide asks for (2 CPUs).
export const containerCpuLimit = containerPolicy(
    {
        name: "container-cpu-limit",
        displayName: "CPU limit",
        description: "OpenClaw containers have a hard CPU limit (`cpus`), not only a relative weight.",
        severity: "medium",
        enforcementLevel: "mandatory",
        framework: cis("5.11", "Ensure that CPU priority is set appropriately on containers"),
        tags: areaTags("container", "layer-1"),
        remediationSteps: "Set `cpus` (e.g. \"2.0\" for the gateway, \"0.5\" for a proxy).",
    },
    (container, args, reportViolation) => {
        const cpus = num(container.cpus) ?? 0;
        if (cpus <= 0) reportViolation(`${containerName(container, args)}: no CPU limit (cpus)`);
    },
);
