import * as path from "node:path";

/** Pure path logic shared by the settings rules and the policy checks. */

/** True when `child` is `parent` or lies below it (both absolute, normalised). */
export function isWithin(child: string, parent: string): boolean {
    const rel = path.posix.relative(path.posix.normalize(parent), path.posix.normalize(child));
    return rel === "" || (!rel.startsWith("..") && !path.posix.isAbsolute(rel));
}

/** Host paths whose exposure hands the agent the Docker engine, i.e. root on the host. */
const DOCKER_SOCKETS = ["/var/run/docker.sock", "/run/docker.sock"];

/**
 * Why mounting `hostPath` would expose something the deployment denies, or undefined when it is safe.
 * A mount exposes its whole subtree, so an ancestor of a denied path (`/`, `/home/alice`) is refused too.
 */
export function deniedExposure(hostPath: string, deniedPaths: readonly string[]): string | undefined {
    const p = path.posix.normalize(hostPath);
    if (p.endsWith("docker.sock") || DOCKER_SOCKETS.some((s) => isWithin(s, p))) {
        return "it exposes the Docker socket, which gives root on the host";
    }
    for (const denied of deniedPaths) {
        if (denied.startsWith("/")) {
            if (isWithin(p, denied)) return `it lies inside the denied path ${denied}`;
            if (isWithin(denied, p)) return `it contains the denied path ${denied}`;
        } else if (p.split("/").includes(denied)) {
            return `it is a denied '${denied}' folder`;
        }
    }
    // Home folders hold ~/.ssh, ~/.aws and ~/.config even when the denied list names them only as segments.
    if (p === "/home" || /^\/home\/[^/]+$/.test(p)) return "it is a home folder, which holds ~/.ssh, ~/.aws and ~/.config";
    return undefined;
}
