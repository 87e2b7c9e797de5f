import { z } from "zod";
import { docker, exec, type RunResult } from "./docker";

/** The last line a probe printed (or, printing nothing, its last error line). */
export const lastLine = (r: { stdout: string; stderr: string }) => (r.stdout.trim() || r.stderr.trim()).split("\n").slice(-1)[0] ?? "";

/** Runs a Node script inside a container (the gateway image has node) and returns its trimmed stdout. */
export async function nodeProbe(container: string, script: string): Promise<string> {
    return lastLine(await exec(container, ["node", "-e", script]));
}

/**
 * Runs a Node script in a throwaway container of `image` (one with node) on `network`: a client there that is
 * none of the deployment's containers. Hardened like them, and removed when it ends.
 */
export async function nodeProbeOn(network: string, image: string, script: string): Promise<string> {
    const hardened = ["--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--user", "65534:65534"];
    return lastLine(await docker(["run", "--rm", "--network", network, ...hardened, "--entrypoint", "node", image, "-e", script], { timeoutMs: 120_000 }));
}

/**
 * The part of `docker inspect` that clawcage reads. Loose objects: every other field is kept as the engine
 * gave it (the emergency stop saves the whole document as evidence).
 */
const inspectedContainer = z.looseObject({
    Id: z.string(),
    Config: z.looseObject({
        User: z.string(),
        Image: z.string(),
        Env: z.array(z.string()).nullable().optional(),
        Entrypoint: z.array(z.string()).nullable().optional(),
        Cmd: z.array(z.string()).nullable(),
        Labels: z.record(z.string(), z.string()).nullable().optional(),
    }),
    State: z.looseObject({ Running: z.boolean(), Health: z.looseObject({ Status: z.string() }).optional() }),
    HostConfig: z.looseObject({
        Memory: z.number(),
        MemorySwap: z.number(),
        NanoCpus: z.number(),
        ReadonlyRootfs: z.boolean(),
        Privileged: z.boolean(),
        SecurityOpt: z.array(z.string()).nullable(),
        CapDrop: z.array(z.string()).nullable(),
        CapAdd: z.array(z.string()).nullable(),
        PidsLimit: z.number().nullable().optional(),
        Runtime: z.string().optional(),
        Tmpfs: z.record(z.string(), z.string()).nullable().optional(),
        PortBindings: z.record(z.string(), z.array(z.looseObject({ HostIp: z.string(), HostPort: z.string() })).nullable()).nullable(),
    }),
    Mounts: z.array(z.looseObject({ Type: z.string(), Source: z.string(), Destination: z.string(), RW: z.boolean() })).optional(),
    NetworkSettings: z.looseObject({ Networks: z.record(z.string(), z.looseObject({ IPAddress: z.string() })) }),
});

export type InspectedContainer = z.infer<typeof inspectedContainer>;

/** `docker inspect` output of one container, checked against the fields clawcage reads. */
export function parseInspect(container: string, stdout: string): InspectedContainer {
    const parsed = z.array(inspectedContainer).length(1).safeParse(JSON.parse(stdout));
    if (!parsed.success) throw new Error(`docker inspect ${container}: unexpected output (${z.prettifyError(parsed.error).replace(/\n/g, "; ")})`);
    return parsed.data[0];
}

/** `docker inspect` of one container. */
export async function inspect(container: string): Promise<InspectedContainer> {
    const r = await docker(["inspect", container]);
    if (r.code !== 0) throw new Error(`docker inspect ${container}: ${r.stderr.trim()}`);
    return parseInspect(container, r.stdout);
}

/**
 * The host kernel's pids limit of a container's cgroup (v1 or v2, either cgroup driver), read on the engine's host by a
 * throwaway runc container of the same image with the host's cgroup tree mounted read-only. Read on the host because
 * under gVisor the container sees no cgroup at all, and what the host kernel enforces is what counts.
 */
export async function hostPidsMax(container: string): Promise<string> {
    const found = await inspect(container);
    const id = z.string().regex(/^[0-9a-f]{64}$/).parse(found.Id);
    const hardened = ["--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--user", "65534:65534", "--network", "none", "--runtime", "runc"];
    const script = `find /host-cgroup -path '*${id}*' -name pids.max -exec cat {} + 2>/dev/null | head -1`;
    const r = await docker(["run", "--rm", ...hardened, "-v", "/sys/fs/cgroup:/host-cgroup:ro", "--entrypoint", "sh", found.Config.Image, "-c", script], { timeoutMs: 60_000 });
    return r.stdout.trim() || `unread (${r.stderr.trim().slice(0, 60)})`;
}

/** One field of a /proc status text, e.g. "CapEff". */
export const statusField = (text: string, field: string): string => new RegExp(`^${field}:\\s*(\\S+)`, "m").exec(text)?.[1] ?? `no ${field}`;

/** The no_new_privs flag from `setpriv -d` (prctl's answer: gVisor's /proc does not show it), or why it is unread. */
export const noNewPrivsFlag = (r: RunResult): string => /^no_new_privs:\s*(\d)/m.exec(r.stdout)?.[1] ?? `unread (${r.stderr.trim().slice(0, 40)})`;

/** One line of a /proc status file, e.g. "CapEff". */
export async function procStatus(container: string, field: string): Promise<string> {
    return statusField((await exec(container, ["cat", "/proc/1/status"])).stdout, field);
}

/** A Node script that tries a TCP connection and prints CONNECTED, TIMEOUT, or the error code. */
export const connectScript = (host: string, port: number): string =>
    `const s=require("net").connect({host:${JSON.stringify(host)},port:${port},timeout:5000});s.on("connect",()=>{console.log("CONNECTED");s.destroy()});s.on("timeout",()=>{console.log("TIMEOUT");s.destroy()});s.on("error",e=>console.log(e.code))`;

/** Tries a TCP connection from inside a container: CONNECTED, TIMEOUT, or the error code. */
export function connectFrom(container: string, host: string, port: number): Promise<string> {
    return nodeProbe(container, connectScript(host, port));
}

/** A container's address on one of its networks, read from the engine. */
export async function addressOn(container: string, network: string): Promise<string> {
    const address = (await inspect(container)).NetworkSettings.Networks[network]?.IPAddress;
    if (!address) throw new Error(`${container} has no address on ${network}`);
    return address;
}
