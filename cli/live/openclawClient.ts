import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CONNECT_PLACEHOLDER, EDGE_AUTH_ENV, renderClientConfig } from "../../components/ingress/clientConfig";
import { docker, type RunResult } from "./docker";
import { endpointFingerprint } from "./endpoint";
import { inspect } from "./probe";
import type { LiveDeployment } from "../verify/check";

/** The client config for a live deployment, as `clawcage client-config` prints it. */
export async function liveClientConfig(d: LiveDeployment): Promise<string> {
    return JSON.stringify(renderClientConfig(d.endpoint, d.endpoint.startsWith("https:") ? await endpointFingerprint(d) : ""), null, 2) + "\n";
}

/**
 * Runs the deployment's own pinned `openclaw` CLI (from the gateway's image, in a throwaway container on the
 * host's network) as a client from outside: through the published endpoint, holding only the named token,
 * which travels in the environment, never on a command line. `--token` is the CLI's connect placeholder.
 */
export async function openclawThroughEndpoint(d: LiveDeployment, args: string[], token: string, timeoutMs = 120_000): Promise<RunResult> {
    const image = (await inspect(d.gateway)).Config.Image;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-client-"));
    try {
        fs.writeFileSync(path.join(dir, "openclaw.json"), await liveClientConfig(d), { mode: 0o644 });
        fs.chmodSync(dir, 0o755);
        return await docker(
            [
                "run", "--rm", "--network", "host", "--read-only", "--tmpfs", "/tmp:rw,size=64m",
                "-e", "HOME=/tmp", "-e", "OPENCLAW_STATE_DIR=/tmp/openclaw", "-e", "OPENCLAW_CONFIG_PATH=/client/openclaw.json",
                "-e", EDGE_AUTH_ENV,
                "-v", `${dir}:/client:ro`, "--entrypoint", "openclaw", image,
                ...args, "--token", CONNECT_PLACEHOLDER,
            ],
            { env: { [EDGE_AUTH_ENV]: `Bearer ${token}` }, timeoutMs },
        );
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
