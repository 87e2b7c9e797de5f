import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync } from "node:child_process";

/**
 * What the Pulumi TLS provider would return, made the same way by local tools: Node's crypto makes the key and
 * OpenSSL signs the self-signed certificate, with the subject, names, validity and uses the program asked for.
 * The recorded program (the e2e deploys it) then serves a real certificate, as `pulumi up` would.
 */

export const TLS_PRIVATE_KEY = "tls:index/privateKey:PrivateKey";
export const TLS_SELF_SIGNED_CERT = "tls:index/selfSignedCert:SelfSignedCert";

const CURVES: Record<string, string> = { P256: "prime256v1", P384: "secp384r1", P521: "secp521r1" };

export function privateKeyState(inputs: Record<string, unknown>): Record<string, unknown> {
    if (inputs.algorithm !== "ECDSA") throw new Error(`tls stand-in: only ECDSA keys are made here (asked for ${String(inputs.algorithm)})`);
    const namedCurve = CURVES[String(inputs.ecdsaCurve)];
    if (!namedCurve) throw new Error(`tls stand-in: unknown curve ${String(inputs.ecdsaCurve)}`);
    const { privateKey, publicKey } = crypto.generateKeyPairSync("ec", { namedCurve });
    return {
        privateKeyPem: privateKey.export({ type: "sec1", format: "pem" }).toString(),
        privateKeyPemPkcs8: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    };
}

interface CertInputs {
    privateKeyPem: string;
    subject?: { commonName?: string; organization?: string };
    ipAddresses?: string[];
    dnsNames?: string[];
    validityPeriodHours: number;
    allowedUses: string[];
}

const EXTENDED_USES: Record<string, string> = { server_auth: "serverAuth", client_auth: "clientAuth" };
const KEY_USES: Record<string, string> = { digital_signature: "digitalSignature", key_encipherment: "keyEncipherment" };

/** `inputs` with secrets revealed. */
export function selfSignedCertState(inputs: CertInputs): Record<string, unknown> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-tls-"));
    try {
        const keyFile = path.join(dir, "key.pem");
        fs.writeFileSync(keyFile, inputs.privateKeyPem, { mode: 0o600 });
        const subject = `/O=${inputs.subject?.organization ?? ""}/CN=${inputs.subject?.commonName ?? ""}`;
        const san = [...(inputs.dnsNames ?? []).map((d) => `DNS:${d}`), ...(inputs.ipAddresses ?? []).map((ip) => `IP:${ip}`)];
        const keyUses = inputs.allowedUses.map((u) => KEY_USES[u]).filter(Boolean);
        const extUses = inputs.allowedUses.map((u) => EXTENDED_USES[u]).filter(Boolean);
        const days = String(Math.max(1, Math.floor(inputs.validityPeriodHours / 24)));
        const args = ["req", "-x509", "-new", "-key", keyFile, "-subj", subject, "-days", days, "-sha256"];
        if (san.length > 0) args.push("-addext", `subjectAltName=${san.join(",")}`);
        if (keyUses.length > 0) args.push("-addext", `keyUsage=critical,${keyUses.join(",")}`);
        if (extUses.length > 0) args.push("-addext", `extendedKeyUsage=${extUses.join(",")}`);
        const certPem = execFileSync("openssl", args, { encoding: "utf8" });
        return { certPem };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
