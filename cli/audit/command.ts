import * as path from "node:path";
import { shellQuote } from "../../components/host/hostScript";
import { docker } from "../live/docker";
import type { LiveDeployment } from "../verify/check";
import { DECISIONS, egressEvents, formatEvent, gatewayEvents, ingressEvents, joinEvents, parseSince, type AuditEvent, type AuditFilter } from "./stream";

/**
 * `clawcage audit`: the deployment's audit stream, read from where each part is written (the audit plugin's
 * record and squid's access log on the host, haproxy's log in docker), joined and filtered; `--follow` keeps
 * reading what is added, the guide's live tail.
 */

export interface AuditOptions {
    since: string;
    actor?: string;
    decision?: string;
    json?: boolean;
    follow?: boolean;
}

/** A source that hands back only what was added since the last read, whole lines only. */
interface Source {
    read(): Promise<AuditEvent[]>;
}

/**
 * A file on the host, read from a byte offset. The first read takes the rotated file before it (`.1`) too; a file
 * that shrank was rotated, and is read again from its start.
 */
function hostLog(d: LiveDeployment, file: string, toEvents: (text: string) => AuditEvent[], withRotated: boolean): Source {
    let offset = 0;
    let first = true;
    const f = shellQuote(file);
    return {
        async read() {
            const rotated = first && withRotated ? (await d.onHost(`cat ${shellQuote(`${file}.1`)} 2>/dev/null; true`)).stdout : "";
            first = false;
            // The size first, then the bytes up to it: what is appended meanwhile waits for the next read.
            const r = await d.onHost(`size=$(stat -c %s ${f} 2>/dev/null || echo 0); echo "$size"; tail -c +${offset + 1} ${f} 2>/dev/null | head -c $(( size > ${offset} ? size - ${offset} : 0 )); true`);
            const [sizeLine, ...rest] = r.stdout.split("\n");
            if (Number(sizeLine) < offset) {
                offset = 0;
                return toEvents(rotated);
            }
            const text = rest.join("\n");
            // Only whole lines: a line still being written is read next time.
            const whole = text.slice(0, text.lastIndexOf("\n") + 1);
            offset += Buffer.byteLength(whole);
            return toEvents(`${rotated}${whole}`);
        },
    };
}

/**
 * A container's log through docker, each read skipping the lines already handed back. docker keeps the log
 * rotated (10 MB, 5 files), so a long `--follow` re-reads at most that much every round.
 */
function containerLog(container: string, since: Date, toEvents: (text: string) => AuditEvent[]): Source {
    let seen = 0;
    return {
        async read() {
            const r = await docker(["logs", "--since", since.toISOString(), container], { timeoutMs: 120_000 });
            if (r.code !== 0) throw new Error(`docker logs ${container}: ${r.stderr.trim()}`);
            const lines = `${r.stdout}${r.stderr}`.split("\n").filter(Boolean);
            const fresh = lines.slice(seen);
            seen = lines.length;
            return toEvents(fresh.join("\n"));
        },
    };
}

export function auditFilter(o: AuditOptions, now = new Date()): AuditFilter {
    if (o.decision !== undefined && !(DECISIONS as readonly string[]).includes(o.decision)) {
        throw new Error(`--decision ${JSON.stringify(o.decision)}: give one of ${DECISIONS.join(", ")}`);
    }
    return { since: parseSince(o.since, now), actor: o.actor, decision: o.decision as AuditEvent["decision"] | undefined };
}

/** Prints the stream (and with `follow`, what is added every two seconds until interrupted); the number of events. */
export async function audit(d: LiveDeployment, o: AuditOptions, print: (line: string) => void): Promise<number> {
    const filter = auditFilter(o);
    const sources: Source[] = [
        hostLog(d, d.layout.gatewayAuditFile, gatewayEvents, true),
        hostLog(d, path.posix.join(d.layout.egressLogs, "access.log"), egressEvents, false),
        ...(d.ingressProxy && filter.since ? [containerLog(d.ingressProxy, filter.since, ingressEvents)] : []),
    ];
    let count = 0;
    for (;;) {
        const events = joinEvents(await Promise.all(sources.map((s) => s.read())), filter);
        for (const e of events) print(o.json ? JSON.stringify(e) : formatEvent(e));
        count += events.length;
        if (!o.follow) return count;
        await new Promise((resolve) => setTimeout(resolve, 2000));
    }
}
