import { containerName, containerPolicy } from "../lib/containerPolicy";
import { areaTags, cis } from "../lib/metadata";
import { bool } from "../lib/values";

// Privileged mode gives every capability and every device: the container is the host.
export const containerNotPrivileged = containerPolicy(
    {
        name: "container-not-privileged",
        displayName: "Not privileged",
        description: "OpenClaw containers never run in privileged mode.",
        severity: "critical",
        enforcementLevel: "mandatory",
        framework: cis("5.4", "Ensure that privileged containers are not used"),
        tags: areaTags("container", "layer-1"),
        remediationSteps: "Remove `privileged: true`; grant a single capability instead if one is truly needed.",
    },
    (container, args, reportViolation) => {
        if (bool(container.privileged) === true) reportViolation(`${containerName(container, args)}: privileged is true`);
    },
);
