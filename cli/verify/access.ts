import * as crypto from "node:crypto";
import * as net from "node:net";
import * as os from "node:os";
import { docker } from "../live/docker";
import { endpointRequest, endpointStatus } from "../live/endpoint";
import { inspect, nodeProbe } from "../live/probe";
import { SESSION_KEY_HEADER } from "../../components/ingress/haproxyCfg";
import { checkGroup, type Check, type LiveDeployment } from "./check";

/** A chat request that asks for the main session, which runs outside the sandbox: the status and who refused it. */
async function chatInMainSession(d: LiveDeployment): Promise<string> {
    try {
        const res = await endpointRequest(d, "/v1/chat/completions", {
            method: "POST",
            headers: { Authorization: `Bearer ${d.token}`, "Content-Type": "application/json", [SESSION_KEY_HEADER]: "agent:main:main" },
            body: JSON.stringify({ model: "openclaw", messages: [{ role: "user", content: "hello" }] }),
            timeoutMs: 60_000,
        });
        return `${res.status}${res.body.includes(`${SESSION_KEY_HEADER} is not accepted`) ? " from the ingress" : ""}`;
    } catch (e) {
        return (e as Error).name;
    }
}

/**
 * A token in the query string is never read, and the query never reaches the access log. A fresh random
 * stand-in goes in the URL (never a live token: the point is that a URL may be logged somewhere).
 */
async function queryTokenRefusedAndUnlogged(d: LiveDeployment): Promise<string> {
    const canary = crypto.randomBytes(16).toString("hex");
    const since = new Date(Date.now() - 1000).toISOString();
    const status = await endpointStatus(d, `/v1/models?token=${canary}`);
    if (!d.ingressProxy) return status;
    const logs = await docker(["logs", "--since", since, d.ingressProxy], { timeoutMs: 30_000 });
    const logged = `${logs.stdout}${logs.stderr}`;
    const line = logged.includes("/v1/models") ? "logged" : "not logged";
    return `${status}; ${line}${logged.includes(canary) ? " with its query" : ""}`;
}

/**
 * What the ingress answers a client on the gateway's internal network (the gateway itself asks): an HTTP status,
 * or CLOSED / a socket error when the connection is dropped before any answer.
 */
async function ingressFromInside(d: LiveDeployment, ingress: string): Promise<string> {
    // The gateway's internal network is the one the two share (a team's ingress stands on every member's).
    const own = (await inspect(d.gateway)).NetworkSettings.Networks;
    const shared = Object.entries((await inspect(ingress)).NetworkSettings.Networks).find(([network]) => network in own);
    const address = shared?.[1].IPAddress;
    if (!address) return "the ingress has no address on the gateway's network";
    const tls = d.endpoint.startsWith("https:");
    return nodeProbe(
        d.gateway,
        `let got="",said=false;const say=x=>{if(!said){said=true;console.log(x)}};const s=require(${JSON.stringify(tls ? "tls" : "net")}).connect({host:${JSON.stringify(address)},port:${d.settings.gateway.port},rejectUnauthorized:false,timeout:10000},()=>s.write("GET /healthz HTTP/1.1\\r\\nHost: gateway\\r\\nConnection: close\\r\\n\\r\\n"));s.on("data",b=>got+=b);s.on("timeout",()=>{say("TIMEOUT");s.destroy()});s.on("error",e=>say(e.code||e.message));s.on("close",()=>say(got?got.split(" ")[1]:"CLOSED"))`,
    );
}

/** Whether something accepts connections at host:port (a TLS endpoint answers no plain HTTP status). */
function tcpProbe(host: string, port: number): Promise<string> {
    return new Promise((resolve) => {
        const socket = net.connect({ host, port, timeout: 5000 });
        socket.on("connect", () => (socket.destroy(), resolve("open")));
        socket.on("timeout", () => (socket.destroy(), resolve("timeout")));
        socket.on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? e.name));
    });
}

const models = "/v1/models";
const statusCheck = (name: string, expected: string, request: (d: LiveDeployment) => Promise<string>): Check => ({
    layer: "L3",
    name,
    expected,
    run: async (d) => {
        const observed = await request(d);
        return { observed, pass: observed === expected };
    },
});

/** A non-loopback address of this machine, to prove the published port is not there. */
function otherAddress(): string | undefined {
    return Object.values(os.networkInterfaces())
        .flat()
        .find((a) => a && a.family === "IPv4" && !a.internal)?.address;
}

/** Guide layer 3, verified from a client's side of the published port. */
export const accessChecks = checkGroup({
    healthz: statusCheck("/healthz answers without a token", "200", (d) => endpointStatus(d, "/healthz")),
    noToken: statusCheck("/v1/models without a token → 401", "401", (d) => endpointStatus(d, models)),
    wrongToken: statusCheck("/v1/models with a wrong token → 401", "401", (d) => endpointStatus(d, models, { headers: { Authorization: `Bearer ${"0".repeat(64)}` } })),
    validToken: statusCheck("/v1/models with the valid token → 200", "200", (d) => endpointStatus(d, models, { headers: { Authorization: `Bearer ${d.token}` } })),
    queryToken: statusCheck("a token in the query string is not accepted, and the query is not logged", "401; logged", queryTokenRefusedAndUnlogged),
    sessionKey: statusCheck(`a client cannot pick the unsandboxed main session (${SESSION_KEY_HEADER}) → 403`, "403 from the ingress", chatInMainSession),
    publishedOnlyWhereDeclared: {
        layer: "L3",
        name: "the published port listens only where declared",
        expected: "",
        run: async (d) => {
            const publish = d.settings.gateway.publish;
            if (!publish || !d.ingressProxy) return { observed: "not published", pass: !publish };
            const bindings = Object.values((await inspect(d.ingressProxy)).HostConfig.PortBindings ?? {}).flatMap((b) => b ?? []);
            const declared = bindings.length === 1 && bindings[0].HostIp === publish.address && bindings[0].HostPort === String(publish.port);
            const other = otherAddress();
            const elsewhere = other && publish.address !== "0.0.0.0" ? await tcpProbe(other, publish.port) : "n/a";
            const observed = `${bindings.map((b) => `${b.HostIp}:${b.HostPort}`).join(",")}; via ${other ?? "?"}: ${elsewhere}`;
            return { observed, pass: declared && elsewhere !== "open" };
        },
    },
    insideRefused: {
        layer: "L3",
        name: "the ingress refuses a client on the gateway's network: the door opens from the published side alone",
        expected: "CLOSED or ECONNRESET, no answer",
        run: async (d) => {
            if (!d.ingressProxy) return { observed: "not published", pass: !d.settings.gateway.publish };
            const observed = await ingressFromInside(d, d.ingressProxy);
            return { observed, pass: observed === "CLOSED" || observed === "ECONNRESET" };
        },
    },
    rateLimit: {
        layer: "L3",
        name: "repeated bad tokens → 429",
        locksCallerOut: true,
        expected: "429 after maxAttempts",
        run: async (d) => {
            const seen: string[] = [];
            for (let i = 0; i <= d.settings.gateway.rateLimit.maxAttempts + 1; i++) {
                seen.push(await endpointStatus(d, models, { headers: { Authorization: `Bearer bad-${i}` } }));
            }
            return { observed: seen.join(" "), pass: seen.at(-1) === "429" && seen[0] === "401" };
        },
    },
});
