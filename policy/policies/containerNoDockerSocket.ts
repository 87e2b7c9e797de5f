import { containerName, containerPolicy } from "../lib/containerPolicy";
import { hostPaths } from "../lib/mounts";
import { areaTags, cis } from "../lib/metadata";
import { engineSocketReason } from "../lib/sensitivePaths";

// The Docker API is root on the host: with the socket an agent starts a privileged container and
// walks out of every other layer. containerd, podman and CRI-O sockets are the same door, and
// mounting the folder that holds one (/run, /var/run, /run/user/<uid>) exposes it just the same.
export const containerNoDockerSocket = containerPolicy(
    {
        name: "container-no-docker-socket",
        displayName: "Docker socket not mounted",
        description: "No OpenClaw container mounts the Docker (or containerd/podman/CRI-O) socket or a folder that holds it.",
        severity: "critical",
        enforcementLevel: "mandatory",
        framework: cis("5.31", "Ensure that the Docker socket is not mounted inside any containers"),
        tags: areaTags("container", "layer-1"),
        remediationSteps: "Remove the socket mount. OpenClaw's own sandbox needs a Docker API: give it a restricted socket proxy on the internal network, never the host socket.",
    },
    (container, args, reportViolation) => {
        for (const path of hostPaths(container)) {
            const why = engineSocketReason(path);
            if (why) reportViolation(`${containerName(container, args)}: mounts ${path}, which exposes ${why}`);
        }
    },
);
