/**
 * What the audit plugin knows about one tool call, kept free of OpenClaw and of I/O so the unit tests run it:
 * the subjects a call touches (commands, files, hosts), the alert rules they match, the decision, and the
 * JSON-lines record, with every secret the gateway holds masked before anything is written.
 */

import type { AlertRule, AuditPluginConfig } from "./config";

/** The plugin's id: its manifest, `plugins.allow` and `plugins.entries` name it. */
export const AUDIT_PLUGIN_ID = "clawcage-audit";

export type RuleKind = AlertRule["kind"];
export type { AuditPluginConfig };

export type Subjects = Record<RuleKind, string[]>;

export interface RuleMatch {
    rule: string;
    kind: RuleKind;
    action: AlertRule["action"];
    subject: string;
}

export interface Actor {
    session?: string;
    agent?: string;
    channel?: string;
    sender?: string;
}

/** One line of the audit stream. `layer` names what decided when the decision is "denied". */
export interface AuditRecord {
    time: string;
    source: "gateway";
    event: "tool_call" | "tool_result" | "prompt";
    actor: Actor;
    tool?: string;
    toolCallId?: string;
    params?: unknown;
    subjects?: Subjects;
    decision: "allowed" | "denied" | "failed";
    layer?: string;
    reason?: string;
    alerts?: RuleMatch[];
    prompt?: string;
    durationMs?: number;
}

const PATH_KEYS = new Set(["path", "file_path", "filePath", "paths", "file", "files", "workdir", "cwd", "dir", "directory"]);
const COMMAND_KEYS = new Set(["command", "cmd"]);
const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi;

/** Every string under a value, with the key that holds it. */
function strings(value: unknown, key = ""): { key: string; text: string }[] {
    if (typeof value === "string") return [{ key, text: value }];
    if (Array.isArray(value)) return value.flatMap((v) => strings(v, key));
    if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => strings(v, k));
    return [];
}

function hostOf(url: string): string | undefined {
    try {
        return new URL(url).hostname || undefined;
    } catch {
        return undefined;
    }
}

/** A command's words that name files: anything with a slash or starting at home (`~/.ssh/id_rsa`, `../x`). */
const pathWords = (command: string): string[] => command.split(/[\s;|&<>()'"=]+/).filter((w) => w.includes("/") || w.startsWith("~"));

/**
 * What a call touches, by rule kind: the commands it runs, the files it names (path arguments, the host's own
 * derived paths, and the path words of its commands) and the hosts of every URL in it.
 */
export function subjectsOf(params: unknown, derivedPaths: readonly string[] = []): Subjects {
    const all = strings(params);
    const command = all.filter((s) => COMMAND_KEYS.has(s.key)).map((s) => s.text);
    const file = [...all.filter((s) => PATH_KEYS.has(s.key)).map((s) => s.text), ...derivedPaths, ...command.flatMap(pathWords)];
    const host = all.flatMap((s) => [...s.text.matchAll(URL_PATTERN)].map((m) => hostOf(m[0]))).filter((h): h is string => h !== undefined);
    return { command: unique(command), file: unique(file), host: unique(host) };
}

const unique = (xs: string[]): string[] => [...new Set(xs)];

/** The rules a call's subjects match, each once with the first subject that matched it. */
export function matchRules(rules: AlertRule[], subjects: Subjects): RuleMatch[] {
    return rules.flatMap((rule) => {
        const pattern = new RegExp(rule.pattern);
        const subject = subjects[rule.kind].find((s) => pattern.test(s));
        return subject === undefined ? [] : [{ rule: rule.name, kind: rule.kind, action: rule.action, subject }];
    });
}

/** The first match whose rule blocks (and may pause), if any: the call is refused before the tool runs. */
export const blockingMatch = (matches: RuleMatch[]): RuleMatch | undefined => matches.find((m) => m.action !== "notify");

/** What the pause flag holds: which rule paused the agent's tools, when, on what. */
export interface Pause {
    rule: string;
    time: string;
    subject: string;
}

/**
 * Which layer refused a call that failed, read from the error OpenClaw hands back (the messages measured by the
 * hostile suite); undefined for an ordinary failure (a missing file, a command that exited non-zero).
 */
export function refusingLayer(error: string): string | undefined {
    for (const [pattern, layer] of REFUSALS) {
        const m = pattern.exec(error);
        if (m) return layer.replace("$1", m[1] ?? "");
    }
    return undefined;
}

/** What the model is told when the plugin refuses a call (and how the refusal is read back from the error). */
export const ruleRefusal = (m: RuleMatch): string => `clawcage: refused by the alert rule '${m.rule}' (${m.kind} matched)`;
/** The pause flag's text as a Pause; a flag that cannot be read still pauses (the operator removes it with `clawcage resume`). */
export function parsePause(text: string): Pause {
    try {
        return JSON.parse(text) as Pause;
    } catch {
        return { rule: "unknown (unreadable pause flag)", time: "?", subject: "" };
    }
}

export const pausedRefusal = (p: Pause): string => `clawcage: the agent's tools are paused since ${p.time} by the alert rule '${p.rule}'; the operator resumes them with \`clawcage resume\``;
export const NO_ROOM_REFUSAL = "clawcage audit: the audit log has no room left on the logs volume; the operator must free space";

/** Error text → the layer that refused; `$1` is the pattern's first group. */
const REFUSALS: [RegExp, string][] = [
    [/^clawcage: refused by the alert rule '([^']+)'/, "alert rule $1"],
    [new RegExp(`^${NO_ROOM_REFUSAL}`), "audit log without room"],
    [/Unknown tool id|Tool \S+ not found/i, "tool policy"],
    [/Path escapes sandbox root|Symlink escapes/, "file tools held to the workspace"],
    [/exec denied: allowlist miss/, "exec allowlist"],
    [/^clawcage: git does not run/m, "git guard"],
    [/EROFS|read-only file system/i, "read-only mount"],
    [/Proxy response \(403\)/, "egress proxy"],
    [/Blocked hostname or private\/internal\/special-use IP address/, "OpenClaw's SSRF guard"],
];

/** Key formats masked even when the gateway never held them (a model may still write one into a call). */
const KEY_FORMATS = [
    /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
    /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
    /\bsk-[A-Za-z0-9_-]{16,}/g,
];
const MASK = "[masked]";
/** Long strings (a file written whole) are cut: the record says what was done, not everything written. */
const MAX_STRING = 2000;

/** A copy of a value with every secret and key format masked and long strings cut. */
export function masked(value: unknown, secrets: readonly string[]): unknown {
    if (typeof value === "string") return maskText(value, secrets);
    if (Array.isArray(value)) return value.map((v) => masked(v, secrets));
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v, secrets)]));
    return value;
}

function maskText(text: string, secrets: readonly string[]): string {
    let out = text;
    for (const secret of secrets) out = out.split(secret).join(MASK);
    for (const format of KEY_FORMATS) out = out.replace(format, MASK);
    return out.length > MAX_STRING ? `${out.slice(0, MAX_STRING)}… (${out.length - MAX_STRING} more characters)` : out;
}

/** The secret values worth masking: whole file contents and each non-empty line, trimmed (a token file ends in a newline). */
export function secretValues(contents: readonly string[]): string[] {
    const values = contents.flatMap((c) => [c.trim(), ...c.split("\n").map((l) => l.trim())]);
    // Short values (a PEM's dashes line, a bare word) would mask ordinary text.
    return unique(values.filter((v) => v.length >= 12 && !/^-----/.test(v))).sort((a, b) => b.length - a.length);
}

/** One JSON line, masked. */
export const auditLine = (record: AuditRecord, secrets: readonly string[]): string => `${JSON.stringify(masked(record, secrets))}\n`;
