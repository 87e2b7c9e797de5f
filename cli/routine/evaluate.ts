import type { CheckResult } from "../verify/check";

/**
 * Pure evaluators of the guide's runtime checklist (weekly: audit log, CPU/memory/disk, unauthorised access,
 * config backup; monthly: update OpenClaw, rotate tokens, scan the image, review permissions). Each takes what
 * was observed, as raw text or values, and says ok / warn / fail with what to do; collect.ts does the I/O.
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

const DAY_MS = 86_400_000;
const RANK: Record<RoutineStatus, number> = { ok: 0, warn: 1, fail: 2 };

export function worstStatus(statuses: RoutineStatus[]): RoutineStatus {
    return statuses.reduce<RoutineStatus>((w, s) => (RANK[s] > RANK[w] ? s : w), "ok");
}

/** Advice is dropped when ok, so a reader of the report sees instructions only where there is something to do. */
function routineItem(item: string, status: RoutineStatus, observed: string, advice: string): RoutineItem {
    return { item, status, observed, advice: status === "ok" ? "" : advice };
}

export function formatKb(kb: number): string {
    const units = ["KiB", "MiB", "GiB", "TiB"];
    let value = kb;
    let unit = 0;
    for (; value >= 1024 && unit < units.length - 1; unit++) value /= 1024;
    return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

// --- disk room for logs -------------------------------------------------------------------------------

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

// --- container CPU / memory ---------------------------------------------------------------------------

export interface LoadThresholds {
    /** Share of the container's memory limit. */
    memoryPercent: number;
    /** Share of the container's CPU limit (docker stats counts 100% per CPU). */
    cpuPercentOfLimit: number;
}

export const LOAD_THRESHOLDS: LoadThresholds = { memoryPercent: 80, cpuPercentOfLimit: 90 };

export interface ContainerStats {
    name: string;
    cpuPercent: number;
    memPercent: number;
    memUsage: string;
}

const percent = (value: unknown): number => (typeof value === "string" ? Number.parseFloat(value) : Number.NaN);

/** One line of `docker stats --no-stream --format '{{json .}}'`; undefined for anything else. */
export function parseStatsLine(line: string): ContainerStats | undefined {
    let parsed: unknown;
    try {
        parsed = JSON.parse(line);
    } catch {
        return undefined;
    }
    if (typeof parsed !== "object" || parsed === null || !("Name" in parsed) || typeof parsed.Name !== "string") return undefined;
    const fields = parsed as Record<string, unknown>;
    return { name: parsed.Name, cpuPercent: percent(fields.CPUPerc), memPercent: percent(fields.MemPerc), memUsage: String(fields.MemUsage ?? "") };
}

/**
 * cpuLimits: the deployment's containers and their CPU limits in CPUs; a container without a limit counts as
 * one CPU, the strict reading. A container missing from the stats is not running: fail.
 */
export function evaluateContainerLoad(statsText: string, cpuLimits: Record<string, number>, t: LoadThresholds = LOAD_THRESHOLDS): RoutineItem {
    const stats = new Map(statsText.split("\n").map(parseStatsLine).filter((s) => s !== undefined).map((s) => [s.name, s]));
    const judged = Object.entries(cpuLimits).map(([name, cpus]): [RoutineStatus, string] => {
        const s = stats.get(name);
        if (!s) return ["fail", `${name}: no stats (not running?)`];
        const limit = cpus > 0 ? cpus : 1;
        const ofLimit = s.cpuPercent / limit;
        if (Number.isNaN(ofLimit) || Number.isNaN(s.memPercent)) return ["warn", `${name}: no reading (${s.memUsage || "stopped?"})`];
        const text = `${name}: CPU ${ofLimit.toFixed(1)}% of ${limit} CPU, memory ${s.memPercent.toFixed(1)}% (${s.memUsage})`;
        return [ofLimit > t.cpuPercentOfLimit || s.memPercent > t.memoryPercent ? "warn" : "ok", text];
    });
    const advice = `A container near its limit is throttled (CPU) or killed (memory): find the cause in its log and the audit trail (a runaway agent loop?), then raise container.cpus / container.memoryMb only if the load is legitimate. A missing container: \`docker ps -a\` and \`clawcage verify\`.`;
    return routineItem(ITEMS.containerLoad, worstStatus(judged.map(([s]) => s)), judged.map(([, o]) => o).join("; "), advice);
}

// --- host disk use of the deployment root ------------------------------------------------------------

export function evaluateDeploymentSize(duText: string, warnAboveMb: number): RoutineItem {
    const m = /^(\d+)\s+(.*)$/m.exec(duText.trim());
    if (!m) return routineItem(ITEMS.deploymentSize, "fail", `du printed: ${duText.trim() || "(nothing)"}`, "Check that the deployment root exists on the host.");
    const kb = Number(m[1]);
    const advice = `Above the ${warnAboveMb} MiB mark: look for what grows (\`du -sh ${m[2]}/*\`): old sessions in .openclaw, a large workspace, the never-rotated egress access.log.`;
    return routineItem(ITEMS.deploymentSize, kb > warnAboveMb * 1024 ? "warn" : "ok", `${formatKb(kb)} in ${m[2]}`, advice);
}

// --- unauthorised attempts ----------------------------------------------------------------------------

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
        "Read the audit trail: the ingress log (`docker logs` of the ingress proxy: which address, which token name in {}), the egress access.log (which hosts the agent tried) and `openclaw audit`. A run of 401s from one address is token guessing; egress denials can mean a prompt injection trying to send data out. Follow the guide's emergency response if it looks deliberate.";
    // Unpublished: no client can reach the gateway, so only the egress side can show attempts.
    if (ingressLog === undefined) return routineItem(ITEMS.unauthorisedAttempts, denied > 0 ? "warn" : "ok", `not published (no ingress); ${egress}`, auditAdvice);
    const a = countIngressAttempts(ingressLog);
    const sources = a.sources.length > 0 ? ` from ${a.sources.slice(0, 3).join(", ")}${a.sources.length > 3 ? ` and ${a.sources.length - 3} more` : ""}` : "";
    const observed = `401 ${a.unauthorized}, 403 ${a.forbidden}, 429 ${a.rateLimited}${sources}; ${egress}`;
    const seen = a.unauthorized + a.forbidden + a.rateLimited + denied > 0;
    return routineItem(ITEMS.unauthorisedAttempts, seen ? "warn" : "ok", observed, auditAdvice);
}

// --- ages: tokens and images --------------------------------------------------------------------------

export interface Aged {
    name: string;
    days: number;
}

/** Whole days from `since` to `now`; NaN for an unreadable date. */
export function ageInDays(since: Date, now: Date): number {
    return Math.floor((now.getTime() - since.getTime()) / DAY_MS);
}

function ageItem(item: string, dates: Record<string, Date>, now: Date, maxAgeDays: number, adviceFor: (old: string[]) => string): RoutineItem {
    const aged: Aged[] = Object.entries(dates).map(([name, date]) => ({ name, days: ageInDays(date, now) }));
    if (aged.length === 0) return routineItem(item, "warn", "nothing to date", "Nothing was found to check.");
    const unreadable = aged.filter((a) => Number.isNaN(a.days)).map((a) => a.name);
    const old = aged.filter((a) => a.days > maxAgeDays).map((a) => a.name);
    const observed = aged.map((a) => (Number.isNaN(a.days) ? `${a.name}: date unreadable` : `${a.name}: ${a.days} days`)).join("; ");
    const status = unreadable.length > 0 ? "fail" : old.length > 0 ? "warn" : "ok";
    return routineItem(item, status, observed, adviceFor([...unreadable, ...old]));
}

/** modified: token name → last change of its file. The guide rotates tokens monthly. */
export function evaluateTokenAge(modified: Record<string, Date>, now: Date, maxAgeDays = 30): RoutineItem {
    return ageItem(ITEMS.tokenAge, modified, now, maxAgeDays, (old) => `Older than ${maxAgeDays} days (or unreadable): ${old.map((n) => `\`clawcage rotate-token ${n}\``).join(", ")}, then hand the new token to its users.`);
}

/** created: image name → build time. A month-old image carries a month of unpatched base packages. */
export function evaluateImageAge(created: Record<string, Date>, now: Date, maxAgeDays = 30): RoutineItem {
    return ageItem(ITEMS.imageAge, created, now, maxAgeDays, (old) => `Older than ${maxAgeDays} days (or unreadable): scan ${old.join(", ")} for vulnerabilities (\`trivy image NAME\` or \`docker scout cves NAME\`), then move image.gatewayBase / image.proxyBase to a newer tag or digest and run \`pulumi up\`: images are tagged by a hash of their inputs, so only a changed input rebuilds them.`);
}

// --- pinned OpenClaw version --------------------------------------------------------------------------

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

// --- audit ledger -------------------------------------------------------------------------------------

/** The fields of an `openclaw audit --json` event this checklist reads (OpenClaw's audit recorder writes them). */
export interface AuditEvent {
    kind: string;
    action: string;
    status: string;
    toolName?: string;
    runId?: string;
}

/** One page of `openclaw audit --json`: `nextCursor` says more events exist than the page holds. */
export interface AuditPage {
    events: AuditEvent[];
    nextCursor?: unknown;
}

/**
 * The guide's weekly "read the audit log", summarised: what the agent ran and which tool actions were blocked
 * or failed (a prompt injection probing the tool policy shows up as blocked actions). The ledger holds metadata
 * only, never message content.
 */
export function evaluateAuditLedger(page: AuditPage): RoutineItem {
    const finished = (kind: string) => page.events.filter((e) => e.kind === kind && e.action.endsWith(".finished"));
    const runs = finished("agent_run").length;
    const tools = finished("tool_action");
    // Blocked: the policy refused the call; the agent reached for something it may not do. A failed call is an
    // ordinary error (a missing file), counted but not a warning.
    const refused = tools.filter((e) => e.status === "blocked");
    const failed = tools.filter((e) => e.status === "failed").length;
    const byTool = new Map<string, number>();
    for (const e of refused) byTool.set(e.toolName ?? "?", (byTool.get(e.toolName ?? "?") ?? 0) + 1);
    const listed = [...byTool.entries()].map(([tool, n]) => `${tool} ×${n}`).join(", ");
    const more = page.nextCursor === undefined || page.nextCursor === null ? "" : " (first page only: more events exist)";
    const observed = `${runs} agent runs, ${tools.length} tool actions, ${refused.length} blocked${listed ? ` (${listed})` : ""}, ${failed} failed${more}`;
    const runIds = [...new Set(refused.map((e) => e.runId).filter((r) => r !== undefined))].slice(0, 3);
    const advice = `Read what led to them: ${runIds.map((r) => `\`openclaw audit --run ${r} --explain\``).join(", ") || "`openclaw audit --status blocked`"} (inside the gateway container), and the sessions they belong to. Repeated blocked exec or file tools can be a prompt injection probing the tool policy; if it looks deliberate, follow the guide's emergency response.`;
    return routineItem(ITEMS.auditLedger, refused.length > 0 ? "warn" : "ok", observed, advice);
}

// --- config backup ------------------------------------------------------------------------------------

export function evaluateConfigBackup(archive: string, bytes: number): RoutineItem {
    const advice = "The backup is empty: check the config folders on the host and the free space where the archive is written, then run the backup again.";
    return routineItem(ITEMS.configBackup, bytes > 0 ? "ok" : "fail", `${archive} (${bytes} bytes; holds secrets, mode 600)`, advice);
}

// --- permission drift ---------------------------------------------------------------------------------

/** A failed host check means an owner or mode changed after deployment: by hand, or by someone who should not. */
export function fromCheckResult(r: CheckResult): RoutineItem {
    const advice = "Find out who changed it first (shell history, `openclaw audit`), then restore the declared owners and modes with `pulumi up` (the host create script converges on them).";
    return routineItem(`${ITEMS.permissionDrift}: ${r.name}`, r.pass ? "ok" : "fail", r.observed, advice);
}
