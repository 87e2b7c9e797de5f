import { ITEMS, routineItem, type RoutineItem } from "./item";

const VERSION = /^(\d+)\.(\d+)\.(\d+)$/;

/** Compares `YYYY.M.P` versions numerically (2026.10.0 is newer than 2026.9.6); negative when a is older. */
export function compareVersions(a: string, b: string): number {
    const [pa, pb] = [VERSION.exec(a), VERSION.exec(b)];
    if (!pa || !pb) throw new Error(`not a YYYY.M.P version: ${pa ? b : a}`);
    for (let i = 1; i <= 3; i++) {
        const diff = Number(pa[i]) - Number(pb[i]);
        if (diff !== 0) return diff;
    }
    return 0;
}

/** latest is undefined when the registry could not be asked (offline host). */
export function evaluateOpenclawVersion(pinned: string, latest: string | undefined): RoutineItem {
    if (latest === undefined || !VERSION.test(latest)) {
        return routineItem(ITEMS.openclawVersion, "warn", `pinned ${pinned}, latest unknown${latest ? ` (registry said ${latest})` : ""}`, "Look up the latest OpenClaw release by hand (`npm view openclaw version`) from a machine that reaches the registry.");
    }
    const behind = compareVersions(pinned, latest) < 0;
    const advice = `Read OpenClaw's release notes from ${pinned} to ${latest} (security fixes first), set image.openclawVersion to ${latest}, run the unit tests (config keys change between versions), then \`pulumi up\` and \`clawcage verify\`.`;
    return routineItem(ITEMS.openclawVersion, behind ? "warn" : "ok", `pinned ${pinned}, latest ${latest}`, advice);
}
