import { z } from "zod";
import { ITEMS, routineItem, type RoutineItem } from "./item";
import { parseOpenClawJson } from "../../live/openclawOutput";

/** The fields of an `openclaw audit --json` event this checklist reads; OpenClaw's recorder writes more. */
const auditEventSchema = z.looseObject({
    kind: z.string(),
    action: z.string(),
    status: z.string(),
    toolName: z.string().nullish(),
    runId: z.string().nullish(),
});

/** One page of `openclaw audit --json`: `nextCursor` says more events exist than the page holds. */
const auditPageSchema = z.looseObject({ events: z.array(auditEventSchema), nextCursor: z.unknown().optional() });

export type AuditEvent = z.output<typeof auditEventSchema>;
export type AuditPage = z.output<typeof auditPageSchema>;

/**
 * Reads what `openclaw audit --json` printed (notices may precede the document). A shape this checklist does
 * not know fails the item with the field that differs, instead of a count of zero that would read as "nothing
 * happened".
 */
export function parseAuditPage(output: string): AuditPage {
    return parseOpenClawJson("openclaw audit --json", output, auditPageSchema);
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
    const runIds = [...new Set(refused.map((e) => e.runId).filter((r): r is string => typeof r === "string"))].slice(0, 3);
    const advice = `Read what led to them: ${runIds.map((r) => `\`openclaw audit --run ${r} --explain\``).join(", ") || "`openclaw audit --status blocked`"} (inside the gateway container), and the sessions they belong to. Repeated blocked exec or file tools can be a prompt injection probing the tool policy; if it looks deliberate, follow the guide's emergency response.`;
    return routineItem(ITEMS.auditLedger, refused.length > 0 ? "warn" : "ok", observed, advice);
}
