import * as net from "node:net";
import type { AlertRule } from "../gateway/auditPlugin/config";

/**
 * What the alert watcher sends, derived from one line of what it watches: the audit plugin's record (the rules
 * it matched, and whether it blocked) and the egress proxy's access log (the host rules, for requests no tool
 * call showed: a script's own connections). Pure; the watcher's loop reads the lines and delivers.
 */

export interface Alert {
    /** Stable across restarts: the same line always gives the same id, so a resend can be recognised. */
    id: string;
    time: string;
    rule: string;
    kind: AlertRule["kind"];
    /** Refused before it ran (block-and-notify), or only seen (notify). */
    blocked: boolean;
    /** Refused, and the agent's tools paused until `clawcage resume` (block-and-pause). */
    paused: boolean;
    /** What matched: the command, file or host. */
    subject: string;
    /** The act: a tool call and its arguments, or a request out. */
    act: string;
    /** Who: the OpenClaw session, or the client address at the proxy. */
    actor?: string;
    source: "gateway" | "egress";
}

interface RecordLine {
    time?: string;
    event?: string;
    actor?: { session?: string };
    tool?: string;
    toolCallId?: string;
    params?: unknown;
    decision?: string;
    layer?: string;
    alerts?: { rule: string; kind: AlertRule["kind"]; action: AlertRule["action"]; subject: string }[];
}

const parse = <T>(line: string): T | undefined => {
    try {
        return JSON.parse(line) as T;
    } catch {
        return undefined;
    }
};

/** The tool-search bridge: its inner call is recorded on its own, so an allowed bridge call raises nothing itself. */
const BRIDGE = "tool_call";

/** The alerts of one line of the audit plugin's record; `at` is where the line starts in its file. */
export function recordAlerts(line: string, at: string): Alert[] {
    const r = parse<RecordLine>(line);
    if (!r || r.event !== "tool_call" || !r.alerts?.length || !r.time) return [];
    if (r.tool === BRIDGE && r.decision !== "denied") return [];
    return r.alerts.map((a) => {
        const blocked = r.decision === "denied" && r.layer === `alert rule ${a.rule}`;
        return {
            id: `${at}:${a.rule}`,
            time: r.time ?? "",
            rule: a.rule,
            kind: a.kind,
            blocked,
            paused: blocked && a.action === "block-and-pause",
            subject: a.subject,
            act: `${r.tool ?? "?"} ${JSON.stringify(r.params ?? {})}`,
            actor: r.actor?.session,
            source: "gateway",
        };
    });
}

interface SquidLine {
    time?: string;
    client?: string;
    method?: string;
    host?: string;
    port?: string;
    action?: string;
    status?: number;
}

/**
 * The host rules matched by one request out (squid's `clawcage_json` line, its time the proxy's UTC); with
 * `clients`, only for a request from those addresses (a team member's gateway network).
 */
export function egressAlerts(line: string, at: string, rules: readonly AlertRule[], clients?: net.BlockList): Alert[] {
    const r = parse<SquidLine>(line);
    if (!r || !r.time || !r.host || r.host === "-") return [];
    if (clients && !(r.client && net.isIPv4(r.client) && clients.check(r.client, "ipv4"))) return [];
    const host = r.host;
    return rules
        .filter((rule) => rule.kind === "host" && new RegExp(rule.pattern).test(host))
        .map((rule) => ({
            id: `${at}:${rule.name}`,
            time: new Date(`${r.time}Z`).toISOString(),
            rule: rule.name,
            kind: rule.kind,
            // The proxy refuses every name off its allowlist: a matched host it refused was blocked there.
            blocked: (r.action ?? "").includes("DENIED"),
            paused: false,
            subject: host,
            act: `${r.method ?? "?"} ${host}:${r.port ?? "?"} ${r.action ?? "?"}/${r.status ?? "?"}`,
            actor: r.client,
            source: "egress",
        }));
}

/** One line a person reads first: which rule, blocked or not, what. */
export const alertTitle = (a: Alert): string => `clawcage alert ${a.rule}: ${decision(a)} ${a.kind} ${a.subject}`;

/** What the alert's rule did: seen, blocked, or blocked with the agent's tools paused. */
const decision = (a: Alert): "seen" | "blocked" | "paused" => (a.paused ? "paused" : a.blocked ? "blocked" : "seen");

/** The decision in a sentence, for the mail's body. */
const DECISION_TEXT: Record<ReturnType<typeof decision>, string> = {
    seen: "seen, not blocked",
    blocked: "blocked before it ran",
    paused: "blocked before it ran; the agent's tools are paused until `clawcage resume`",
};

/** A Slack-compatible incoming-webhook body (`text`), with the alert itself beside it for other receivers. */
export function webhookBody(a: Alert): { text: string; clawcage: Alert } {
    return { text: `${alertTitle(a)}\n${a.act}${a.actor ? `\nby ${a.actor}` : ""}\nat ${a.time} (${a.source})`, clawcage: a };
}

/**
 * A mail for the alert; its Message-ID carries the alert's id, so a resend is the same message. The rule and the
 * decision are headers too, for a mail filter (and a reader that does not decode the body).
 */
export function alertMail(a: Alert, from: string, to: readonly string[]): { from: string; to: string[]; subject: string; text: string; messageId: string; headers: Record<string, string> } {
    return {
        headers: { "X-Clawcage-Alert-Id": a.id, "X-Clawcage-Rule": a.rule, "X-Clawcage-Decision": decision(a) },
        from,
        to: [...to],
        subject: `[clawcage] ${alertTitle(a)}`,
        text: [`Rule: ${a.rule} (${a.kind})`, `Decision: ${DECISION_TEXT[decision(a)]}`, `What: ${a.act}`, `Who: ${a.actor ?? "-"}`, `When: ${a.time}`, `Seen by: ${a.source}`, `Alert id: ${a.id}`].join("\n"),
        messageId: `<${a.id.replace(/[^A-Za-z0-9.:-]/g, "-")}@clawcage.alert>`,
    };
}
