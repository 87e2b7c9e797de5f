/**
 * The alert watcher's loop (run in its own container by jiti, like the audit plugin in the gateway): it reads the
 * audit plugin's record and the egress proxy's access log from the positions it keeps on disk, and delivers each
 * alert to the webhook and by mail through the egress proxy before it moves past the line. A delivery that fails
 * is retried until it goes through: no alert is dropped, and none is sent twice unless the watcher dies between a
 * delivery and the position's write, or is stopped while one destination is down (the alert's id, in the webhook
 * body and the mail's headers, tells).
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as tls from "node:tls";
import { alertMail, egressAlerts, recordAlerts, webhookBody, type Alert } from "./alerts";
import { newLines, Positions, type Position } from "./tail";
import type { WatcherConfig, WatcherSecrets } from "./config";

interface Mailer {
    sendMail(message: ReturnType<typeof alertMail>): Promise<unknown>;
}
interface Nodemailer {
    createTransport(options: Record<string, unknown>): Mailer;
}

/** How long one delivery may take before it counts as failed and is retried. */
const DELIVERY_TIMEOUT_MS = 30_000;

// The settings file is the command's argument (the component writes it); the secrets sit beside it.
const config = JSON.parse(fs.readFileSync(process.argv[2] ?? "/etc/clawcage/watcher.json", "utf8")) as WatcherConfig;
const secrets = JSON.parse(fs.readFileSync(config.secretsFile, "utf8")) as WatcherSecrets;
const positions = new Positions(config.positionsFile);
// A company CA beside the public ones, for every TLS connection of this process: fetch's and nodemailer's. These
// are Node 24's (the image's); the package's @types/node is the CLI's Node 20.
const defaults = tls as typeof tls & { getCACertificates(which: "default"): string[]; setDefaultCACertificates(certs: string[]): void };
if (config.caCertificate) defaults.setDefaultCACertificates([...defaults.getCACertificates("default"), config.caCertificate]);
// nodemailer is installed in the image, not in this package: loaded at run time by name.
const mailer = config.mail
    ? (require("nodemailer") as Nodemailer).createTransport({
          host: config.mail.transport.host,
          port: config.mail.transport.port,
          secure: config.mail.transport.secure,
          // One connection kept open and reused: a burst of alerts is not a burst of TLS handshakes and logins.
          pool: true,
          maxConnections: 1,
          connectionTimeout: DELIVERY_TIMEOUT_MS,
          greetingTimeout: DELIVERY_TIMEOUT_MS,
          socketTimeout: DELIVERY_TIMEOUT_MS,
          // 587 must upgrade to TLS: a server that does not offer STARTTLS gets no password.
          requireTLS: !config.mail.transport.secure,
          auth: { user: config.mail.transport.user, pass: secrets.mailPassword },
          proxy: config.proxyUrl,
      })
    : undefined;

const log = (message: string, fields: Record<string, unknown> = {}) => console.log(JSON.stringify({ time: new Date().toISOString(), message, ...fields }));

/** Where each alert goes; each is sent on its own, so a retry never sends again to the one that took it. */
interface Destination {
    name: "webhook" | "mail";
    send(alert: Alert): Promise<void>;
}

const destinations: Destination[] = [];
const webhookUrl = secrets.webhookUrl;
if (webhookUrl) {
    destinations.push({
        name: "webhook",
        async send(alert) {
            // A webhook that never answers (a dead address behind the proxy) is a failure to retry, not a wait forever.
            const r = await fetch(webhookUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(webhookBody(alert)), signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) });
            if (!r.ok) throw new Error(`webhook answered ${r.status}`);
        },
    });
}
const mail = config.mail;
if (mailer && mail) destinations.push({ name: "mail", send: async (alert) => void (await mailer.sendMail(alertMail(alert, mail.from, mail.to))) });

let stopping = false;
process.on("SIGTERM", () => {
    // Finish the alert in hand and save its position; the loop then ends.
    stopping = true;
});

/** Waits `ms`, or less when the watcher is told to stop. */
async function sleepUnlessStopping(ms: number): Promise<void> {
    for (const until = Date.now() + ms; Date.now() < until && !stopping; ) await new Promise((resolve) => setTimeout(resolve, Math.min(200, until - Date.now())));
}

/**
 * Sends to one destination until it takes the alert, waiting longer after each failure (up to a minute); false
 * when the watcher is stopping first (the line then stays past the saved position, and is dealt with next start).
 */
async function sendSurely(alert: Alert, d: Destination): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
        try {
            await d.send(alert);
            log("alert sent", { id: alert.id, to: d.name, rule: alert.rule, blocked: alert.blocked, paused: alert.paused });
            return true;
        } catch (e) {
            if (stopping) return false;
            const wait = Math.min(60_000, 1000 * 2 ** attempt);
            log("alert not delivered, retrying", { id: alert.id, to: d.name, error: (e as Error).message, retryInMs: wait });
            await sleepUnlessStopping(wait);
        }
    }
}

/** Every alert of a line to every destination; false when the watcher stopped before all went out. */
async function deliverAll(alerts: Alert[]): Promise<boolean> {
    for (const alert of alerts) for (const d of destinations) if (!(await sendSurely(alert, d))) return false;
    return true;
}

/** A team member's gateway network, when the proxy's log is the whole team's. */
function egressClients(cidr: string | undefined): net.BlockList | undefined {
    if (!cidr) return undefined;
    const [address, prefix] = cidr.split("/");
    const list = new net.BlockList();
    list.addSubnet(address, Number(prefix), "ipv4");
    return list;
}
const clients = egressClients(config.egressClients);

const watched: { file: string; alerts: (line: string, id: string) => Alert[] }[] = [
    { file: config.recordFile, alerts: (line, id) => recordAlerts(line, `record:${id}`) },
    { file: config.egressLogFile, alerts: (line, id) => egressAlerts(line, `egress:${id}`, config.rules, clients) },
];

async function run(): Promise<void> {
    // A file met for the first time holds history, not news: alerts start from its end as it is now. A file that
    // appears later is all news, and is read from its start.
    for (const w of watched) {
        const s = fs.statSync(w.file, { throwIfNoEntry: false });
        if (s && !positions.of(w.file)) positions.save(w.file, { inode: s.ino, offset: s.size });
    }
    log("watching", { files: watched.map((w) => w.file) });
    while (!stopping) {
        // Touched once a pass has delivered everything it read: the health check sees a watcher stuck on a delivery.
        fs.writeFileSync(config.heartbeatFile, new Date().toISOString());
        let worked = false;
        for (const w of watched) {
            const lines = newLines(w.file, positions.of(w.file));
            let done: Position | undefined;
            for (const line of lines) {
                const alerts = w.alerts(line.text, line.id);
                if (!(await deliverAll(alerts))) break;
                done = line.next;
                // Saved at once after an alert went out; lines without one are saved with the batch.
                if (alerts.length > 0) positions.save(w.file, done);
                // Stopping: the lines not dealt with stay past the saved position, for the next start.
                if (stopping) break;
            }
            if (done) positions.save(w.file, done);
            worked ||= lines.length > 0;
            if (stopping) return;
        }
        if (!worked) await sleepUnlessStopping(config.pollMs);
    }
}

run().then(
    () => process.exit(0),
    (e: unknown) => {
        log("watcher failed", { error: (e as Error).stack });
        process.exit(1);
    },
);
