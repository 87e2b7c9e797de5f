import { exposes, isWithin, normalisePath } from "./mounts";

/**
 * The host paths no OpenClaw container may mount, as the pack's defaults. clawcage's settings import
 * these lists through api.ts (the pack imports nothing from the library, so it can be deployed on its own)
 * and refuse the same paths before anything deploys; a test walks every entry through both.
 */
export const SENSITIVE_HOST_PATHS = {
    /** Credential folders (and .netrc), refused wherever they appear in a path. */
    deniedSegments: [".ssh", ".aws", ".config", ".gnupg", ".kube", ".docker", ".azure", ".netrc"],
    /** The host's system folders and the engines' state (images, container filesystems); refused with what is below and above them. */
    deniedPaths: ["/etc", "/root", "/proc", "/sys", "/boot", "/dev", "/var/lib/docker", "/var/lib/containerd", "/var/lib/containers"],
    /** Folders of home folders: each one and every home folder directly below it holds a user's dotfiles. */
    homeParents: ["/home", "/Users"],
    /** Container-engine sockets, by file name: whoever holds one is root on the host. */
    engineSocketNames: ["docker.sock", "containerd.sock", "podman.sock", "crio.sock"],
    /**
     * Where the engines keep their sockets, in the /run and the older /var/run spelling (rootless engines
     * under /run/user/<uid>); refused with what is below and above them.
     */
    engineSocketPaths: ["/run", "/var/run"].flatMap((run) => [`${run}/docker.sock`, `${run}/containerd`, `${run}/podman`, `${run}/crio`, `${run}/user`]),
} as const;

export interface SensitiveLists {
    deniedSegments: readonly string[];
    deniedPaths: readonly string[];
}

/** Why mounting `path` exposes credentials or the host's system folders, or undefined. */
export function sensitiveMountReason(path: string, lists: SensitiveLists): string | undefined {
    const p = normalisePath(path);
    const segment = lists.deniedSegments.find((s) => p.split("/").includes(s));
    const denied = lists.deniedPaths.find((d) => exposes(p, d));
    const parent = normalisePath(`${p}/..`);
    if (p === "/") return "the host's root folder";
    if (segment) return `which contains ${segment}`;
    if (denied) return isWithin(p, denied) ? `under the host's ${denied}` : `a folder that holds the host's ${denied}`;
    if (SENSITIVE_HOST_PATHS.homeParents.some((h) => p === h || parent === h)) return "a home folder (with its .ssh, .aws, .config)";
    return undefined;
}

/** Why mounting `path` exposes a container engine's socket, or undefined. */
export function engineSocketReason(path: string): string | undefined {
    const p = normalisePath(path);
    const named = p.split("/").find((part) => SENSITIVE_HOST_PATHS.engineSocketNames.some((name) => part.endsWith(name)));
    const held = SENSITIVE_HOST_PATHS.engineSocketPaths.find((s) => exposes(p, s));
    if (named) return `the container-engine socket ${named}`;
    if (held) return `${held}, a container engine's socket or the folder that holds it`;
    return undefined;
}
