import { z } from "zod";
import { dockerOk } from "../cli/live/docker";
import { runProcess } from "../cli/live/process";
import { deploymentNames } from "../components/deployment/names";
import { deployForTest, tearDownEnvironment, type Environment } from "../test/e2e/harness";
import { parseHey, type LoadResult } from "./egress";
import { median, ms, writeResults } from "./results";
import { addressOn } from "../cli/live/probe";
import { acrossProxyCpus, cpuStepsTable, type CpuStep } from "./proxyCpus";

/**
 * What the ingress proxy costs a client: every request and WebSocket of OpenClaw's clients goes through it (TLS,
 * the IP allowlist, the named-token check, the identity headers). The e2e deployment's published endpoint against
 * the gateway's own port on the internal network, side by side in one run, from this host: HTTP with Debian's
 * `hey` (OpenClaw's /healthz, a probe path that the ingress passes without a token), and a WebSocket opened until
 * the gateway's first frame (its connect challenge) with the `ws` package OpenClaw itself uses, the ingress
 * checking the named token on the upgrade.
 */

type Log = (line: string) => void;

const NAMES = deploymentNames();
const WS_ROUNDS = 50;
const HTTP_CASES = [
    { connections: 1, requests: 2000 },
    { connections: 64, requests: 20000 },
] as const;

/** Opens a WebSocket `rounds` times, one after another, and prints the milliseconds from open to the first frame. */
const WS_CLIENT = `const WebSocket=require("/usr/local/lib/node_modules/openclaw/node_modules/ws");
const [url,rounds]=process.argv.slice(1);const token=process.env.BENCH_TOKEN;const times=[];
const once=()=>new Promise((ok,fail)=>{const t=performance.now();
const ws=new WebSocket(url,{headers:token?{authorization:"Bearer "+token}:{},rejectUnauthorized:false});
ws.once("message",()=>{times.push(performance.now()-t);ws.terminate();ok();});
ws.once("unexpected-response",(q,r)=>fail(new Error("answered "+r.statusCode)));ws.once("error",fail);});
(async()=>{for(let i=0;i<Number(rounds);i++)await once();console.log(JSON.stringify(times));})().catch(e=>{console.error(e.message);process.exit(1);});`;

export interface IngressResult {
    /** `unpublished`: the ingress at its own address, not through Docker's published port (absent from older results). */
    http: { connections: number; requests: number; direct: LoadResult; ingress: LoadResult; unpublished?: LoadResult }[];
    websocket: { rounds: number; directMs: number[]; ingressMs: number[] };
    /** Requests/s at each proxy CPU limit (absent from results taken before the setting). */
    cpuSteps?: { load: string; direct: LoadResult; steps: CpuStep[] }[];
}

/** hey on this host (it does not verify certificates: the endpoint's is the deployment's own). */
async function hey(url: string, c: { connections: number; requests: number }): Promise<LoadResult> {
    const r = await runProcess("hey", ["-n", String(c.requests), "-c", String(c.connections), "-t", "30", url], { timeoutMs: 600_000 });
    if (r.code !== 0) throw new Error(`hey failed: ${r.stderr.trim()}`);
    return parseHey(r.stdout, 2);
}

async function webSocketTimes(env: Environment, url: string, token: string): Promise<number[]> {
    // The token through the environment (`-e NAME` takes the docker CLI's own), never on a command line.
    const run = ["run", "--rm", "--network", "host", "--read-only", "--cap-drop", "ALL", "--user", "65534:65534", "-e", "BENCH_TOKEN", "--entrypoint", "node", env.gatewayImage, "-e", WS_CLIENT, url, String(WS_ROUNDS)];
    const out = await dockerOk(run, { env: { BENCH_TOKEN: token } });
    return z.array(z.number()).parse(JSON.parse(out.trim().split("\n").at(-1) ?? ""));
}

export async function benchIngress(log: Log): Promise<IngressResult> {
    const env = await deployForTest(() => undefined);
    try {
        const gateway = `${await addressOn(NAMES.gateway, NAMES.networks.internal)}:${env.settings.gateway.port}`;
        const endpoint = new URL(env.live.endpoint);
        const result: IngressResult = { http: [], websocket: { rounds: WS_ROUNDS, directMs: [], ingressMs: [] } };
        // The same proxy reached at its address on the ingress network: what Docker's port publishing adds.
        const unpublishedUrl = `${endpoint.protocol}//${await addressOn(NAMES.ingressProxy, NAMES.networks.ingress)}:${env.settings.gateway.port}/healthz`;
        for (const c of HTTP_CASES) {
            await hey(`${env.live.endpoint}/healthz`, { ...c, requests: 200 });
            const direct = await hey(`http://${gateway}/healthz`, c);
            const ingress = await hey(`${env.live.endpoint}/healthz`, c);
            const unpublished = await hey(unpublishedUrl, c);
            result.http.push({ ...c, direct, ingress, unpublished });
            log(`  HTTP /healthz, ${c.connections} connection(s): req/s ${Math.round(direct.requestsPerSecond)} → ${Math.round(ingress.requestsPerSecond)}; p50 ${direct.p50Ms} → ${ingress.p50Ms} ms`);
        }
        // Under load, where the CPU limit binds: the ingress half again at each step of settings.container.proxyCpus.
        result.cpuSteps = [];
        for (const h of result.http.filter((x) => x.connections === 64)) {
            const steps = await acrossProxyCpus(NAMES.ingressProxy, env.settings.container.proxyCpus, () => hey(`${env.live.endpoint}/healthz`, h));
            result.cpuSteps.push({ load: `HTTP /healthz, ${h.connections} connections`, direct: h.direct, steps });
        }
        const wss = `${endpoint.protocol === "https:" ? "wss" : "ws"}://${endpoint.host}/`;
        result.websocket.directMs = await webSocketTimes(env, `ws://${gateway}/`, "");
        result.websocket.ingressMs = await webSocketTimes(env, wss, env.live.token);
        log(`  WebSocket open to first frame: median ${median(result.websocket.directMs).toFixed(1)} → ${median(result.websocket.ingressMs).toFixed(1)} ms`);
        writeResults("ingress", result, ingressTable(result));
        log(ingressTable(result));
        return result;
    } finally {
        await tearDownEnvironment(env, () => undefined);
    }
}

const share = (through: LoadResult, direct: LoadResult) => `${Math.round((100 * through.requestsPerSecond) / direct.requestsPerSecond)}% (${Math.round(through.requestsPerSecond)} of ${Math.round(direct.requestsPerSecond)})`;
const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.99) - 1];

/** The results as the README shows them. */
export function ingressTable(r: IngressResult): string {
    const ws = r.websocket;
    return [
        "| request, load | p50 direct → ingress | p99 direct → ingress | requests/s: ingress of direct | requests/s: ingress without the published port |",
        "|---|---|---|---|---|",
        ...r.http.map(
            (h) =>
                `| HTTP /healthz, ${h.connections === 1 ? "sequential" : `${h.connections} connections`} | ${ms(h.direct.p50Ms)} → ${ms(h.ingress.p50Ms)} (+${ms(h.ingress.p50Ms - h.direct.p50Ms)}) | ${ms(h.direct.p99Ms)} → ${ms(h.ingress.p99Ms)} | ${share(h.ingress, h.direct)} | ${h.unpublished ? share(h.unpublished, h.direct) : ""} |`,
        ),
        `| WebSocket, open to the gateway's first frame, ${ws.rounds} in turn | ${ms(median(ws.directMs))} → ${ms(median(ws.ingressMs))} (+${ms(median(ws.ingressMs) - median(ws.directMs))}) | ${ms(p99(ws.directMs))} → ${ms(p99(ws.ingressMs))} | | |`,
        "",
        ...(r.cpuSteps?.length ? [cpuStepsTable(r.cpuSteps)] : []),
    ].join("\n");
}
