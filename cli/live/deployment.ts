import { deploymentNames, endpointUrl, isUnspecified, settingsEndpoint } from "../../components/deployment/names";
import { EGRESS_PROXY_HOST } from "../../components/egress/egressProxy";
import { hostLayout } from "../../components/host/layout";
import { readStackSettings, stackFilePath } from "../stackFile";
import { exec } from "./docker";
import { runProcess, type RunResult } from "./process";
import { openSshSession } from "./ssh";
import type { LiveDeployment } from "../verify/check";
import { alertDeliveries } from "../../components/watcher/deliveries";

/** Where an operator hands clawcage one of the deployment's client tokens (never on the command line). */
export const TOKEN_ENV = "CLAWCAGE_TOKEN";

export interface Target {
    stack: string;
    /** A Pulumi.<stack>.yaml outside stacks/. */
    stackFile?: string;
    /** Run host steps in this container instead of on this machine (a host that is itself a container, as in the tests). */
    hostContainer?: string;
    /** The SSH private key file for an ssh target (default: what the user's ssh agent and config offer). */
    identity?: string;
}

function localRoot(script: string, input?: string): Promise<RunResult> {
    return runProcess("bash", ["-c", script], { input });
}

// The lookup lives in cli/stackFile.ts (shared with `clawcage check`); re-exported for callers that import it from here.
export { stackFilePath };

/** The live deployment a stack declares, found the way `pulumi up` named it. */
export async function liveDeployment(t: Target): Promise<LiveDeployment> {
    const file = stackFilePath(t);
    const settings = readStackSettings(file);
    const layout = hostLayout(settings);
    const publish = settings.gateway.publish;
    let endpoint = settingsEndpoint(settings);
    let onHost = t.hostContainer
        ? (script: string, input?: string) => exec(t.hostContainer ?? "", ["bash", "-c", script], { input })
        : (script: string, input?: string) => localRoot(script, input);
    const target = settings.host.target;
    if (target.kind === "ssh" && !t.hostContainer) {
        const session = await openSshSession(target, t.identity);
        onHost = session.onHost;
        // Every docker call of this run goes to the VPS's engine, through the one pinned connection.
        process.env.DOCKER_HOST = session.dockerHost;
        // A gateway published on the VPS's own loopback is reached through the connection too.
        const tls = settings.gateway.tls.certificate !== "off";
        if (publish && /^127\./.test(publish.address)) endpoint = endpointUrl({ address: "127.0.0.1", port: await session.forward(publish.address, publish.port) }, tls);
        // Published on every address of the VPS: reached at the address the stack names it by.
        if (publish && isUnspecified(publish.address)) endpoint = endpointUrl({ address: target.address, port: publish.port }, tls);
    }
    const names = deploymentNames();
    return {
        settings,
        layout,
        gateway: names.gateway,
        egressProxy: names.egressProxy,
        egressProxyHost: EGRESS_PROXY_HOST,
        ingressProxy: publish ? names.ingressProxy : undefined,
        alertWatcher: alertDeliveries(settings) ? names.alertWatcher : undefined,
        sandboxHost: names.sandboxHost,
        endpoint,
        // A client token, for the checks that call the API; the host holds only digests of them.
        token: process.env[TOKEN_ENV] ?? "",
        onHost,
    };
}
