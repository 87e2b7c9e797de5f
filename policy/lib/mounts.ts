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

/** The path without trailing slashes and with `//` and `/./` collapsed, for prefix tests. */
export function normalisePath(path: string): string {
    const parts = path.split("/").filter((p) => p !== "" && p !== ".");
    return `/${parts.join("/")}`;
}

/** True when `path` is `base` or inside it. */
export function isWithin(path: string, base: string): boolean {
    const p = normalisePath(path);
    const b = normalisePath(base);
    return b === "/" ? true : p === b || p.startsWith(`${b}/`);
}
