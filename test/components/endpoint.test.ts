import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { byName, plainStrings, reveal, runProgram } from "../../cli/record/program";
import { privateKeyState, selfSignedCertState } from "../../cli/record/tlsStandIn";
import { renderClientConfig, EDGE_AUTH_ENV } from "../../components/ingress/clientConfig";
import { certificateSha256, ingressTlsProblem } from "../../components/ingress/ingressCertificate";
import { renderOpenClawConfig } from "../../components/gateway/openclawConfig";
import { parseSettings } from "../../components/settings/parse";

const published = { gateway: { publish: { address: "127.0.0.1", port: 18789 }, tokens: { admin: {}, reader: { scopes: ["operator.read"] } } } };

/** A self-signed certificate and key as the TLS stand-in makes them. */
function bundle(): { cert: string; key: string } {
    const key = String(privateKeyState({ algorithm: "ECDSA", ecdsaCurve: "P256" }).privateKeyPem);
    const cert = String(selfSignedCertState({ privateKeyPem: key, subject: { commonName: "t" }, ipAddresses: ["127.0.0.1"], validityPeriodHours: 48, allowedUses: ["server_auth"] }).certPem);
    return { cert, key };
}

describe("the published endpoint: TLS, trusted-proxy auth, clients", () => {
    it("a published gateway believes the ingress's pinned address alone, for the named tokens and their scopes", () => {
        const cfg = renderOpenClawConfig(parseSettings(published), "http://proxy:3128") as { gateway: Record<string, unknown> };
        assert.deepEqual(cfg.gateway.trustedProxies, ["10.89.41.254"]);
        assert.deepEqual(cfg.gateway.auth, {
            mode: "trusted-proxy",
            password: { source: "file", provider: "clawcagetoken", id: "value" },
            trustedProxy: { userHeader: "x-clawcage-token-name", allowUsers: ["admin", "reader"] },
            identityScopes: { admin: parseSettings({}).gateway.tokens.admin.scopes.slice().sort(), reader: ["operator.read"] },
            rateLimit: { maxAttempts: 5, windowMs: 60_000, lockoutMs: 300_000, exemptLoopback: false },
        });
        // Negative control: unpublished, no proxy is trusted and the gateway's own token is the auth.
        const internal = renderOpenClawConfig(parseSettings({}), "http://proxy:3128") as { gateway: { auth: { mode: string }; trustedProxies?: unknown } };
        assert.equal(internal.gateway.auth.mode, "token");
        assert.equal(internal.gateway.trustedProxies, undefined);
    });

    it("the Control UI, when on, accepts browsers from the published endpoint only", () => {
        const on = renderOpenClawConfig(parseSettings({ gateway: { ...published.gateway, controlUi: { enabled: true } } }), "http://proxy:3128") as { gateway: { controlUi: unknown } };
        assert.deepEqual(on.gateway.controlUi, { enabled: true, allowedOrigins: ["https://127.0.0.1:18789"] });
        const off = renderOpenClawConfig(parseSettings(published), "http://proxy:3128") as { gateway: { controlUi: unknown } };
        assert.deepEqual(off.gateway.controlUi, { enabled: false });
    });

    it("the client config pins the certificate and takes the token from the environment; an http endpoint is refused", () => {
        const cfg = renderClientConfig("https://127.0.0.1:18789", "AB:CD");
        assert.deepEqual(cfg, {
            gateway: {
                mode: "remote",
                remote: {
                    url: "wss://127.0.0.1:18789",
                    tlsFingerprint: "AB:CD",
                    token: "checked-by-the-clawcage-ingress",
                    edgeAuth: { Authorization: { source: "env", provider: "default", id: EDGE_AUTH_ENV } },
                },
            },
        });
        assert.throws(() => renderClientConfig("http://127.0.0.1:18789", ""), /send the token header only over wss, so set gateway\.tls\.certificate/);
    });

    it("a supplied certificate bundle is checked, and its fingerprint is OpenSSL's", () => {
        const { cert, key } = bundle();
        assert.equal(ingressTlsProblem(`${cert}${key}`), undefined);
        const openssl = execFileSync("openssl", ["x509", "-noout", "-fingerprint", "-sha256"], { input: cert, encoding: "utf8" }).trim().split("=")[1];
        assert.equal(certificateSha256(`${cert}${key}`), openssl);
        assert.match(ingressTlsProblem(cert) ?? "", /no PEM PRIVATE KEY block/);
        assert.match(ingressTlsProblem(key) ?? "", /no PEM CERTIFICATE block/);
    });

    it("secret-config TLS: the bundle stays secret, the fingerprint is an output, a missing bundle names the config key", async () => {
        const { cert, key } = bundle();
        const settings = { "clawcage:settings": { gateway: { ...published.gateway, tls: { certificate: "secret-config" } } } };
        const run = await runProgram({ ...settings, "clawcage:ingress-tls": `${cert}${key}` }, ["clawcage:ingress-tls"]);
        assert.equal(run.outputs.ingressCertificateSha256, certificateSha256(cert));
        const plain = run.resources.flatMap((r) => plainStrings(r.inputs)).join("\n");
        assert.ok(!plain.includes(key.split("\n")[1]), "the private key is stored in plain text");
        const haproxy = String((reveal(byName(run, "openclaw-ingress-conf").inputs) as { stdin: string }).stdin);
        assert.match(haproxy, /bind :18789 ssl crt \/etc\/clawcage\/ingress\.pem/);
        await assert.rejects(runProgram(settings, []), /ingress-tls: missing; gateway\.tls\.certificate is 'secret-config'/);
    });

    it("a generated certificate serves the published address, and the plain-http choice serves none", async () => {
        const run = await runProgram({ "clawcage:settings": published });
        const cert = byName(run, "openclaw-ingress-tls-cert");
        assert.deepEqual((reveal(cert.inputs) as { ipAddresses: string[] }).ipAddresses, ["127.0.0.1"]);
        assert.match(String(run.outputs.ingressCertificateSha256), /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
        assert.equal(run.outputs.endpoint, "https://127.0.0.1:18789");
        const plainHttp = await runProgram({ "clawcage:settings": { gateway: { ...published.gateway, tls: { certificate: "off" } } } });
        assert.equal(plainHttp.outputs.endpoint, "http://127.0.0.1:18789");
        assert.ok(!plainHttp.resources.some((r) => r.type.startsWith("tls:")));
    });
});
