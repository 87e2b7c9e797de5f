import * as os from "node:os";
import { inspect } from "../live/probe";
import { SESSION_KEY_HEADER } from "../../components/ingress/haproxyCfg";
import { checkGroup, type Check, type LiveDeployment } from "./check";

async function status(url: string, headers: Record<string, string> = {}): Promise<string> {
    try {
        const res = await fetch(url, { headers, signal: AbortSignal.timeout(15_000) });
        await res.arrayBuffer();
        return String(res.status);
    } catch (e) {
        const cause = (e as { cause?: { code?: string } }).cause;
        return cause?.code ?? (e as Error).name;
    }
}

/** A chat request that asks for the main session, which runs outside the sandbox: the status and who refused it. */
async function chatInMainSession(d: LiveDeployment): Promise<string> {
    try {
        const res = await fetch(`${d.endpoint}/v1/chat/completions`, {
            method: "POST",
            headers: { Authorization: `Bearer ${d.token}`, "Content-Type": "application/json", [SESSION_KEY_HEADER]: "agent:main:main" },
            body: JSON.stringify({ model: "openclaw", messages: [{ role: "user", content: "hello" }] }),
            signal: AbortSignal.timeout(60_000),
        });
        const body = await res.text();
        return `${res.status}${body.includes(`${SESSION_KEY_HEADER} is not accepted`) ? " from the ingress" : ""}`;
    } catch (e) {
        return (e as Error).name;
    }
}

const models = (d: LiveDeployment) => `${d.endpoint}/v1/models`;
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
    healthz: statusCheck("/healthz answers without a token", "200", (d) => status(`${d.endpoint}/healthz`)),
    noToken: statusCheck("/v1/models without a token → 401", "401", (d) => status(models(d))),
    wrongToken: statusCheck("/v1/models with a wrong token → 401", "401", (d) => status(models(d), { Authorization: `Bearer ${"0".repeat(64)}` })),
    validToken: statusCheck("/v1/models with the valid token → 200", "200", (d) => status(models(d), { Authorization: `Bearer ${d.token}` })),
    queryToken: statusCheck("a token in the query string is not accepted", "401", (d) => status(`${models(d)}?token=${d.token}`)),
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
            const elsewhere = other && publish.address !== "0.0.0.0" ? await status(`http://${other}:${publish.port}/healthz`) : "n/a";
            const observed = `${bindings.map((b) => `${b.HostIp}:${b.HostPort}`).join(",")}; via ${other ?? "?"}: ${elsewhere}`;
            return { observed, pass: declared && elsewhere !== "200" };
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
                seen.push(await status(models(d), { Authorization: `Bearer bad-${i}` }));
            }
            return { observed: seen.join(" "), pass: seen.at(-1) === "429" && seen[0] === "401" };
        },
    },
});
