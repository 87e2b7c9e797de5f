import * as crypto from "node:crypto";

/**
 * The VPS's SSH host key, as pinned in `host.target.hostKey`: one OpenSSH public key line
 * (`ssh-ed25519 AAAA…`, what `/etc/ssh/ssh_host_ed25519_key.pub` holds). Every connection — the host steps,
 * the Docker provider, the operations CLI — accepts that key and no other.
 */

/** Key types OpenSSH offers as host keys. */
const HOST_KEY_TYPES = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa"] as const;

export interface HostKey {
    type: string;
    /** The base64 key blob, as in a known_hosts line. */
    blob: string;
}

/** How to find the key to pin, for every message that asks for one. */
export const HOST_KEY_HOW =
    "read it on the server's own console (`cat /etc/ssh/ssh_host_ed25519_key.pub`), or fetch it with `clawcage host-key --stack <stack>` and confirm its fingerprint on the console (`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`)";

/** The key's parts, or why the line is not an OpenSSH host key. */
export function parseHostKey(line: string): HostKey | string {
    const [type, blob] = line.trim().split(/\s+/);
    if (!HOST_KEY_TYPES.includes(type as (typeof HOST_KEY_TYPES)[number])) {
        return `'${type ?? ""}' is not an SSH host key type (${HOST_KEY_TYPES.join(", ")}); pin the whole line, e.g. 'ssh-ed25519 AAAAC3…'`;
    }
    const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(blob ?? "") ? Buffer.from(blob, "base64") : Buffer.alloc(0);
    // The blob starts with its own type as a length-prefixed string: a pasted or cut key fails here.
    const inner = bytes.length > 4 ? bytes.subarray(4, 4 + bytes.readUInt32BE(0)).toString("latin1") : "";
    if (inner !== type) return `the key after '${type}' is not a ${type} key blob (cut or mistyped?); copy the whole line again`;
    return { type, blob };
}

/** The fingerprint `ssh-keygen -l` prints (SHA256:…), which users compare on the server's console. */
export function hostKeyFingerprint(key: HostKey): string {
    return `SHA256:${crypto.createHash("sha256").update(Buffer.from(key.blob, "base64")).digest("base64").replace(/=+$/, "")}`;
}

/** The known_hosts line that pins the key for this address and port (OpenSSH's `[host]:port` form off port 22). */
export function knownHostsLine(target: { address: string; port: number }, key: HostKey): string {
    const host = target.port === 22 ? target.address : `[${target.address}]:${target.port}`;
    return `${host} ${key.type} ${key.blob}`;
}

/** Parses a key the settings already accepted (the schema checks it); throws on anything else. */
export function pinnedHostKey(line: string): HostKey {
    const key = parseHostKey(line);
    if (typeof key === "string") throw new Error(`host.target.hostKey: ${key}`);
    return key;
}
