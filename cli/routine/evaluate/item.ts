/**
 * What every item of the guide's runtime checklist reports. The evaluators beside this file are pure: each takes
 * what was observed, as raw text or values, and says ok / warn / fail with what to do; ../collect.ts does the I/O.
 */

export type RoutineStatus = "ok" | "warn" | "fail";

export interface RoutineItem {
    item: string;
    status: RoutineStatus;
    observed: string;
    /** What to do when not ok; empty when ok. */
    advice: string;
}

/** Item names, shared by the evaluators and the checklists (which label a collector that threw with them). */
export const ITEMS = {
    logRoom: "disk room for logs",
    containerLoad: "container CPU / memory use",
    deploymentSize: "host disk use of the deployment root",
    unauthorisedAttempts: "unauthorised attempts",
    tokenAge: "token age",
    openclawVersion: "pinned OpenClaw version vs latest",
    imageAge: "image age",
    configBackup: "config backup",
    auditLedger: "audit ledger (OpenClaw's activity records)",
    permissionDrift: "permission drift",
} as const;

export const DAY_MS = 86_400_000;
const RANK: Record<RoutineStatus, number> = { ok: 0, warn: 1, fail: 2 };

export function worstStatus(statuses: RoutineStatus[]): RoutineStatus {
    return statuses.reduce<RoutineStatus>((w, s) => (RANK[s] > RANK[w] ? s : w), "ok");
}

/** Advice is dropped when ok, so a reader of the report sees instructions only where there is something to do. */
export function routineItem(item: string, status: RoutineStatus, observed: string, advice: string): RoutineItem {
    return { item, status, observed, advice: status === "ok" ? "" : advice };
}

export function formatKb(kb: number): string {
    const units = ["KiB", "MiB", "GiB", "TiB"];
    let value = kb;
    let unit = 0;
    for (; value >= 1024 && unit < units.length - 1; unit++) value /= 1024;
    return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
