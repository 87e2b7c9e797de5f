import * as crypto from "node:crypto";
import * as path from "node:path";
import { docker } from "../../cli/live/docker";
import type { LiveDeployment } from "../../cli/verify/check";
import { shellQuote } from "../../components/host/hostScript";
import { ALERT_SECRET_KEYS } from "../../components/watcher/deliveries";
import type { DeploymentSettings } from "../../components/settings/schema";
import { makeTestCertificates } from "./certificates";
import { auditLine, matchRules, subjectsOf, type AuditRecord } from "../../components/gateway/auditPlugin/record";
import type { AlertRule } from "../../components/gateway/auditPlugin/config";

/**
 * Where the e2e deployment's alerts go: a webhook stub (HTTPS) and a real SMTP server (the maintained
 * `smtp-server` package, STARTTLS and AUTH required), both on the egress network under the names the e2e stack
 * declares, their certificate signed by a CA made for this run and given to the watcher as `alerts.caCertificate`.
 * Each stub prints one JSON line per alert it accepted; the webhook's URL and the mail password are made per run.
 */

export const WEBHOOK_STUB = "clawcage-e2e-webhook";
export const SMTP_STUB = "clawcage-e2e-smtp";

interface AlertFixtures {
    certDir: string;
    caCertificate: string;
    webhookPath: string;
    mailPassword: string;
}

let made: AlertFixtures | undefined;

/** The run's CA, the stubs' certificate (both names), the webhook's secret path and the mail password; made once. */
export function alertFixtures(settings: DeploymentSettings): AlertFixtures {
    if (made) return made;
    const names = [settings.alerts.webhook?.host, settings.alerts.mail?.host].filter((n): n is string => n !== undefined);
    if (names.length < 2) throw new Error("the e2e stack declares no alerts.webhook and alerts.mail: the alert stubs have no names");
    const certs = makeTestCertificates(names, "clawcage-e2e-alerts-");
    made = {
        certDir: certs.dir,
        caCertificate: certs.caPem,
        webhookPath: `/services/e2e/${crypto.randomBytes(12).toString("hex")}`,
        mailPassword: crypto.randomBytes(12).toString("hex"),
    };
    return made;
}

/** The secret config of the deliveries, and the CA in the settings. */
export function alertConfig(settings: DeploymentSettings): { secrets: Record<string, string>; caCertificate: string } {
    const f = alertFixtures(settings);
    return {
        secrets: { [`clawcage:${ALERT_SECRET_KEYS.webhookUrl}`]: `https://${settings.alerts.webhook?.host}${f.webhookPath}`, [`clawcage:${ALERT_SECRET_KEYS.mailPassword}`]: f.mailPassword },
        caCertificate: f.caCertificate,
    };
}

/** The two stubs' `docker run` arguments, on the egress network under the declared names. */
export function alertStubArgs(settings: DeploymentSettings, egressNetwork: string, nodeImage: string, nodeModules: string): string[][] {
    const f = alertFixtures(settings);
    const mail = settings.alerts.mail;
    const common = (name: string, host: string | undefined) => ["--name", name, "--network", egressNetwork, "--network-alias", host ?? "", "-v", `${f.certDir}:/certs:ro`, "-v", `${path.join(__dirname, "stubs")}:/stubs:ro`];
    return [
        [...common(WEBHOOK_STUB, settings.alerts.webhook?.host), "-e", `WEBHOOK_PATH=${f.webhookPath}`, nodeImage, "node", "/stubs/webhook.js"],
        [...common(SMTP_STUB, mail?.host), "-v", `${nodeModules}:/node_modules:ro`, "-e", `SMTP_PORT=${mail?.port}`, "-e", `SMTP_USER=${mail?.user}`, "-e", `SMTP_PASSWORD=${f.mailPassword}`, nodeImage, "node", "/stubs/smtp.js"],
    ];
}

/** One alert as a stub received it: its id, rule and whether it was blocked; the mail's TLS and login. */
export interface Received {
    id: string;
    rule: string;
    blocked: boolean;
    paused: boolean;
    time: string;
    tls?: boolean;
    user?: string;
}

/** What each stub has received so far. */
export async function receivedAlerts(): Promise<{ webhook: Received[]; mail: Received[] }> {
    const read = async (container: string) => {
        const r = await docker(["logs", container], { timeoutMs: 60_000 });
        return r.stdout
            .split("\n")
            .filter((l) => l.startsWith("{"))
            .map((l) => JSON.parse(l) as Received);
    };
    return { webhook: await read(WEBHOOK_STUB), mail: await read(SMTP_STUB) };
}

/**
 * `n` tool calls reading a decoy key, each matching the secret-file rule of `rules` (set to notify), as the audit
 * plugin writes them (its own auditLine and rule matching): the events the watcher's tests and bench feed it.
 */
export function secretFileReads(rules: readonly AlertRule[], tag: string, n: number): string {
    const notifying = rules.map((r) => ({ ...r, action: "notify" as const }));
    let text = "";
    for (let i = 0; i < n; i++) {
        const params = { path: `/home/op/.ssh/${tag}-${i}` };
        const record: AuditRecord = { time: new Date().toISOString(), source: "gateway", event: "tool_call", actor: { session: `agent:main:${tag}` }, tool: "read", toolCallId: `${tag}-${i}`, params, decision: "allowed", alerts: matchRules(notifying, subjectsOf(params)) };
        text += auditLine(record, []);
    }
    return text;
}

/** How long an alert may take from the act to both stubs: the watcher polls each second, deliveries take well under one. */
export const ALERT_DEADLINE_MS = 30_000;

/** Whether the watcher has dealt with everything its two files hold now (its saved positions are at their ends). */
async function caughtUp(live: LiveDeployment): Promise<boolean> {
    const files = [live.layout.gatewayAuditFile, path.posix.join(live.layout.egressLogs, "access.log")];
    const r = await live.onHost(`cat ${shellQuote(path.posix.join(live.layout.watcherState, "positions.json"))} 2>/dev/null; echo; stat -c '%i %s' ${files.map(shellQuote).join(" ")}`);
    const [positionsText, ...stats] = r.stdout.split("\n");
    const positions = Object.values(JSON.parse(positionsText || "{}") as Record<string, { inode: number; offset: number }>);
    return stats.filter(Boolean).every((line) => {
        const [inode, size] = line.split(" ").map(Number);
        return size === 0 || positions.some((p) => p.inode === inode && p.offset === size);
    });
}

/**
 * The alerts both stubs received since `since`, once the watcher has caught up with what was written (at most
 * `deadlineMs`), each as `<rule> seen|blocked|paused`, sorted; plus how many mails came without TLS or login.
 */
export interface Delivered {
    webhook: string[];
    mail: string[];
    /** Mails that came without TLS or without the login (all of them, not only since). */
    insecureMail: number;
}

export async function deliveredSince(live: LiveDeployment, since: number, deadlineMs = ALERT_DEADLINE_MS): Promise<Delivered> {
    const started = Date.now();
    while (!(await caughtUp(live))) {
        if (Date.now() - started > deadlineMs) throw new Error(`the alert watcher did not catch up within ${deadlineMs / 1000} s`);
        await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const got = await receivedAlerts();
    const summary = (list: Received[]) => list.filter((a) => Date.parse(a.time) >= since).map((a) => `${a.rule} ${a.paused ? "paused" : a.blocked ? "blocked" : "seen"}`).sort();
    return { webhook: summary(got.webhook), mail: summary(got.mail), insecureMail: got.mail.filter((m) => !m.tls || !m.user).length };
}
