import * as path from "node:path";
import { SENSITIVE_HOST_PATHS } from "../../policy/api";

/**
 * Pure path logic shared by the settings rules and the host layout. Which host paths are sensitive is the
 * policy pack's list (SENSITIVE_HOST_PATHS), so the settings refuse first what the pack would refuse later.
 */

/** True when `child` is `parent` or lies below it (both absolute, normalised). */
export function isWithin(child: string, parent: string): boolean {
    const rel = path.posix.relative(path.posix.normalize(parent), path.posix.normalize(child));
    return rel === "" || (!rel.startsWith("..") && !path.posix.isAbsolute(rel));
}

/** True when mounting `p` exposes `target`: it is the target, lies below it, or holds it. */
function exposes(p: string, target: string): boolean {
    return isWithin(p, target) || isWithin(target, p);
}

/**
 * Why mounting `hostPath` would expose something the deployment denies, or undefined when it is safe.
 * A mount exposes its whole subtree, so an ancestor of a denied path (`/`, `/var`) is refused too.
 * `extraDenied` (settings.filesystem.deniedPaths) adds folder names and absolute paths to the built-in lists.
 */
export function deniedExposure(hostPath: string, extraDenied: readonly string[]): string | undefined {
    // resolve() applies `..` and drops trailing slashes, as Docker does with a bind source.
    const p = path.posix.resolve("/", hostPath);
    const parts = p.split("/");
    const S = SENSITIVE_HOST_PATHS;
    if (p === "/") return "it is the host's root folder, which holds every other denied path";
    const socket = parts.find((part) => S.engineSocketNames.some((name) => part.endsWith(name))) ?? S.engineSocketPaths.find((s) => exposes(p, s));
    if (socket) return `it exposes ${socket}, a container engine's socket (or its folder), which gives root on the host`;
    const segment = [...S.deniedSegments, ...extraDenied.filter((d) => !d.startsWith("/"))].find((d) => parts.includes(d));
    if (segment) return `it is a denied '${segment}' folder`;
    const denied = [...S.deniedPaths, ...extraDenied.filter((d) => d.startsWith("/"))].find((d) => exposes(p, d));
    if (denied) return isWithin(p, denied) ? `it lies inside the denied path ${denied}` : `it contains the denied path ${denied}`;
    // Home folders hold ~/.ssh, ~/.aws and ~/.config, which a segment rule cannot see from above.
    if (S.homeParents.some((h) => p === h || path.posix.dirname(p) === h)) return "it is a home folder, which holds ~/.ssh, ~/.aws and ~/.config";
    return undefined;
}
