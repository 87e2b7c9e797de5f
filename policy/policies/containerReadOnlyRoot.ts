import { containerName, containerPolicy } from "../lib/containerPolicy";
import { areaTags, cis } from "../lib/metadata";
import { bool } from "../lib/values";

// A writable root lets an injected agent plant binaries or edit the app it runs in; tmpfs covers /tmp.
export const containerReadOnlyRoot = containerPolicy(
    {
        name: "container-read-only-root",
        displayName: "Read-only root filesystem",
        description: "OpenClaw containers mount their root filesystem read-only; scratch space comes from tmpfs and explicit mounts.",
        severity: "high",
        enforcementLevel: "mandatory",
        framework: cis("5.12", "Ensure that the container's root filesystem is mounted as read only"),
        tags: areaTags("container", "layer-1"),
        remediationSteps: "Set `readOnly: true` and give writable paths as `tmpfs` (e.g. /tmp with noexec) or named mounts.",
    },
    (container, args, reportViolation) => {
        if (bool(container.readOnly) !== true) reportViolation(`${containerName(container, args)}: readOnly is not true`);
    },
);
