import type { Props } from "./openclaw";
import { list, record, str } from "./values";

/** Host paths bind-mounted into a container (`volumes[].hostPath` and bind `mounts[].source`). */
export function hostPaths(container: Props): string[] {
    const fromVolumes = list(container.volumes).map((v) => str(record(v)?.hostPath));
    const fromMounts = list(container.mounts)
        .map(record)
        .filter((m) => (str(m?.type) ?? "bind") === "bind")
        .map((m) => str(m?.source));
    return [...fromVolumes, ...fromMounts].filter((p): p is string => p !== undefined && p !== "");
}

/**
 * The path as Docker resolves it: `//`, `/./` and trailing slashes collapsed and `..` applied, so
 * `/srv/../etc` is judged as the `/etc` it mounts.
 */
export function normalisePath(path: string): string {
    const parts: string[] = [];
    for (const part of path.split("/")) {
        if (part === "..") parts.pop();
        else if (part !== "" && part !== ".") parts.push(part);
    }
    return `/${parts.join("/")}`;
}

/** True when `path` is `base` or inside it. */
export function isWithin(path: string, base: string): boolean {
    const p = normalisePath(path);
    const b = normalisePath(base);
    return b === "/" ? true : p === b || p.startsWith(`${b}/`);
}

/** True when mounting `path` exposes `target`: it is the target, lies below it, or holds it. */
export function exposes(path: string, target: string): boolean {
    return isWithin(path, target) || isWithin(target, path);
}
