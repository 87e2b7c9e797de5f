import { EGRESS_PROXY_PORT } from "../../components/egress/egressProxy";
import type { Check, LiveDeployment } from "./check";
import { connectFrom, nodeProbe } from "../live/probe";

const proxyOf = (d: LiveDeployment) => `{host:${JSON.stringify(d.egressProxyHost)},port:${EGRESS_PROXY_PORT}}`;

/** Status of a plain HTTP request sent through the egress proxy, seen from inside the gateway. */
const viaProxy = (d: LiveDeployment, url: string) =>
    nodeProbe(
        d.gateway,
        `const u=new URL(${JSON.stringify(url)});const q=require("http").request({...${proxyOf(d)},method:"GET",path:u.href,headers:{host:u.host},timeout:15000},r=>{console.log(r.statusCode+" "+(r.headers["x-squid-error"]||"").split(" ")[0]);r.resume()});q.on("error",e=>console.log(e.code));q.on("timeout",()=>{console.log("TIMEOUT");q.destroy()});q.end()`,
    );

/** Status of a CONNECT tunnel request through the egress proxy. */
const connectVia = (d: LiveDeployment, target: string) =>
    nodeProbe(
        d.gateway,
        `const q=require("http").request({...${proxyOf(d)},method:"CONNECT",path:${JSON.stringify(target)},timeout:15000});const say=r=>console.log(r.statusCode+" "+(r.headers["x-squid-error"]||"").split(" ")[0]);q.on("connect",(r,s)=>{say(r);s.destroy()});q.on("response",say);q.on("error",e=>console.log(e.code));q.on("timeout",()=>{console.log("TIMEOUT");q.destroy()});q.end()`,
    );

function fixtures(d: LiveDeployment) {
    if (!d.fixtures) throw new Error("needs the egress stubs of the test harness");
    return d.fixtures;
}

/** Refused by our proxy's own rules — not a 403 from somewhere further out. */
const DENIED = "403 ERR_ACCESS_DENIED";
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
export const networkChecks: Check[] = [
    proxyCheck("through the proxy to an allowlisted host → 200", "GET", (d) => `http://${fixtures(d).allowedHost}/`, "fetched"),
    proxyCheck("CONNECT to an allowlisted host on 443 → 200", "CONNECT", (d) => `${fixtures(d).allowedHost}:443`, "fetched"),
    proxyCheck("through the proxy to a host not allowlisted → 403", "GET", (d) => `http://${fixtures(d).blockedHost}/`, "denied"),
    proxyCheck("to an IP literal → denied", "GET", (d) => `http://${fixtures(d).stubAddress}/`, "denied"),
    proxyCheck("CONNECT to port 22 of an allowlisted host → denied", "CONNECT", (d) => `${fixtures(d).allowedHost}:22`, "denied"),
    proxyCheck("to the metadata address → denied", "GET", () => "http://169.254.169.254/latest/meta-data/", "denied"),
    proxyCheck("an allowlisted name resolving to a private address → denied", "GET", (d) => `http://${fixtures(d).privateAllowedHost}/`, "denied"),
    {
        layer: "L5",
        name: "a direct connection without the proxy fails",
        expected: "no connection",
        run: async (d) => {
            const observed = await connectFrom(d.gateway, fixtures(d).stubAddress, 80);
            return { observed, pass: observed !== "CONNECTED" };
        },
    },
    {
        layer: "L5",
        name: "an outside name does not resolve from the internal network",
        expected: "ENOTFOUND or EAI_AGAIN",
        run: async (d) => {
            const observed = await nodeProbe(d.gateway, `require("dns").lookup(${JSON.stringify(fixtures(d).allowedHost)},(e,a)=>console.log(e?e.code:a))`);
            return { observed, pass: observed === "ENOTFOUND" || observed === "EAI_AGAIN" };
        },
    },
    {
        layer: "L5",
        name: "squid's access log on the logs volume records the denials",
        expected: "TCP_DENIED lines for the blocked host",
        run: async (d) => {
            const r = await d.onHost(`cat '${d.layout.egressLogs}/access.log'`);
            const lines = r.stdout.trim().split("\n").filter(Boolean);
            const denials = lines.filter((l) => l.includes("TCP_DENIED") && l.includes(fixtures(d).blockedHost));
            let json = true;
            for (const l of lines) {
                try {
                    JSON.parse(l);
                } catch {
                    json = false;
                }
            }
            return { observed: `${lines.length} JSON=${json} lines, ${denials.length} denials of ${fixtures(d).blockedHost}`, pass: denials.length > 0 && json };
        },
    },
];
