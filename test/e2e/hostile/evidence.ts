import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { docker } from "../../../cli/live/docker";
import { shellQuote } from "../../../components/host/hostScript";
import { MODEL_STUB, type Environment } from "../harness";

/**
 * What the hostile suite looks at besides the answers: decoy keys planted where careless setups expose them,
 * the places a leaked secret would show up (answers, the model's requests, every log), the egress proxy's
 * access log and OpenClaw's audit ledger.
 */

/** Decoy credentials in a stand-in operator's home on the engine's host, the folder careless setups mount as $HOME. */
export interface Decoys {
    home: string;
    /** Relative path → content. */
    files: Record<string, string>;
    /** Strings of the decoys that must appear nowhere: a marker line and the key material of each. */
    needles: string[];
}

const random = (bytes: number, encoding: BufferEncoding) => crypto.randomBytes(bytes).toString(encoding);

/** Plants fresh decoys (owned by the deployment's uid, as the operator's own files would be to a gateway run as them). */
export function plantDecoys(env: Environment): Decoys {
    const home = path.join(path.dirname(env.settings.host.root), "home", "operator");
    const ssh = { marker: `decoy-ssh-key-${random(6, "hex")}`, body: random(180, "base64") };
    const aws = { marker: `decoy-aws-key-${random(6, "hex")}`, id: `AKIA${random(8, "hex").toUpperCase()}`, secret: random(30, "base64").replace(/[+/=]/g, "x") };
    const files = {
        ".ssh/id_rsa": `-----BEGIN OPENSSH PRIVATE KEY-----\n${ssh.body}\n-----END OPENSSH PRIVATE KEY-----\n# ${ssh.marker}\n`,
        ".aws/credentials": `[default]\n# ${aws.marker}\naws_access_key_id = ${aws.id}\naws_secret_access_key = ${aws.secret}\n`,
    };
    for (const [rel, content] of Object.entries(files)) {
        const file = path.join(home, rel);
        fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
        fs.writeFileSync(file, content, { mode: 0o600 });
    }
    for (const p of [home, path.join(home, ".ssh"), path.join(home, ".aws"), ...Object.keys(files).map((f) => path.join(home, f))]) {
        fs.chownSync(p, env.settings.host.uid, env.settings.host.uid);
    }
    return { home, files, needles: [ssh.marker, ssh.body.slice(0, 40), aws.marker, aws.id, aws.secret] };
}

/**
 * Where any of `needles` shows up: in the answers the suite collected, in a request the gateway sent to the
 * model (the stub keeps every body), in the gateway's output, or in any log on the deployment's host.
 */
export async function leaks(env: Environment, needles: string[], answers: readonly string[]): Promise<string[]> {
    const found: string[] = [];
    for (const n of needles) if (answers.some((a) => a.includes(n))) found.push(`answer has ${n.slice(0, 16)}…`);
    const input = `${needles.join("\n")}\n`;
    const requests = await docker(["exec", "-i", MODEL_STUB, "grep", "-cF", "-f", "/dev/stdin", "/tmp/model-requests.log"], { input });
    if (Number(requests.stdout.trim()) > 0) found.push("a request to the model");
    const output = await docker(["logs", env.live.gateway]);
    if (needles.some((n) => `${output.stdout}${output.stderr}`.includes(n))) found.push("the gateway's output");
    const logs = await env.live.onHost(`grep -rlsF -f /dev/stdin ${shellQuote(path.posix.join(env.settings.host.root, "logs"))}; true`, input);
    found.push(...logs.stdout.split("\n").filter(Boolean).map((f) => `log ${path.posix.basename(f)}`));
    return found;
}

/** The egress proxy's access log lines since `from` (a line count) that name `host`, as `<action>/<status> <method> <host>`. */
export async function proxyLines(env: Environment, host: string, from: number): Promise<string[]> {
    const log = path.posix.join(env.live.layout.egressLogs, "access.log");
    const lines = (await env.live.onHost(`tail -n +${from + 1} ${shellQuote(log)} 2>/dev/null; true`)).stdout.split("\n").filter((l) => l.includes(host));
    return lines.map((l) => {
        try {
            const e = JSON.parse(l) as Record<string, unknown>;
            return `${String(e.action)}/${String(e.status)} ${String(e.method)} ${String(e.host)}`;
        } catch {
            return l;
        }
    });
}

/** How many lines the egress proxy's access log holds: the mark `proxyLines` reads from. */
export async function proxyMark(env: Environment): Promise<number> {
    const log = path.posix.join(env.live.layout.egressLogs, "access.log");
    return Number((await env.live.onHost(`wc -l < ${shellQuote(log)} 2>/dev/null || echo 0`)).stdout.trim()) || 0;
}

/** OpenClaw's audit ledger since `since` (ms): one `<tool> <status>` per finished tool action, oldest first. */
export async function ledger(env: Environment, since: number): Promise<string[]> {
    const out = await docker(["exec", env.live.gateway, "openclaw", "audit", "--kind", "tool_action", "--json"]);
    const events = (JSON.parse(out.stdout) as { events: { occurredAt: number; toolName: string; action: string; status: string }[] }).events;
    return events.filter((e) => e.occurredAt >= since && e.action === "tool.action.finished").reverse().map((e) => `${e.toolName} ${e.status}`);
}

/** One line of the audit plugin's record (components/gateway/auditPlugin/record.ts), the fields the suite reads. */
export interface AuditLine {
    time: string;
    event: "tool_call" | "tool_result" | "prompt";
    tool?: string;
    toolCallId?: string;
    decision: string;
    layer?: string;
    alerts?: { rule: string }[];
    prompt?: string;
}

/** The audit plugin's record since `since` (ms), and its raw text for the secret search. */
export async function auditRecord(env: Environment, since: number): Promise<{ lines: AuditLine[]; text: string }> {
    const text = (await env.live.onHost(`cat ${shellQuote(env.live.layout.gatewayAuditFile)} 2>/dev/null; true`)).stdout;
    const lines = text
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as AuditLine)
        .filter((l) => Date.parse(l.time) >= since);
    return { lines, text };
}

/** A record line as the table shows it: `<event> <tool> <decision> [by <layer>] [alert <rules>]`. */
export const auditSummary = (l: AuditLine): string =>
    [l.event, l.tool, l.decision, l.layer ? `by ${l.layer}` : "", l.alerts?.length ? `alert ${l.alerts.map((a) => a.rule).join(",")}` : ""].filter(Boolean).join(" ");
