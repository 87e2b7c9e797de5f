import { containerName, containerPolicy } from "../lib/containerPolicy";
import { hostPaths, isWithin, normalisePath } from "../lib/mounts";
import { areaTags, cis } from "../lib/metadata";

// The Docker API is root on the host: with the socket an agent starts a privileged container and
// walks out of every other layer. Mounting its folder (/run, /var/run) exposes it just the same.
const SOCKET = /(^|\/)(docker|containerd|podman|crio)\.sock$/;
const KNOWN_SOCKETS = ["/var/run/docker.sock", "/run/docker.sock", "/run/containerd/containerd.sock", "/run/podman/podman.sock"];

export const containerNoDockerSocket = containerPolicy(
    {
        name: "container-no-docker-socket",
        displayName: "Docker socket not mounted",
        description: "No OpenClaw container mounts the Docker (or containerd/podman) socket or the folder that holds it.",
        severity: "critical",
        enforcementLevel: "mandatory",
        framework: cis("5.31", "Ensure that the Docker socket is not mounted inside any containers"),
        tags: areaTags("container", "layer-1"),
        remediationSteps: "Remove the socket mount. OpenClaw's own sandbox needs a Docker API: give it a restricted socket proxy on the internal network, never the host socket.",
    },
    (container, args, reportViolation) => {
        for (const path of hostPaths(container)) {
            const p = normalisePath(path);
            if (SOCKET.test(p) || KNOWN_SOCKETS.some((socket) => isWithin(socket, p))) {
                reportViolation(`${containerName(container, args)}: mounts ${path}, which exposes the container engine's socket`);
            }
        }
    },
);
