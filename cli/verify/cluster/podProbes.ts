import type { RunResult } from "../../live/process";
import { connectScript, lastLine, noNewPrivsFlag, statusField } from "../../live/probe";
import type { Probe } from "../check";
import { GATEWAY_PATHS } from "../../../components/host/layout";
import type { DeploymentSettings } from "../../../components/settings/schema";

/**
 * What the cluster's verification reads inside the gateway's pod, through nothing but a command run in its
 * container (`kubectl exec` on a cluster, `docker exec` in the tests, which have no cluster): the kernel's view of
 * the process, the files it holds, and where its connections go. The pod's spec says what was asked; these say what
 * the node's runtime and the network plugin actually did with it.
 */
export interface ProbedGateway {
    settings: DeploymentSettings;
    /** Runs a command in the gateway's container, as the container's own user. */
    exec: (command: string[]) => Promise<RunResult>;
    /** The outside address the "no way out" probe tries (the guide's 8.8.8.8; the tests point it at a stub). */
    outsideAddress?: string;
}

export type PodCheck = Probe<ProbedGateway>;

/** A name no allowlist holds (the reserved `.invalid`): squid refuses it by name, before any lookup, so nothing leaves. */
export const UNLISTED_HOST = "clawcage-verify.invalid";

/** Where the kubelet mounts a pod's service-account token, unless the pod opts out. */
const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** The gateway's credentials: closed to every other user of the node's kernel. */
const CREDENTIAL_FILES = [GATEWAY_PATHS.tokenFile, GATEWAY_PATHS.sandboxClientKeyFile];

const node = async (g: ProbedGateway, script: string) => lastLine(await g.exec(["node", "-e", script]));

/** One field of the gateway process's /proc status (pid 1 of its container). */
async function status(g: ProbedGateway, field: string): Promise<string> {
    return statusField((await g.exec(["cat", "/proc/1/status"])).stdout, field);
}

/** CONNECT through the proxy the gateway's environment names: the proxy's status code, or why there is none. */
const PROXY_CONNECT = (host: string) =>
    `const p=process.env.HTTPS_PROXY;if(!p){console.log("no HTTPS_PROXY");process.exit()}const u=new URL(p);` +
    `const s=require("net").connect({host:u.hostname,port:Number(u.port)||80,timeout:10000},()=>s.write("CONNECT ${host}:443 HTTP/1.1\\r\\nHost: ${host}:443\\r\\n\\r\\n"));` +
    `s.once("data",d=>{console.log(String(d).split(" ")[1]);s.destroy()});s.on("timeout",()=>{console.log("TIMEOUT");s.destroy()});s.on("error",e=>console.log(e.code))`;

export const podChecks = {
    uid: {
        layer: "L1",
        name: "the gateway runs as the deployment's uid",
        expected: "uid from settings.host.uid",
        run: async (g) => {
            const uid = (await g.exec(["id", "-u"])).stdout.trim();
            return { observed: `uid ${uid || "unread"}`, pass: uid === String(g.settings.host.uid) };
        },
    },
    readOnlyRoot: {
        layer: "L1",
        name: "touch /test.txt fails: read-only root",
        expected: "Read-only file system",
        run: async (g) => {
            const r = await g.exec(["touch", "/test.txt"]);
            return { observed: `exit ${r.code}: ${r.stderr.trim()}`, pass: r.code !== 0 && /Read-only file system/.test(r.stderr) };
        },
    },
    noCapabilities: {
        layer: "L1",
        name: "no capabilities: effective and bounding sets empty",
        expected: "CapEff=0 CapBnd=0",
        run: async (g) => {
            const [eff, bnd] = [await status(g, "CapEff"), await status(g, "CapBnd")];
            return { observed: `CapEff=${eff} CapBnd=${bnd}`, pass: /^0+$/.test(eff) && /^0+$/.test(bnd) };
        },
    },
    noNewPrivileges: {
        layer: "L1",
        name: "no privilege escalation: no_new_privs set",
        expected: "no_new_privs=1",
        run: async (g) => {
            const flag = noNewPrivsFlag(await g.exec(["setpriv", "-d"]));
            return { observed: `no_new_privs=${flag}`, pass: flag === "1" };
        },
    },
    seccomp: {
        layer: "L1",
        name: "a seccomp filter is in force on the gateway",
        expected: "Seccomp=2 (filter)",
        run: async (g) => {
            const mode = await status(g, "Seccomp");
            return { observed: `Seccomp=${mode}`, pass: mode === "2" };
        },
    },
    noServiceAccountToken: {
        layer: "L2",
        name: "no service-account token in the gateway: the agent holds no key to the cluster's API",
        expected: "absent",
        run: async (g) => {
            // The shell answers either way: a command that never ran is not an absence.
            const r = await g.exec(["sh", "-c", `if [ -e ${SERVICE_ACCOUNT_DIR} ]; then echo present; else echo absent; fi`]);
            const observed = lastLine(r);
            return { observed, pass: observed === "absent" };
        },
    },
    credentialsClosed: {
        layer: "L2",
        name: "the gateway's token and sandbox key are readable by it and closed to others",
        expected: "readable, no permission for others",
        run: async (g) => {
            const seen = await Promise.all(
                CREDENTIAL_FILES.map(async (f) => {
                    const mode = (await g.exec(["stat", "-L", "-c", "%a", f])).stdout.trim();
                    const readable = (await g.exec(["head", "-c", "0", f])).code === 0;
                    return { f, mode, pass: /^[0-7]{3,4}$/.test(mode) && (parseInt(mode, 8) & 0o007) === 0 && readable };
                }),
            );
            return { observed: seen.map((s) => `${s.f} ${s.mode || "absent"}`).join(", "), pass: seen.every((s) => s.pass) };
        },
    },
    noWayOut: {
        layer: "L5",
        name: "ping 8.8.8.8 fails: the network plugin lets the gateway out only through the proxy",
        expected: "no connection",
        run: async (g) => {
            const observed = await node(g, connectScript(g.outsideAddress ?? "8.8.8.8", 53));
            // Only the probe's own answers count as no way out (a timeout, a refusal, no route); a probe that never ran is not one.
            return { observed, pass: /^(TIMEOUT|E[A-Z]+)$/.test(observed) };
        },
    },
    proxyRefusesUnlisted: {
        layer: "L5",
        name: "the egress proxy refuses a host the allowlist lacks",
        expected: `CONNECT ${UNLISTED_HOST} → 403`,
        run: async (g) => {
            const observed = await node(g, PROXY_CONNECT(UNLISTED_HOST));
            return { observed: `CONNECT ${UNLISTED_HOST} → ${observed}`, pass: observed === "403" };
        },
    },
} satisfies Record<string, PodCheck>;
