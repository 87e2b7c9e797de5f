import * as crypto from "node:crypto";

/**
 * Ed25519 SSH keys from 32 random bytes (a Pulumi RandomBytes, so a key is stable across runs, secret in state,
 * and replaced by changing its keeper). Pure: the seed in, OpenSSH's own file formats out, so that neither the
 * host nor the containers need ssh-keygen, and no key is ever made by a process the agent can reach.
 */

export interface SshKeyPair {
    /** The private key file (`-----BEGIN OPENSSH PRIVATE KEY-----`), unencrypted. */
    privateKey: string;
    /** `ssh-ed25519 AAAA… comment`: an authorized_keys or known_hosts entry. */
    publicKey: string;
}

// RFC 8410: the DER prefix of a PKCS#8 Ed25519 private key, followed by the 32-byte seed.
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/** An SSH wire-format string: uint32 length, then the bytes. */
function sshString(data: Buffer | string): Buffer {
    const bytes = typeof data === "string" ? Buffer.from(data) : data;
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
}

const uint32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n >>> 0);
    return b;
};

export function ed25519KeyPair(seed: Buffer, comment: string): SshKeyPair {
    if (seed.length !== 32) throw new Error(`an Ed25519 seed is 32 bytes, not ${seed.length}`);
    const key = crypto.createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: "der", type: "pkcs8" });
    const publicRaw = Buffer.from(String(crypto.createPublicKey(key).export({ format: "jwk" }).x), "base64url");
    const publicBlob = Buffer.concat([sshString("ssh-ed25519"), sshString(publicRaw)]);
    // openssh-key-v1, unencrypted: the check integer only detects a wrong passphrase, so a value derived from the
    // seed keeps the file identical from run to run.
    const check = crypto.createHash("sha256").update(seed).digest().readUInt32BE(0);
    let secret = Buffer.concat([uint32(check), uint32(check), sshString("ssh-ed25519"), sshString(publicRaw), sshString(Buffer.concat([seed, publicRaw])), sshString(comment)]);
    const padding = (8 - (secret.length % 8)) % 8;
    secret = Buffer.concat([secret, Buffer.from(Array.from({ length: padding }, (_, i) => i + 1))]);
    const body = Buffer.concat([Buffer.from("openssh-key-v1\0"), sshString("none"), sshString("none"), sshString(""), uint32(1), sshString(publicBlob), sshString(secret)]);
    const lines = body.toString("base64").match(/.{1,70}/g) ?? [];
    return {
        privateKey: ["-----BEGIN OPENSSH PRIVATE KEY-----", ...lines, "-----END OPENSSH PRIVATE KEY-----", ""].join("\n"),
        publicKey: `ssh-ed25519 ${publicBlob.toString("base64")} ${comment}`,
    };
}
