import { docker, exec } from "./docker";

/** Runs a Node script inside a container (the gateway image has node) and returns its trimmed stdout. */
export async function nodeProbe(container: string, script: string): Promise<string> {
    const r = await exec(container, ["node", "-e", script]);
    return (r.stdout.trim() || r.stderr.trim()).split("\n").slice(-1)[0] ?? "";
}

/** `docker inspect` of one container as parsed JSON. */
export async function inspect(container: string): Promise<InspectedContainer> {
    const r = await docker(["inspect", container]);
    if (r.code !== 0) throw new Error(`docker inspect ${container}: ${r.stderr.trim()}`);
    return (JSON.parse(r.stdout) as InspectedContainer[])[0];
}

export interface InspectedContainer {
    Config: { User: string; Image: string };
    State: { Running: boolean; Health?: { Status: string } };
    HostConfig: {
        Memory: number;
        MemorySwap: number;
        NanoCpus: number;
        ReadonlyRootfs: boolean;
        Privileged: boolean;
        SecurityOpt: string[] | null;
        CapDrop: string[] | null;
        CapAdd: string[] | null;
        PortBindings: Record<string, { HostIp: string; HostPort: string }[]> | null;
    };
    NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
}

/** One line of a /proc status file, e.g. "CapEff". */
export async function procStatus(container: string, field: string): Promise<string> {
    const r = await exec(container, ["cat", "/proc/1/status"]);
    return new RegExp(`^${field}:\\s*(\\S+)`, "m").exec(r.stdout)?.[1] ?? `no ${field}`;
}

/** Tries a TCP connection from inside a container: CONNECTED, TIMEOUT, or the error code. */
export function connectFrom(container: string, host: string, port: number): Promise<string> {
    return nodeProbe(
        container,
        `const s=require("net").connect({host:${JSON.stringify(host)},port:${port},timeout:5000});s.on("connect",()=>{console.log("CONNECTED");s.destroy()});s.on("timeout",()=>{console.log("TIMEOUT");s.destroy()});s.on("error",e=>console.log(e.code))`,
    );
}
