import { containerName, containerPolicy } from "../lib/containerPolicy";
import { areaTags, cis } from "../lib/metadata";
import { list, num, record, str } from "../lib/values";

// A fork bomb from an exec'd command takes the host down. @pulumi/docker 5.x has no pids-limit field,
// so the per-user process limit (ulimit nproc, the container runs as its own uid) stands in for it.
export const containerPidsLimit = containerPolicy(
    {
        name: "container-pids-limit",
        displayName: "Process limit",
        description: "OpenClaw containers limit the number of processes (ulimit nproc, as @pulumi/docker has no pids limit).",
        severity: "medium",
        enforcementLevel: "advisory",
        framework: cis("5.28", "Ensure that the PIDs cgroup limit is used"),
        tags: areaTags("container", "layer-1"),
        remediationSteps: "Add `ulimits: [{ name: \"nproc\", soft: 256, hard: 256 }]` (and run as a uid of its own so the limit is the container's).",
    },
    (container, args, reportViolation) => {
        const nproc = list(container.ulimits).map(record).find((u) => str(u?.name) === "nproc");
        const hard = num(nproc?.hard) ?? -1;
        if (hard <= 0) reportViolation(`${containerName(container, args)}: no nproc ulimit`);
    },
);
