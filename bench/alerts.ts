import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { SMTPServer } from "smtp-server";
import { docker, dockerOk } from "../cli/live/docker";
import { parseSettings } from "../components/settings/parse";
import { imageTag } from "../components/images/localImage";
import { WATCHER_POLL_MS } from "../components/watcher/alertWatcher";
import type { WatcherConfig } from "../components/watcher/config";
import { makeTestCertificates } from "../test/e2e/certificates";
import { secretFileReads } from "../test/e2e/alertStubs";
import { ensureBaseImages, localCaCerts } from "../test/e2e/images";
import { median } from "./results";

/**
 * The time from an event in the audit record to its alert at a webhook and a mail server, through the real
 * watcher image, beside a baseline run in the same image on the same transports: the same two deliveries made
 * directly, with no record, no polling, no positions. Both go through a CONNECT proxy on loopback (squid's stand-in)
 * to an HTTPS webhook and an SMTP server with STARTTLS and a login (smtp-server), in this process.
 */

const EVENTS = 20;
const CONTAINER = "clawcage-bench-watcher";
/** The guide's rules, as a default deployment has them: the events match its secret-file rule. */
const RULES = parseSettings({}).alerts.rules;
const WATCHER_CONTEXT = path.join(__dirname, "..", "components", "watcher");

type Log = (line: string) => void;

/** The servers the alerts go to; each arrival's time by alert id. */
async function receivers(certs: { keyFile: string; certFile: string }): Promise<{ webhookPort: number; smtpPort: number; proxyPort: number; arrivals: Map<string, { webhook?: number; mail?: number }>; close(): void }> {
    const arrivals = new Map<string, { webhook?: number; mail?: number }>();
    const arrived = (id: string, where: "webhook" | "mail") => arrivals.set(id, { ...arrivals.get(id), [where]: Date.now() });
    const tls = { key: fs.readFileSync(certs.keyFile), cert: fs.readFileSync(certs.certFile) };
    const webhook = https.createServer(tls, (req, res) => {
        let body = "";
        req.on("data", (c: Buffer) => (body += c.toString()));
        req.on("end", () => {
            arrived((JSON.parse(body) as { clawcage: { id: string } }).clawcage.id, "webhook");
            res.end("ok");
        });
    });
    const smtp = new SMTPServer({
        ...tls,
        logger: false,
        authMethods: ["PLAIN", "LOGIN"],
        onAuth: (auth, _session, callback) => callback(null, { user: auth.username }),
        onData(stream, _session, callback) {
            let message = "";
            stream.on("data", (c: Buffer) => (message += c.toString()));
            stream.on("end", () => {
                const id = /^X-Clawcage-Alert-Id: ([^\r\n]*)/im.exec(message)?.[1]?.trim();
                if (id) arrived(id, "mail");
                callback();
            });
        },
    });
    // A CONNECT proxy: what squid does for the watcher, without its rules.
    const proxy = http.createServer((_req, res) => res.writeHead(405).end());
    proxy.on("connect", (req: http.IncomingMessage, client: net.Socket) => {
        const [host, port] = (req.url ?? "").split(":");
        const upstream = net.connect(Number(port), host, () => {
            client.write("HTTP/1.1 200 Connection established\r\n\r\n");
            upstream.pipe(client);
            client.pipe(upstream);
        });
        upstream.on("error", () => client.destroy());
        client.on("error", () => upstream.destroy());
    });
    const listen = (server: net.Server) => new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)));
    const [webhookPort, proxyPort] = [await listen(webhook), await listen(proxy)];
    const smtpPort = await new Promise<number>((resolve) => smtp.server.listen(0, "127.0.0.1", () => resolve((smtp.server.address() as net.AddressInfo).port)));
    return { webhookPort, smtpPort, proxyPort, arrivals, close: () => [webhook, proxy, smtp.server].forEach((s) => s.close()) };
}

/** The watcher's image as the deployment builds it on this machine's base (the e2e's), built when missing. */
async function watcherImage(log: Log): Promise<string> {
    const images = await ensureBaseImages(log);
    const buildArgs = { BASE_IMAGE: images.node, UID: "10001", EXTRA_CA_CERT: localCaCerts() ?? "" };
    const tag = imageTag({ repository: "clawcage/alert-watcher", context: WATCHER_CONTEXT, buildArgs });
    if ((await docker(["image", "inspect", tag])).code !== 0) {
        log(`building ${tag}`);
        await dockerOk(["build", "-q", ...Object.entries(buildArgs).flatMap(([k, v]) => ["--build-arg", `${k}=${v}`]), "-t", tag, WATCHER_CONTEXT], { timeoutMs: 900_000 });
    }
    return tag;
}

const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)];


async function until(check: () => boolean, what: string): Promise<void> {
    for (const started = Date.now(); !check(); await new Promise((resolve) => setTimeout(resolve, 5))) {
        if (Date.now() - started > 60_000) throw new Error(`${what}: not within 60 s`);
    }
}

/** The baseline: the same deliveries sent directly from the same image (fetch through the proxy, pooled nodemailer). */
const BASELINE = `
const nodemailer = require("nodemailer");
const c = JSON.parse(process.argv[1]);
const mailer = nodemailer.createTransport({ host: "localhost", port: c.smtpPort, secure: false, requireTLS: true, pool: true, maxConnections: 1, auth: { user: "bench", pass: "bench" }, proxy: c.proxy });
(async () => {
    const times = [];
    for (let i = 0; i < c.events; i++) {
        const id = "baseline:" + i;
        const started = Date.now();
        const r = await fetch(c.webhook, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: id, clawcage: { id } }) });
        if (!r.ok) throw new Error("webhook " + r.status);
        await mailer.sendMail({ from: "bench@localhost", to: "ops@localhost", subject: id, text: id, headers: { "X-Clawcage-Alert-Id": id } });
        times.push(Date.now() - started);
    }
    console.log(JSON.stringify(times));
    process.exit(0);
})();`;

export async function benchAlerts(log: Log): Promise<void> {
    const image = await watcherImage(log);
    const certs = makeTestCertificates(["localhost"], "clawcage-bench-certs-");
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-bench-"));
    fs.chmodSync(work, 0o777);
    const r = await receivers(certs);
    const webhook = `https://localhost:${r.webhookPort}/hook`;
    const proxy = `http://127.0.0.1:${r.proxyPort}`;
    fs.writeFileSync(path.join(work, "ca.pem"), certs.caPem);
    const run = ["--network", "host", "--user", "10001:10001", "--read-only", "--tmpfs", "/tmp:size=16m,mode=1777", "-e", `HTTPS_PROXY=${proxy}`, "-v", `${work}:/bench`];
    try {
        // The baseline trusts the CA the way a process does from its start; the watcher, from its settings.
        const baseline = await dockerOk(["run", "--rm", ...run, "-e", "NODE_EXTRA_CA_CERTS=/bench/ca.pem", image, "node", "-e", BASELINE, JSON.stringify({ events: EVENTS, smtpPort: r.smtpPort, proxy, webhook })], { timeoutMs: 300_000 });
        const direct = JSON.parse(baseline.trim().split("\n").at(-1) ?? "[]") as number[];

        const config: WatcherConfig = {
            recordFile: "/bench/record.jsonl",
            egressLogFile: "/bench/access.log",
            positionsFile: "/bench/positions.json",
            heartbeatFile: "/tmp/heartbeat",
            secretsFile: "/bench/secrets.json",
            pollMs: WATCHER_POLL_MS,
            rules: [],
            proxyUrl: proxy,
            caCertificate: certs.caPem,
            mail: { transport: { host: "localhost", port: r.smtpPort, secure: false, user: "bench" }, from: "bench@localhost", to: ["ops@localhost"] },
        };
        fs.writeFileSync(path.join(work, "watcher.json"), JSON.stringify(config));
        fs.writeFileSync(path.join(work, "secrets.json"), JSON.stringify({ webhookUrl: webhook, mailPassword: "bench" }));
        fs.writeFileSync(path.join(work, "record.jsonl"), "");
        await docker(["rm", "-f", CONTAINER]);
        await dockerOk(["run", "-d", "--name", CONTAINER, ...run, image, "jiti", "/opt/clawcage/watcher/main.ts", "/bench/watcher.json"]);
        await until(() => fs.existsSync(path.join(work, "positions.json")), "the watcher's start");
        const watched: number[] = [];
        for (let i = 0; i < EVENTS; i++) {
            // Events come at any moment of the watcher's idle wait, as the agent's calls do.
            await new Promise((resolve) => setTimeout(resolve, WATCHER_POLL_MS + Math.random() * WATCHER_POLL_MS));
            const line = secretFileReads(RULES, `bench${i}`, 1);
            const offset = fs.statSync(path.join(work, "record.jsonl"));
            const id = `record:${offset.ino}:${offset.size}:secret-file`;
            const started = Date.now();
            fs.appendFileSync(path.join(work, "record.jsonl"), line);
            await until(() => r.arrivals.get(id)?.webhook !== undefined && r.arrivals.get(id)?.mail !== undefined, `alert ${id}`);
            const at = r.arrivals.get(id) ?? {};
            watched.push(Math.max(at.webhook ?? 0, at.mail ?? 0) - started);
        }
        log(`event → alert at both, ${EVENTS} events one at a time, each at a random moment of the watcher's idle wait (it looks every ${WATCHER_POLL_MS} ms):`);
        log(`  baseline, the two deliveries made directly:  median ${median(direct)} ms, p90 ${p90(direct)} ms`);
        log(`  through the watcher, from the record's line:  median ${median(watched)} ms, p90 ${p90(watched)} ms`);
        log(`  ratio of medians (watcher / baseline): ${(median(watched) / median(direct)).toFixed(1)}`);
    } finally {
        await docker(["rm", "-f", CONTAINER]);
        r.close();
        fs.rmSync(work, { recursive: true, force: true });
        fs.rmSync(certs.dir, { recursive: true, force: true });
    }
}
