import { EDGE_AUTH_ENV, renderClientConfig } from "../../components/ingress/clientConfig";
import { docker, exec, type RunResult } from "./docker";
import { endpointFingerprint } from "./endpoint";
import { inspect } from "./probe";
import type { LiveDeployment } from "../verify/check";
import { TOKEN_ENV } from "./deployment";

/** The client config for a live deployment, as `clawcage client-config` prints it: the endpoint its settings publish. */
export async function liveClientConfig(d: LiveDeployment): Promise<string> {
    const endpoint = d.publishedEndpoint;
    return JSON.stringify(renderClientConfig(endpoint, endpoint.startsWith("https:") ? await endpointFingerprint(d) : ""), null, 2) + "\n";
}

export interface ClientContainer {
    /** `docker` arguments up to and including the image; the openclaw subcommand follows. */
    args: string[];
    /** The environment the docker CLI must run with: the edge header, never on a command line. */
    env: Record<string, string>;
    /** Removes the client's config folder. */
    done: () => Promise<unknown>;
}

/**
 * The deployment's own pinned `openclaw` CLI (from the gateway's image, in a throwaway container on the host's
 * network) as a client from outside: through the published endpoint, holding only the named token, which
 * travels in the environment. Its config folder is made on the deployment's host (a VPS's, for an ssh target),
 * where the engine that runs it can mount it. `interactive` gives it a terminal (the TUI); `stateDir` keeps its device identity.
 */
export async function clientContainer(d: LiveDeployment, token: string, interactive = false, stateDir?: string): Promise<ClientContainer> {
    const image = (await inspect(d.gateway)).Config.Image;
    const made = await d.onHost(`dir=$(mktemp -d /tmp/clawcage-client-XXXXXX) && cat > "$dir/openclaw.json" && chmod 644 "$dir/openclaw.json" && chmod 755 "$dir" && echo "$dir"`, await liveClientConfig(d));
    const dir = made.stdout.trim();
    if (made.code !== 0 || !dir.startsWith("/tmp/clawcage-client-")) throw new Error(`cannot write the client's config on the host: ${made.stderr.trim()}`);
    return {
        args: [
            "run", "--rm", ...(interactive ? ["-it"] : []), "--network", "host", "--read-only", "--tmpfs", "/tmp:rw,size=64m",
            // A team member's name (`<member>.localhost`) is loopback, which the container's resolver may not know.
            ...localhostNames(d.publishedEndpoint),
            "-e", "HOME=/tmp", "-e", "OPENCLAW_STATE_DIR=/tmp/openclaw", "-e", "OPENCLAW_CONFIG_PATH=/client/openclaw.json",
            "-e", EDGE_AUTH_ENV,
            // A client's device identity lives in its state folder: a folder of the caller's keeps it across runs.
            ...(stateDir ? ["-v", `${stateDir}:/tmp/openclaw`] : []),
            "-v", `${dir}:/client:ro`, "--entrypoint", "openclaw", image,
        ],
        env: { [EDGE_AUTH_ENV]: `Bearer ${token}` },
        done: () => d.onHost(`rm -rf '${dir}'`),
    };
}

/** `--add-host` for an endpoint on a `*.localhost` name: loopback (RFC 6761), as browsers and curl resolve it. */
function localhostNames(endpoint: string): string[] {
    const host = endpoint ? new URL(endpoint).hostname : "";
    return host.endsWith(".localhost") ? ["--add-host", `${host}:127.0.0.1`] : [];
}

/** Runs one `openclaw` command as that client. */
export async function openclawThroughEndpoint(d: LiveDeployment, args: string[], token: string, timeoutMs = 120_000): Promise<RunResult> {
    const client = await clientContainer(d, token);
    try {
        return await docker([...client.args, ...args], { env: client.env, timeoutMs });
    } finally {
        await client.done();
    }
}

/**
 * Runs an `openclaw` command that talks to the running gateway. A published gateway is reached as a client
 * reaches it, through the endpoint with the operator's token (inside the container OpenClaw would first ask
 * to pair its CLI); an unpublished one from inside, with the gateway's own token from its config.
 */
export async function openclawRpc(d: LiveDeployment, args: string[]): Promise<RunResult> {
    if (!d.ingressProxy) return exec(d.gateway, ["openclaw", ...args]);
    if (!d.token) throw new Error(`\`openclaw ${args.slice(0, 2).join(" ")}\` goes through the published endpoint: set ${TOKEN_ENV} to one of the deployment's client tokens`);
    return openclawThroughEndpoint(d, args, d.token);
}
