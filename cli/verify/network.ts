import * as crypto from "node:crypto";
import { EGRESS_PROXY_PORT } from "../../components/egress/egressProxy";
import { checkGroup, type Check, type LiveDeployment } from "./check";
import { connectFrom, inspect, nodeProbe, nodeProbeOn } from "../live/probe";
import { deploymentNames } from "../../components/deployment/names";
import { MODEL_RELAY_PORT, modelRelays, type ModelRelay } from "../../components/deployment/modelProviders";

const proxyOf = (d: LiveDeployment) => `{host:${JSON.stringify(d.egressProxyHost)},port:${EGRESS_PROXY_PORT}}`;

/** Status of a plain HTTP request sent through the egress proxy, seen from inside the gateway. */
export const viaProxy = (d: LiveDeployment, url: string) =>
    nodeProbe(
        d.gateway,
        `const u=new URL(${JSON.stringify(url)});const q=require("http").request({...${proxyOf(d)},method:"GET",path:u.href,headers:{host:u.host},timeout:15000},r=>{console.log(r.statusCode+" "+(r.headers["x-squid-error"]||"").split(" ")[0]);r.resume()});q.on("error",e=>console.log(e.code));q.on("timeout",()=>{console.log("TIMEOUT");q.destroy()});q.end()`,
    );

/** A Node script that asks `proxy` (a `{host,port}` literal) for a CONNECT tunnel and prints its answer. */
const connectScript = (proxy: string, target: string) =>
    `const q=require("http").request({...${proxy},method:"CONNECT",path:${JSON.stringify(target)},timeout:15000});const say=r=>console.log(r.statusCode+" "+(r.headers["x-squid-error"]||"").split(" ")[0]);q.on("connect",(r,s)=>{say(r);s.destroy()});q.on("response",say);q.on("error",e=>console.log(e.code));q.on("timeout",()=>{console.log("TIMEOUT");q.destroy()});q.end()`;

/** Status of a CONNECT tunnel request through the egress proxy. */
export const connectVia = (d: LiveDeployment, target: string) => nodeProbe(d.gateway, connectScript(proxyOf(d), target));

/**
 * A CONNECT through the egress proxy from a container on its other network (the egress side): a client that is
 * not the gateway's, which must be refused before the proxy looks at where it wants to go.
 */
async function connectFromEgressSide(d: LiveDeployment): Promise<string> {
    const network = deploymentNames().networks.egress;
    const address = (await inspect(d.egressProxy)).NetworkSettings.Networks[network]?.IPAddress;
    if (!address) return `the proxy has no address on ${network}`;
    // In the tests a name the stubs serve; elsewhere any name, as the request never gets that far.
    const target = `${d.fixtures?.allowedHost ?? "example.com"}:443`;
    return nodeProbeOn(network, (await inspect(d.gateway)).Config.Image, connectScript(`{host:${JSON.stringify(address)},port:${EGRESS_PROXY_PORT}}`, target));
}

/**
 * Through a tunnel to the model relay, a request for another host: what squid answers on the relay port (it
 * adds a provider's key, so it must serve that provider's name alone).
 */
const otherHostThroughRelay = (d: LiveDeployment, relay: ModelRelay) =>
    nodeProbe(
        d.gateway,
        `const q=require("http").request({...${proxyOf(d)},method:"CONNECT",path:${JSON.stringify(`${relay.relayHost}:${MODEL_RELAY_PORT}`)},timeout:15000});q.on("connect",(r,s)=>{if(r.statusCode!==200){console.log(r.statusCode+" then -");s.destroy();return}let b="";s.on("data",x=>b+=x);s.on("end",()=>console.log("200 then "+b.split(" ")[1]+" "+(((/x-squid-error: (\\S+)/i).exec(b)||[])[1]||"")));s.write("GET / HTTP/1.1\\r\\nHost: example.org\\r\\nConnection: close\\r\\n\\r\\n")});q.on("response",r=>console.log(r.statusCode+" then -"));q.on("error",e=>console.log(e.code));q.on("timeout",()=>{console.log("TIMEOUT");q.destroy()});q.end()`,
    );

/** A check of the model relay, passed trivially (and said so) by a deployment without a model provider. */
function relayCheck(name: string, expected: string, probe: (d: LiveDeployment, relay: ModelRelay) => Promise<string>): Check {
    return {
        layer: "L5",
        name,
        expected,
        run: async (d) => {
            const [relay] = modelRelays(d.settings);
            if (!relay) return { observed: "no model provider, no relay", pass: true };
            const observed = await probe(d, relay);
            return { observed, pass: observed === expected };
        },
    };
}

/** Marks a check that reaches the harness's stubs (see Check.needsStubUpstreams). */
const onStubs = (c: Check): Check => ({ ...c, needsStubUpstreams: true });

function fixtures(d: LiveDeployment) {
    if (!d.fixtures) throw new Error("needs the egress stubs of the test harness");
    return d.fixtures;
}

/** Refused by our proxy's own rules — not a 403 from somewhere further out. */
export const DENIED = "403 ERR_ACCESS_DENIED";
const denied = (observed: string) => observed === DENIED;
/** Fetched: a 200 with no proxy error. */
const fetched = (observed: string) => observed.trim() === "200";

/** A request through the egress proxy: the method, where to, and what the proxy must answer. */
function proxyCheck(name: string, method: "GET" | "CONNECT", target: (d: LiveDeployment) => string, outcome: "fetched" | "denied"): Check {
    return {
        layer: "L5",
        name,
        expected: outcome === "fetched" ? "200" : DENIED,
        run: async (d) => {
            const observed = method === "GET" ? await viaProxy(d, target(d)) : await connectVia(d, target(d));
            return { observed, pass: outcome === "fetched" ? fetched(observed) : denied(observed) };
        },
    };
}

/** Guide layer 5, verified from inside the gateway, the way a prompt-injected agent would try. */
export const networkChecks = checkGroup({
    allowedHost: onStubs(proxyCheck("through the proxy to an allowlisted host → 200", "GET", (d) => `http://${fixtures(d).allowedHost}/`, "fetched")),
    allowedConnect: onStubs(proxyCheck("CONNECT to an allowlisted host on 443 → 200", "CONNECT", (d) => `${fixtures(d).allowedHost}:443`, "fetched")),
    blockedHost: onStubs(proxyCheck("through the proxy to a host not allowlisted → 403", "GET", (d) => `http://${fixtures(d).blockedHost}/`, "denied")),
    ipLiteral: onStubs(proxyCheck("to an IP literal → denied", "GET", (d) => `http://${fixtures(d).stubAddress}/`, "denied")),
    connectPort22: onStubs(proxyCheck("CONNECT to port 22 of an allowlisted host → denied", "CONNECT", (d) => `${fixtures(d).allowedHost}:22`, "denied")),
    strangerRefused: {
        layer: "L5",
        name: "the proxy refuses a client on its egress side: it serves the gateway's network alone",
        expected: DENIED,
        run: async (d) => {
            const observed = await connectFromEgressSide(d);
            return { observed, pass: denied(observed) };
        },
    },
    metadata: proxyCheck("to the metadata address → denied", "GET", () => "http://169.254.169.254/latest/meta-data/", "denied"),
    privateResolution: onStubs(proxyCheck("an allowlisted name resolving to a private address → denied", "GET", (d) => `http://${fixtures(d).privateAllowedHost}/`, "denied")),
    relayOtherHost: relayCheck("the model relay serves only its provider: another Host through its tunnel → 403", `200 then ${DENIED}`, otherHostThroughRelay),
    relayNotForwarded: relayCheck("the model relay's name is no forward-proxy destination → denied", DENIED, (d, r) => viaProxy(d, `http://${r.relayHost}:${MODEL_RELAY_PORT}/`)),
    relayPortPrivate: relayCheck("the relay port (which adds the keys) is not reachable from the gateway's network", "ECONNREFUSED", (d) => connectFrom(d.gateway, d.egressProxyHost, MODEL_RELAY_PORT)),
    directConnection: {
        layer: "L5",
        needsStubUpstreams: true,
        name: "a direct connection without the proxy fails",
        expected: "no connection",
        run: async (d) => {
            const observed = await connectFrom(d.gateway, fixtures(d).stubAddress, 80);
            return { observed, pass: observed !== "CONNECTED" };
        },
    },
    outsideDns: {
        layer: "L5",
        needsStubUpstreams: true,
        name: "an outside name does not resolve from the internal network",
        expected: "ENOTFOUND or EAI_AGAIN",
        run: async (d) => {
            const observed = await nodeProbe(d.gateway, `require("dns").lookup(${JSON.stringify(fixtures(d).allowedHost)},(e,a)=>console.log(e?e.code:a))`);
            return { observed, pass: observed === "ENOTFOUND" || observed === "EAI_AGAIN" };
        },
    },
    accessLog: {
        layer: "L5",
        name: "squid's access log on the logs volume records the denials",
        expected: "a JSON TCP_DENIED line for this check's own request",
        // Makes its own denied request (a name under the reserved .invalid TLD, which no allowlist holds and
        // no resolver answers), so it needs no stub and no earlier check's traffic.
        run: async (d) => {
            const host = `clawcage-verify-${crypto.randomBytes(6).toString("hex")}.invalid`;
            const answer = await viaProxy(d, `http://${host}/`);
            let lines: string[] = [];
            for (let i = 0; i < 10; i++) {
                if (i > 0) await new Promise((r) => setTimeout(r, 1000));
                lines = (await d.onHost(`cat '${d.layout.egressLogs}/access.log'`)).stdout.trim().split("\n").filter(Boolean);
                if (lines.some((l) => l.includes(host))) break;
            }
            const denials = lines.filter((l) => l.includes("TCP_DENIED") && l.includes(host));
            const json = lines.every((l) => {
                try {
                    JSON.parse(l);
                    return true;
                } catch {
                    return false;
                }
            });
            return { observed: `proxy answered ${answer}; ${lines.length} lines, JSON=${json}, ${denials.length} denials of ${host}`, pass: denials.length === 1 && json };
        },
    },
});
