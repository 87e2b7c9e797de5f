/**
 * The deployment's audit stream: one JSON-lines record per thing that happened, joined from the three places
 * that see it. The audit plugin's record in the gateway (every tool call with its arguments and decision, each
 * prompt), the egress proxy's access log (every request out) and the ingress proxy's log (every request in, with
 * its token's name). Pure: the command reads the sources, these turn their lines into events.
 */

export const SOURCES = ["gateway", "egress", "ingress"] as const;
export const DECISIONS = ["allowed", "denied", "failed"] as const;

/** One event of the stream, the documented shape of `clawcage audit --json`. */
export interface AuditEvent {
    /** ISO 8601, UTC. */
    time: string;
    source: (typeof SOURCES)[number];
    /** Who: the OpenClaw session (gateway), the token's name (ingress), the client address (egress). */
    actor?: string;
    /** What: a tool call and its arguments, a prompt, a request's method and host or path. */
    what: string;
    decision: (typeof DECISIONS)[number];
    /** The layer that refused, when one did. */
    layer?: string;
    /** The alert rules the event matched. */
    alerts?: string[];
}

interface GatewayLine {
    time: string;
    event: "tool_call" | "tool_result" | "prompt";
    actor?: { session?: string; channel?: string; sender?: string };
    tool?: string;
    params?: unknown;
    decision: AuditEvent["decision"];
    layer?: string;
    reason?: string;
    alerts?: { rule: string }[];
    prompt?: string;
}

const parse = <T>(line: string): T | undefined => {
    try {
        return JSON.parse(line) as T;
    } catch {
        return undefined;
    }
};

const lines = (text: string): string[] => text.split("\n").map((l) => l.trim()).filter(Boolean);

/** The audit plugin's lines (its values are already masked by the plugin). */
export function gatewayEvents(text: string): AuditEvent[] {
    return lines(text).flatMap((l) => {
        const r = parse<GatewayLine>(l);
        if (!r || !r.time || !r.event) return [];
        const what =
            r.event === "prompt"
                ? `prompt ${JSON.stringify(r.prompt ?? "")}`
                : r.event === "tool_call"
                  ? `${r.tool ?? "?"} ${JSON.stringify(r.params ?? {})}`
                  : `${r.tool ?? "?"} finished${r.reason ? `: ${r.reason.split("\n")[0].slice(0, 200)}` : ""}`;
        const alerts = r.alerts?.map((a) => a.rule) ?? [];
        return [{ time: r.time, source: "gateway", actor: r.actor?.session, what, decision: r.decision, ...(r.layer ? { layer: r.layer } : {}), ...(alerts.length ? { alerts } : {}) }];
    });
}

interface SquidLine {
    time: string;
    client: string;
    method: string;
    url: string;
    host: string;
    port: string;
    status: number;
    action: string;
}

/** squid's `clawcage_json` lines (squidConf.ts): its times are the proxy's local time, which is UTC in its image. */
export function egressEvents(text: string): AuditEvent[] {
    return lines(text).flatMap((l) => {
        const r = parse<SquidLine>(l);
        // squid's own health and idle connections log no method: nothing the agent did.
        if (!r || !r.time || !r.action || r.method === "-") return [];
        const denied = r.action.includes("DENIED");
        return [
            {
                time: new Date(`${r.time}Z`).toISOString(),
                source: "egress",
                actor: r.client,
                what: `${r.method} ${r.method === "CONNECT" ? r.url : `${r.host}:${r.port}`} ${r.action}/${r.status}`,
                decision: denied ? "denied" : "allowed",
                ...(denied ? { layer: "egress proxy allowlist" } : {}),
            },
        ];
    });
}

/** haproxy's lines in the ingress log format (haproxyCfg.ts); the request line holds the path only, never a query. */
const HAPROXY_LINE = /^(\S+):\d+ \[(\d\d)\/(\w{3})\/(\d{4}):(\d\d:\d\d:\d\d(?:\.\d+)?)\] \S+ \S+\/\S+ [-+\d/]+ (\d{3}) .* token=(\S*) "(\S+) (\S+) [^"]*"$/;
const INGRESS_REFUSALS: Record<string, string> = { "401": "ingress token check", "403": "ingress token check", "429": "ingress rate limit" };

export function ingressEvents(text: string): AuditEvent[] {
    return lines(text).flatMap((l) => {
        const m = HAPROXY_LINE.exec(l);
        if (!m) return [];
        const [, client, day, month, year, clock, status, token, method, pathOnly] = m;
        const time = new Date(`${day} ${month} ${year} ${clock} UTC`);
        if (Number.isNaN(time.getTime())) return [];
        const layer = INGRESS_REFUSALS[status];
        return [{ time: time.toISOString(), source: "ingress", actor: token && token !== "-" ? token : client, what: `${method} ${pathOnly} ${status}`, decision: layer ? "denied" : "allowed", ...(layer ? { layer } : {}) }];
    });
}

export interface AuditFilter {
    since?: Date;
    until?: Date;
    /** A part of the actor (a session key, a token's name, an address). */
    actor?: string;
    decision?: AuditEvent["decision"];
}

export function matches(e: AuditEvent, f: AuditFilter): boolean {
    const t = Date.parse(e.time);
    return (!f.since || t >= f.since.getTime()) && (!f.until || t <= f.until.getTime()) && (!f.actor || (e.actor ?? "").includes(f.actor)) && (!f.decision || e.decision === f.decision);
}

/** The events of every source, oldest first, filtered. */
export function joinEvents(sources: AuditEvent[][], filter: AuditFilter): AuditEvent[] {
    return sources
        .flat()
        .filter((e) => matches(e, filter))
        .sort((a, b) => a.time.localeCompare(b.time));
}

/** One line for a person: time, source, decision and the layer that decided, the actor, what. */
export function formatEvent(e: AuditEvent): string {
    const decision = e.layer ? `${e.decision} (${e.layer})` : e.decision;
    const alerts = e.alerts?.length ? ` [alert ${e.alerts.join(", ")}]` : "";
    return `${e.time}  ${e.source.padEnd(7)}  ${decision}  ${e.actor ?? "-"}  ${e.what}${alerts}`;
}

/** `--since` as an ISO time or a duration back from now (30m, 12h, 7d). */
export function parseSince(value: string, now = new Date()): Date {
    const d = /^(\d+)([mhd])$/.exec(value);
    if (d) return new Date(now.getTime() - Number(d[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[d[2] as "m" | "h" | "d"]);
    const t = new Date(value);
    if (Number.isNaN(t.getTime())) throw new Error(`--since ${JSON.stringify(value)}: give a time (2026-12-03T10:00:00Z) or a duration back from now (30m, 12h, 7d)`);
    return t;
}
