import * as dns from "node:dns";
import * as http from "node:http";
import * as net from "node:net";
import * as https from "node:https";
import * as tls from "node:tls";
import { certificatesOf, certificateSha256 } from "../../components/ingress/ingressCertificate";
import { shellQuote } from "../../components/host/hostScript";
import type { LiveDeployment } from "../verify/check";

/**
 * A client of the published endpoint, as a user's client is: over TLS it trusts the system's roots and the
 * endpoint's own certificate (read from the host, where the deployment wrote it), so a generated, self-signed
 * certificate verifies and any other does not. Tokens go only in headers.
 */

export interface EndpointRequest {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    timeoutMs?: number;
}

export interface EndpointReply {
    status: number;
    headers: http.IncomingHttpHeaders;
    body: string;
}

const served = new WeakMap<LiveDeployment, Promise<string[]>>();

/** The certificates the endpoint serves, read once from the host (its key stays there). */
export function endpointCertificates(d: LiveDeployment): Promise<string[]> {
    let certs = served.get(d);
    if (!certs) {
        certs = d.onHost(`cat ${shellQuote(d.layout.ingressCertificate)}`).then((r) => {
            if (r.code !== 0) throw new Error(`cannot read the endpoint's certificate ${d.layout.ingressCertificate} (run as root): ${r.stderr.trim()}`);
            return certificatesOf(r.stdout);
        });
        served.set(d, certs);
    }
    return certs;
}

/** What clients pin: the SHA-256 of the endpoint's certificate, as the stack output `ingressCertificateSha256`. */
export async function endpointFingerprint(d: LiveDeployment): Promise<string> {
    const [first] = await endpointCertificates(d);
    if (!first) throw new Error(`${d.layout.ingressCertificate} holds no certificate`);
    return certificateSha256(first);
}

/**
 * Every `*.localhost` name is loopback (RFC 6761), as browsers and curl resolve it, though the system's resolver
 * may not: a team member's endpoint is `https://<member>.localhost:<port>`.
 */
export const lookupLocalhost: typeof dns.lookup = ((hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
    if (!hostname.endsWith(".localhost")) return dns.lookup(hostname, options, callback as never);
    const loopback = { address: "127.0.0.1", family: 4 };
    return options.all ? process.nextTick(callback, null, [loopback]) : process.nextTick(callback, null, loopback.address, loopback.family);
}) as typeof dns.lookup;

export async function endpointRequest(d: LiveDeployment, path: string, req: EndpointRequest = {}): Promise<EndpointReply> {
    const url = new URL(path, d.endpoint);
    const secure = url.protocol === "https:";
    const ca = secure ? [...tls.rootCertificates, ...(await endpointCertificates(d))] : undefined;
    return new Promise((resolve, reject) => {
        // The certificate is checked against the URL's name even when a Host header says otherwise (Node would take the header's).
        const servername = secure && !net.isIP(url.hostname) ? url.hostname : undefined;
        const options: https.RequestOptions = { method: req.method ?? "GET", headers: req.headers, ca, servername, timeout: req.timeoutMs ?? 15_000, lookup: lookupLocalhost };
        const request = (secure ? https : http).request(url, options, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
            res.on("error", reject);
        });
        request.on("timeout", () => request.destroy(Object.assign(new Error("timed out"), { code: "ETIMEDOUT" })));
        request.on("error", reject);
        request.end(req.body);
    });
}

/** The status of a request as text, or the error code when none came back (ECONNREFUSED, a TLS error...). */
export async function endpointStatus(d: LiveDeployment, path: string, req: EndpointRequest = {}): Promise<string> {
    try {
        return String((await endpointRequest(d, path, req)).status);
    } catch (e) {
        return (e as { code?: string }).code ?? (e as Error).name;
    }
}
