import { formatKb, ITEMS, routineItem, worstStatus, type RoutineItem, type RoutineStatus } from "./item";

export interface LogRoomThresholds {
    warnBelowPercent: number;
    failBelowPercent: number;
}

export const LOG_ROOM_THRESHOLDS: LogRoomThresholds = { warnBelowPercent: 20, failBelowPercent: 5 };

export interface DfRow {
    mount: string;
    availableKb: number;
    /** Free share as an unprivileged writer sees it: available / (used + available), as df's Capacity column counts. */
    freePercent: number;
}

/** Rows of `df -Pk` (POSIX format: one line per filesystem; the mount point may contain spaces). */
export function parseDf(text: string): DfRow[] {
    const rows: DfRow[] = [];
    for (const line of text.split("\n").slice(1)) {
        const m = /^.*?\s+\d+\s+(\d+)\s+(\d+)\s+\d+%\s+(.+)$/.exec(line.trim());
        if (!m) continue;
        const [used, available] = [Number(m[1]), Number(m[2])];
        const total = used + available;
        rows.push({ mount: m[3], availableKb: available, freePercent: total === 0 ? 0 : (available / total) * 100 });
    }
    return rows;
}

/** When the log filesystem fills, squid and OpenClaw stop writing the audit trail first. */
export function evaluateLogRoom(dfText: string, t: LogRoomThresholds = LOG_ROOM_THRESHOLDS): RoutineItem {
    const rows = [...new Map(parseDf(dfText).map((r) => [r.mount, r])).values()];
    if (rows.length === 0) return routineItem(ITEMS.logRoom, "fail", `df printed no filesystem: ${dfText.trim() || "(nothing)"}`, "Check that the log folders exist on the host (run `clawcage verify`).");
    const statusOf = (r: DfRow): RoutineStatus => (r.freePercent < t.failBelowPercent ? "fail" : r.freePercent < t.warnBelowPercent ? "warn" : "ok");
    const observed = rows.map((r) => `${r.mount}: ${r.freePercent.toFixed(1)}% free (${formatKb(r.availableKb)})`).join("; ");
    const advice = `Make room on the log filesystem (under ${t.warnBelowPercent}% free warns, under ${t.failBelowPercent}% fails): archive and empty the egress access.log (squid never rotates it), remove unused images (\`docker image prune\`), or grow the disk.`;
    return routineItem(ITEMS.logRoom, worstStatus(rows.map(statusOf)), observed, advice);
}
