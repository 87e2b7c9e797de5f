import { strict as assert } from "node:assert";
import * as crypto from "node:crypto";
import { ed25519KeyPair } from "../../components/sandbox/sshKeys";
import { renderSshdConfig, sandboxKnownHosts } from "../../components/sandbox/sshdConfig";
import { byName, reveal, runProgram, type ProgramRun } from "../../cli/record/program";

/** The gateway container's config-digest label in a recorded run. */
const configDigest = (run: ProgramRun) =>
    (reveal(byName(run, "openclaw-gateway-container").inputs) as { labels: { label: string; value: string }[] }).labels.find((l) => l.label === "clawcage.config-digest")?.value;

/** Reads SSH wire-format strings one after another. */
function reader(buf: Buffer) {
    let at = 0;
    return {
        string(): Buffer {
            const n = buf.readUInt32BE(at);
            const out = buf.subarray(at + 4, at + 4 + n);
            at += 4 + n;
            return out;
        },
        uint32(): number {
            at += 4;
            return buf.readUInt32BE(at - 4);
        },
        rest: () => buf.subarray(at),
    };
}

describe("sandbox host: SSH keys made from a random seed, sshd for one key and one account", () => {
    const seed = Buffer.from("0f".repeat(32), "hex");

    it("the public key is the private seed's: a signature by the seed verifies with it", () => {
        const pair = ed25519KeyPair(seed, "test");
        const [type, blob, comment] = pair.publicKey.split(" ");
        assert.deepEqual([type, comment], ["ssh-ed25519", "test"]);
        const wire = reader(Buffer.from(blob, "base64"));
        assert.equal(wire.string().toString(), "ssh-ed25519");
        const raw = wire.string();
        const publicKey = crypto.createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: raw.toString("base64url") }, format: "jwk" });
        const privateKey = crypto.createPrivateKey({ key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]), format: "der", type: "pkcs8" });
        const message = Buffer.from("clawcage");
        assert.ok(crypto.verify(null, message, publicKey, crypto.sign(null, message, privateKey)));
        // Negative control: another seed's signature does not verify.
        const other = crypto.createPrivateKey({ key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), Buffer.alloc(32, 1)]), format: "der", type: "pkcs8" });
        assert.ok(!crypto.verify(null, message, publicKey, crypto.sign(null, message, other)));
    });

    it("the private key file is OpenSSH's unencrypted openssh-key-v1, holding the same key, padded to 8 bytes", () => {
        const pair = ed25519KeyPair(seed, "test");
        const lines = pair.privateKey.trim().split("\n");
        assert.equal(lines[0], "-----BEGIN OPENSSH PRIVATE KEY-----");
        assert.equal(lines[lines.length - 1], "-----END OPENSSH PRIVATE KEY-----");
        assert.ok(lines.slice(1, -1).every((l) => l.length <= 70));
        const body = Buffer.from(lines.slice(1, -1).join(""), "base64");
        assert.equal(body.subarray(0, 15).toString(), "openssh-key-v1\0");
        const r = reader(body.subarray(15));
        assert.deepEqual([r.string().toString(), r.string().toString(), r.string().length, r.uint32()], ["none", "none", 0, 1]);
        const publicBlob = r.string();
        assert.equal(publicBlob.toString("base64"), pair.publicKey.split(" ")[1]);
        const secret = r.string();
        assert.equal(secret.length % 8, 0);
        const s = reader(secret);
        assert.equal(s.uint32(), s.uint32(), "the two check integers match");
        assert.equal(s.string().toString(), "ssh-ed25519");
        const pub = s.string();
        assert.deepEqual(s.string(), Buffer.concat([seed, pub]));
        assert.equal(s.string().toString(), "test");
        assert.deepEqual([...s.rest()], Array.from({ length: s.rest().length }, (_, i) => i + 1));
    });

    it("is stable for a seed (no rewrite on every run) and refuses a seed that is not 32 bytes", () => {
        assert.deepEqual(ed25519KeyPair(seed, "a"), ed25519KeyPair(seed, "a"));
        assert.notEqual(ed25519KeyPair(Buffer.alloc(32, 2), "a").publicKey, ed25519KeyPair(seed, "a").publicKey);
        assert.throws(() => ed25519KeyPair(Buffer.alloc(16), "a"), /32 bytes/);
    });

    it("sshd lets in one account by one Ed25519 key, forwards nothing, and the gateway pins its host key", () => {
        const conf = renderSshdConfig("clawuser");
        for (const line of ["AllowUsers clawuser", "AuthenticationMethods publickey", "PubkeyAcceptedAlgorithms ssh-ed25519", "PasswordAuthentication no", "DisableForwarding yes", "PermitTunnel no", "PermitRootLogin no"]) {
            assert.ok(conf.split("\n").includes(line), line);
        }
        assert.equal(sandboxKnownHosts("ssh-ed25519 AAAA x"), "[openclaw-sandbox]:2222 ssh-ed25519 AAAA x\n");
    });

    it("a new rollout stage replaces the gateway (the exec allowlist loads at start); unchanged settings keep it", async () => {
        const stage = (rollout: object, tools: object = {}) => runProgram({ "clawcage:settings": { rollout, tools } }, []);
        const readOnly = configDigest(await stage({ stage: "observe" }));
        assert.match(readOnly ?? "", /^[0-9a-f]{64}$/);
        assert.notEqual(configDigest(await stage({ stage: "git" })), readOnly);
        assert.equal(configDigest(await stage({ stage: "observe" })), readOnly);
    });
});
