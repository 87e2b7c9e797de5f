import { dockerOk } from "../cli/live/docker";
import { EGRESS_PROXY_URL } from "../components/egress/egressProxy";
import { deploymentNames } from "../components/deployment/names";
import { makeTestCertificates } from "../test/e2e/certificates";
import { deployForTest, HARNESS, startExtra, tearDownEnvironment } from "../test/e2e/harness";
import { ms, writeResults } from "./results";
import { addressOn } from "../cli/live/probe";
import { acrossProxyCpus, cpuStepsTable, type CpuStep } from "./proxyCpus";

/**
 * What the egress proxy costs the gateway: every model call, channel message and web fetch goes through it. The e2e
 * deployment's real squid (its generated squid.conf, its image, its limits) against the same requests made directly,
 * side by side in one run, to one upstream on the egress network, from one client container on the gateway's
 * network. Both paths the gateway uses: a CONNECT tunnel (every https call) and plain proxied http; small answers and
 * a streamed answer of 100 KiB (a model's answer arriving in pieces); one connection at a time and 64 at once.
 *
 * The load is Debian's `hey` (apt-get install hey), which speaks both paths through a proxy as the gateway's Node does:
 * a CONNECT tunnel per connection, kept alive, for https; absolute-URI requests for http.
 */

type Log = (line: string) => void;

const NAMES = deploymentNames();
const UPSTREAM = `${HARNESS}-bench-upstream`;
const CLIENT = `${HARNESS}-bench-client`;
const STREAM_CHUNKS = 25;
const CHUNK_BYTES = 4096;
/** The upstream's answers' sizes: "ok", and the stream. */
const ANSWER_BYTES = { small: 2, stream: STREAM_CHUNKS * CHUNK_BYTES };

/** The upstream: "ok" on /small; on /stream 100 KiB in 4 KiB pieces, each written once the last has gone. */
const UPSTREAM_SERVER = `const fs=require("fs"),http=require("http"),https=require("https");
const serve=(q,r)=>{if(q.url!=="/stream")return r.end("ok");r.writeHead(200,{"content-type":"text/event-stream"});
const piece=Buffer.alloc(${CHUNK_BYTES},"x");let left=${STREAM_CHUNKS};const next=()=>left--===0?r.end():r.write(piece,next);next();};
http.createServer(serve).listen(80);https.createServer({key:fs.readFileSync("/certs/key.pem"),cert:fs.readFileSync("/certs/cert.pem")},serve).listen(443);`;

interface Case {
    path: "connect" | "http";
    body: "small" | "stream";
    connections: 1 | 64;
    requests: number;
}

const CASES: Case[] = [
    { path: "connect", body: "small", connections: 1, requests: 3000 },
    { path: "connect", body: "small", connections: 64, requests: 30000 },
    { path: "connect", body: "stream", connections: 1, requests: 1000 },
    { path: "connect", body: "stream", connections: 64, requests: 10000 },
    { path: "http", body: "small", connections: 1, requests: 3000 },
    { path: "http", body: "small", connections: 64, requests: 30000 },
    { path: "http", body: "stream", connections: 1, requests: 1000 },
    { path: "http", body: "stream", connections: 64, requests: 10000 },
];

/** What hey measured over one run. */
export interface LoadResult {
    p50Ms: number;
    p99Ms: number;
    requestsPerSecond: number;
    megabytesPerSecond: number;
}

/**
 * Reads hey's summary; a run with any answer but 200, or any error, is refused rather than measured. The bytes come
 * from the answers' known size: hey counts only a Content-Length, which a streamed (chunked) answer has not.
 */
export function parseHey(out: string, bytesPerAnswer: number): LoadResult {
    const num = (re: RegExp, what: string) => {
        const m = re.exec(out);
        if (!m) throw new Error(`hey printed no ${what}:\n${out.slice(0, 2000)}`);
        return Number(m[1]);
    };
    const statuses = [...out.matchAll(/^\s+\[(\d+)\]\s+(\d+) responses/gm)];
    if (statuses.length !== 1 || statuses[0][1] !== "200" || /Error distribution/.test(out)) throw new Error(`hey saw answers other than 200:\n${out.slice(out.indexOf("Status code"))}`);
    const seconds = num(/Total:\s+([\d.]+) secs/, "total time");
    return {
        p50Ms: num(/50% in ([\d.]+) secs/, "median") * 1000,
        p99Ms: num(/99% in ([\d.]+) secs/, "99th percentile") * 1000,
        requestsPerSecond: num(/Requests\/sec:\s+([\d.]+)/, "requests per second"),
        megabytesPerSecond: (Number(statuses[0][2]) * bytesPerAnswer) / seconds / 1e6,
    };
}

async function hey(c: Case, host: string, viaProxy: boolean): Promise<LoadResult> {
    const url = `${c.path === "connect" ? "https" : "http"}://${host}/${c.body}`;
    // hey parses -x as a URL: "host:port" alone would read as a scheme.
    const proxy = viaProxy ? ["-x", EGRESS_PROXY_URL] : [];
    return parseHey(await dockerOk(["exec", CLIENT, "hey", "-n", String(c.requests), "-c", String(c.connections), "-t", "30", ...proxy, url]), ANSWER_BYTES[c.body]);
}

export interface EgressRow extends Case {
    direct: LoadResult;
    proxied: LoadResult;
}

export async function benchEgress(log: Log): Promise<EgressRow[]> {
    const env = await deployForTest(() => undefined);
    try {
        const host = `bench.${env.live.fixtures?.allowedHost ?? ""}`;
        const certs = makeTestCertificates([host], "clawcage-bench-");
        await startExtra(env, ["--name", UPSTREAM, "--network", NAMES.networks.egress, "--network-alias", host, "-v", `${certs.dir}:/certs:ro`, env.images.node, "node", "-e", UPSTREAM_SERVER]);
        const upstreamAddress = await addressOn(UPSTREAM, NAMES.networks.egress);
        // One client for both paths: on the gateway's network (the proxy serves that one alone) and on the egress side.
        // Its direct requests find the upstream in its hosts file: Docker's DNS, asked for every new connection, once
        // failed 3 of 30,000 lookups, and the direct path is the physical limit. Through the proxy, squid looks it up.
        await startExtra(env, ["--name", CLIENT, "--network", NAMES.networks.internal, "--add-host", `${host}:${upstreamAddress}`, "-v", "/usr/bin/hey:/usr/local/bin/hey:ro", "--entrypoint", "sleep", env.images.debian, "infinity"]);
        await dockerOk(["network", "connect", NAMES.networks.egress, CLIENT]);
        const rows: EgressRow[] = [];
        for (const c of CASES) {
            // Warm-up of both paths, then the two side by side.
            await hey({ ...c, requests: Math.min(c.requests, 200) }, host, true);
            const direct = await hey(c, host, false);
            const proxied = await hey(c, host, true);
            rows.push({ ...c, direct, proxied });
            log(`  ${caseName(c).padEnd(34)} ${formatPair(direct, proxied)}`);
        }
        // Under load, where the CPU limit binds: the proxied half again at each step of settings.container.proxyCpus.
        const cpuSteps: { load: string; direct: LoadResult; steps: CpuStep[] }[] = [];
        for (const r of rows.filter((x) => x.connections === 64)) {
            const steps = await acrossProxyCpus(NAMES.egressProxy, env.settings.container.proxyCpus, () => hey(r, host, true));
            cpuSteps.push({ load: caseName(r), direct: r.direct, steps });
            log(`  ${caseName(r)} by proxy CPUs: ${steps.map((st) => `${st.cpus} → ${Math.round(st.proxied.requestsPerSecond)}/s`).join(", ")}`);
        }
        writeResults("egress", { rows, cpuSteps }, `${egressTable(rows)}\n${cpuStepsTable(cpuSteps)}`);
        return rows;
    } finally {
        // The upstream and the client are the harness's extras: teardown removes them with the deployment.
        await tearDownEnvironment(env, () => undefined);
    }
}

export const caseName = (c: Case): string => `${c.path === "connect" ? "CONNECT tunnel" : "plain http"}, ${c.body === "small" ? "small answer" : "100 KiB stream"}, ${c.connections === 1 ? "sequential" : "64 connections"}`;

function formatPair(d: LoadResult, p: LoadResult): string {
    return `p50 ${ms(d.p50Ms)} → ${ms(p.p50Ms)} (+${ms(p.p50Ms - d.p50Ms)}); p99 ${ms(d.p99Ms)} → ${ms(p.p99Ms)}; req/s ${Math.round(d.requestsPerSecond)} → ${Math.round(p.requestsPerSecond)} (${Math.round((100 * p.requestsPerSecond) / d.requestsPerSecond)}%)`;
}

/** The results as the README shows them: each figure through the proxy against direct, and their ratio. */
export function egressTable(rows: EgressRow[]): string {
    const lines = [
        "| path, answer, load | p50 direct → proxied | p99 direct → proxied | requests/s: proxied of direct | MB/s direct → proxied |",
        "|---|---|---|---|---|",
        ...rows.map(
            (r) =>
                `| ${caseName(r)} | ${ms(r.direct.p50Ms)} → ${ms(r.proxied.p50Ms)} (+${ms(r.proxied.p50Ms - r.direct.p50Ms)}) | ${ms(r.direct.p99Ms)} → ${ms(r.proxied.p99Ms)} | ${Math.round((100 * r.proxied.requestsPerSecond) / r.direct.requestsPerSecond)}% (${Math.round(r.proxied.requestsPerSecond)} of ${Math.round(r.direct.requestsPerSecond)}) | ${r.direct.megabytesPerSecond.toFixed(1)} → ${r.proxied.megabytesPerSecond.toFixed(1)} |`,
        ),
    ];
    return lines.join("\n") + "\n";
}
