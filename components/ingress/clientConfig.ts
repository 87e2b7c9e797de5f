import type { OpenClawConfig } from "../gateway/openclawConfig";

/**
 * Pure renderer of the openclaw.json an OpenClaw client (the CLI, the TUI) uses to reach a published
 * deployment: the endpoint over wss, the certificate pinned, and the named token sent as an edge header on the
 * WebSocket upgrade, where the ingress proxy checks it (OpenClaw sends edge headers only over wss). The file
 * holds no secret: the header's value comes from the environment.
 */

/** Where a client's shell holds `Bearer <named token>` for OpenClaw's edge header. */
export const EDGE_AUTH_ENV = "OPENCLAW_EDGE_AUTHORIZATION";

/**
 * OpenClaw's CLI will not open a WebSocket without some credential of its own (`gateway.remote.token`); behind
 * trusted-proxy auth the gateway does not read it (the ingress's word decides), so a public word stands in.
 */
export const CONNECT_PLACEHOLDER = "checked-by-the-clawcage-ingress";

export function renderClientConfig(endpoint: string, certificateSha256: string): OpenClawConfig {
    if (!endpoint.startsWith("https://")) {
        throw new Error(`the endpoint ${endpoint || "(not published)"} is not https: OpenClaw's clients send the token header only over wss, so set gateway.tls.certificate to 'generated' or 'secret-config'`);
    }
    return {
        gateway: {
            mode: "remote",
            remote: {
                url: endpoint.replace(/^https:/, "wss:"),
                tlsFingerprint: certificateSha256,
                token: CONNECT_PLACEHOLDER,
                edgeAuth: { Authorization: { source: "env", provider: "default", id: EDGE_AUTH_ENV } },
            },
        },
    };
}
