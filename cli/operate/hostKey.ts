import { stackFileConfig } from "../record/program";
import { editStackSetting } from "../stackFile";
import { runProcess } from "../live/process";
import { hostKeyFingerprint, parseHostKey } from "../../components/host/sshHostKey";

/**
 * "Fetched once, then checked": reads the host key a VPS offers, for the user to compare with the server's
 * console, and writes it into the stack file only with the fingerprint the user confirmed. From then on every
 * connection accepts that key alone.
 */
export interface HostKeyScan {
    address: string;
    port: number;
    line: string;
    fingerprint: string;
    written: boolean;
}

interface RawTarget {
    kind?: string;
    address?: string;
    port?: number;
}

export async function hostKeyOfStack(file: string, confirmed?: string): Promise<HostKeyScan> {
    const settings = stackFileConfig(file)["clawcage:settings"] as { host?: { target?: RawTarget } } | undefined;
    const target = settings?.host?.target;
    if (target?.kind !== "ssh" || !target.address) throw new Error(`${file}: host.target is not an ssh target with an address; there is no host key to pin`);
    const port = target.port ?? 22;
    const scan = await runProcess("ssh-keyscan", ["-T", "15", "-p", String(port), "-t", "ed25519", target.address], { timeoutMs: 30_000 });
    const line = scan.stdout.split("\n").find((l) => l.split(" ")[1] === "ssh-ed25519")?.split(" ").slice(1, 3).join(" ");
    const key = line ? parseHostKey(line) : "no ed25519 host key offered";
    if (!line || typeof key === "string") throw new Error(`cannot read the host key of ${target.address}:${port}: ${typeof key === "string" ? key : ""} ${scan.stderr.trim()}`);
    const fingerprint = hostKeyFingerprint(key);
    if (confirmed !== undefined && confirmed !== fingerprint) {
        throw new Error(`${target.address}:${port} offers ${fingerprint}, not the ${confirmed} you confirmed: nothing written. Someone may be in the middle; check on the server's console.`);
    }
    if (confirmed !== undefined) editStackSetting(file, ["host", "target", "hostKey"], line);
    return { address: target.address, port, line, fingerprint, written: confirmed !== undefined };
}
