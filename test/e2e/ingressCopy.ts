import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { docker } from "../../cli/live/docker";
import { inspect } from "../../cli/live/probe";
import { INGRESS_FILES, PROXY_PATHS } from "../../components/host/layout";
import { HARNESS, startExtra, type Environment } from "./harness";

/** A copy of the real ingress (same image, files and certificate) with its haproxy.cfg edited, run with `dockerArgs`. */
export async function ingressCopy(env: Environment, alias: string, edit: (cfg: string) => string, dockerArgs: string[]): Promise<string> {
    const d = env.live;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `clawcage-${alias}-`));
    const copy = async (from: string, to: string, change: (text: string) => string = (t) => t) =>
        fs.writeFileSync(path.join(dir, to), change((await d.onHost(`cat '${from}'`)).stdout), { mode: 0o644 });
    await copy(d.layout.ingressConfigFile, "haproxy.cfg", edit);
    await copy(d.layout.ingressClientTokenMap, INGRESS_FILES.clientTokens);
    await copy(d.layout.ingressCertificate, INGRESS_FILES.certificate);
    fs.chmodSync(dir, 0o755);
    const image = (await inspect(d.ingressProxy ?? "")).Config.Image;
    const name = await startExtra(env, ["--name", `${HARNESS}-${alias}`, ...dockerArgs, "-v", `${dir}:${PROXY_PATHS.config}:ro`, image, "haproxy", "-W", "-db", "-f", `${PROXY_PATHS.config}/haproxy.cfg`]);
    // A copy that is not listening yet would make its control pass for the wrong reason (seen: ECONNREFUSED).
    for (let i = 0; i < 30; i++) {
        const logs = await docker(["logs", name]);
        if (/Loading success/.test(logs.stderr + logs.stdout)) return name;
        await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`the ${alias} copy did not start: ${(await docker(["logs", "--tail", "5", name])).stderr.trim()}`);
}
