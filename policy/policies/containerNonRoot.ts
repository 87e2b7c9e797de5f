import { containerName, containerPolicy } from "../lib/containerPolicy";
import { areaTags, cis } from "../lib/metadata";
import { str } from "../lib/values";

// An agent that can be prompt-injected into running commands must not do it as root: a container
// escape or a writable mount then hands over the host (guide layer 1, must).
export const containerNonRoot = containerPolicy(
    {
        name: "container-non-root-user",
        displayName: "Container runs as a non-root user",
        description: "OpenClaw containers set `user` to a non-root uid (never root, 0, or the image's default).",
        severity: "critical",
        enforcementLevel: "mandatory",
        framework: cis("4.1", "Ensure that a user for the container has been created"),
        tags: areaTags("container", "layer-1"),
        remediationSteps: "Set `user: \"10001:10001\"` (a dedicated uid:gid that owns only the mounted folders) on the docker.Container; do not rely on the image's USER.",
    },
    (container, args, reportViolation) => {
        // An unknown user (preview) throws here; the SDK reports that as advisory, not a violation.
        const user = str(container.user)?.trim();
        if (!user) {
            reportViolation(`${containerName(container, args)}: no user is set, so it runs as the image's default user (often root)`);
            return;
        }
        const [uid, gid] = user.split(":");
        if (uid === "root" || uid === "0" || gid === "0" || gid === "root") {
            reportViolation(`${containerName(container, args)}: runs as '${user}' (root uid or gid)`);
        }
    },
);
