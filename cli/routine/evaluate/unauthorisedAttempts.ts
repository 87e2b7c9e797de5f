import { ITEMS, routineItem, type RoutineItem } from "./item";

export interface IngressAttempts {
    unauthorized: number;
    forbidden: number;
    rateLimited: number;
    /** Client addresses of those attempts, most frequent first. */
    sources: string[];
}

/**
 * haproxy `option httplog` lines: `client:port [date] frontend backend/server timers status bytes …`. Only the
 * fields before the status are matched, and they are all haproxy's own: the client-chosen request line at the
 * end cannot fake a status.
 */
const HTTPLOG_LINE = /^(\S+):\d+ \[[^\]]+\] \S+ \S+\/\S+ [-+\d/]+ (\d{3}) /;

export function countIngressAttempts(haproxyLog: string): IngressAttempts {
    const counts: Record<string, number> = { "401": 0, "403": 0, "429": 0 };
    const bySource = new Map<string, number>();
    for (const line of haproxyLog.split("\n")) {
        const m = HTTPLOG_LINE.exec(line);
        if (!m || !(m[2] in counts)) continue;
        counts[m[2]]++;
        bySource.set(m[1], (bySource.get(m[1]) ?? 0) + 1);
    }
    const sources = [...bySource.entries()].sort((a, b) => b[1] - a[1]).map(([s]) => s);
    return { unauthorized: counts["401"], forbidden: counts["403"], rateLimited: counts["429"], sources };
}

/**
 * Lines of squid's `clawcage_json` logformat (squidConf.ts). Anchored at the end of the line, where squid's own
 * fields are: the URL and host come earlier, are chosen by the requester, and may spell `"action":"TCP_DENIED"`.
 */
const SQUID_TAIL = /"status":-?\d+,"action":"([^"]*)","bytes":-?\d+}$/;
const SQUID_TIME = /^\{"time":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)"/;

/**
 * Requests squid itself refused (http_access deny → TCP_DENIED/403), logged at or after `since` when given. A 403
 * an allowed upstream sent back (TCP_MISS/403) is that site's answer, not a refused attempt, so it does not count.
 */
export function countEgressDenials(squidLog: string, since?: Date): number {
    return squidLog.split("\n").filter((line) => {
        const m = SQUID_TAIL.exec(line.trim());
        if (!m || !m[1].includes("DENIED")) return false;
        // squid logs the container's local time, which is UTC in the Debian proxy image; an unreadable time counts.
        const time = SQUID_TIME.exec(line.trim());
        return !since || !time || new Date(`${time[1]}Z`) >= since;
    }).length;
}

/** ingressLog is undefined when the gateway is not published (no ingress proxy, so no ingress log to read). */
export function evaluateUnauthorisedAttempts(ingressLog: string | undefined, squidLog: string, since?: Date): RoutineItem {
    const denied = countEgressDenials(squidLog, since);
    const egress = `egress denials ${denied}`;
    const auditAdvice =
        "Read the audit trail: the ingress log (`docker logs` of the ingress proxy: which address, which token name, as token=), the egress access.log (which hosts the agent tried) and `openclaw audit`. A run of 401s from one address is token guessing; egress denials can mean a prompt injection trying to send data out. Follow the guide's emergency response if it looks deliberate.";
    // Unpublished: no client can reach the gateway, so only the egress side can show attempts.
    if (ingressLog === undefined) return routineItem(ITEMS.unauthorisedAttempts, denied > 0 ? "warn" : "ok", `not published (no ingress); ${egress}`, auditAdvice);
    const a = countIngressAttempts(ingressLog);
    const sources = a.sources.length > 0 ? ` from ${a.sources.slice(0, 3).join(", ")}${a.sources.length > 3 ? ` and ${a.sources.length - 3} more` : ""}` : "";
    const observed = `401 ${a.unauthorized}, 403 ${a.forbidden}, 429 ${a.rateLimited}${sources}; ${egress}`;
    const seen = a.unauthorized + a.forbidden + a.rateLimited + denied > 0;
    return routineItem(ITEMS.unauthorisedAttempts, seen ? "warn" : "ok", observed, auditAdvice);
}
