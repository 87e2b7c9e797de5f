import * as crypto from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import type { DeploymentSettings } from "../settings/schema";
import { isUnspecified } from "../deployment/names";

/** The secret config key of a user-supplied certificate and key, one PEM bundle. */
export const INGRESS_TLS_CONFIG_KEY = "ingress-tls";

/** Generated certificates last a year and are replaced by the first `pulumi up` in their last 30 days. */
const VALIDITY_HOURS = 24 * 365;
const EARLY_RENEWAL_HOURS = 24 * 30;

export interface IngressCertificate {
    /** Certificate and private key in one PEM, as haproxy reads it; secret. */
    bundle: pulumi.Output<string>;
    /** SHA-256 of the certificate, `AB:CD:...`: what clients pin (`gateway.remote.tlsFingerprint`). */
    sha256: pulumi.Output<string>;
}

const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----/g;

/** Why a supplied PEM bundle cannot serve, or undefined. Never echoes the bundle. */
export function ingressTlsProblem(bundle: string): string | undefined {
    const kinds = [...bundle.matchAll(PEM_BLOCK)].map((m) => m[1]);
    if (!kinds.includes("CERTIFICATE")) return "it holds no PEM CERTIFICATE block";
    if (!kinds.some((k) => k.endsWith("PRIVATE KEY"))) return "it holds no PEM PRIVATE KEY block";
    try {
        certificateSha256(bundle);
    } catch (e) {
        return `its first certificate does not parse (${(e as Error).message})`;
    }
    return undefined;
}

/** The certificates of a PEM bundle (its key left out), in order. */
export function certificatesOf(bundle: string): string[] {
    return [...bundle.matchAll(PEM_BLOCK)].filter((m) => m[1] === "CERTIFICATE").map((m) => m[0]);
}

/** The SHA-256 fingerprint of the first certificate in a PEM bundle. */
export function certificateSha256(bundle: string): string {
    const [first] = certificatesOf(bundle);
    if (!first) throw new Error("no CERTIFICATE block");
    return new crypto.X509Certificate(first).fingerprint256;
}

/**
 * The published endpoint's certificate: a self-signed one generated for the stack (ECDSA P-256, for the
 * published address, or the VPS's name when published on all its addresses, and a team's members' names), or the
 * user's own from secret config. Undefined when TLS is off (loopback only).
 */
export function ingressCertificate(name: string, s: DeploymentSettings, supplied: pulumi.Input<string> | undefined, parent: pulumi.Resource, teamHostNames: string[] = []): IngressCertificate | undefined {
    const publish = s.gateway.publish;
    const mode = s.gateway.tls.certificate;
    if (!publish || mode === "off") return undefined;
    if (mode === "secret-config") {
        if (supplied === undefined) throw new Error(`gateway.tls.certificate is 'secret-config' but no bundle was given: pulumi config set --secret ${INGRESS_TLS_CONFIG_KEY} -- "$(cat cert.pem key.pem)"`);
        const bundle = pulumi.secret(pulumi.output(supplied));
        return { bundle, sha256: pulumi.unsecret(bundle.apply(certificateSha256)) };
    }
    const key = new tls.PrivateKey(`${name}-tls-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, { parent, additionalSecretOutputs: ["privateKeyPem", "privateKeyPemPkcs8"] });
    const loopbackNames = publish.address === "127.0.0.1" || publish.address === "::1" ? ["localhost"] : [];
    // Published on every address of a VPS: clients reach it by the name or address the stack targets.
    const target = s.host.target;
    const vps = target.kind === "ssh" && isUnspecified(publish.address) ? target.address : undefined;
    const vpsIsIp = vps !== undefined && (/^[\d.]+$/.test(vps) || vps.includes(":"));
    const cert = new tls.SelfSignedCert(
        `${name}-tls-cert`,
        {
            privateKeyPem: key.privateKeyPem,
            subject: { commonName: "openclaw-gateway", organization: "clawcage" },
            ipAddresses: [...new Set([publish.address, "127.0.0.1", ...(vps && vpsIsIp ? [vps] : [])])].filter((a) => !isUnspecified(a)),
            dnsNames: [...loopbackNames, ...(vps && !vpsIsIp ? [vps] : []), ...teamHostNames],
            validityPeriodHours: VALIDITY_HOURS,
            earlyRenewalHours: EARLY_RENEWAL_HOURS,
            allowedUses: ["digital_signature", "key_encipherment", "server_auth"],
        },
        { parent },
    );
    const bundle = pulumi.secret(pulumi.all([cert.certPem, key.privateKeyPem]).apply(([c, k]) => `${c.trim()}\n${k.trim()}\n`));
    return { bundle, sha256: cert.certPem.apply(certificateSha256) };
}
