import { deploymentNames, settingsEndpoint } from "../../components/deployment/names";
import { EGRESS_PROXY_HOST } from "../../components/egress/egressProxy";
import { hostLayout } from "../../components/host/layout";
import { parseSettings } from "../../components/settings/parse";
import { stackFileConfig } from "../record/program";
import { stackFilePath } from "../stackFile";
import { exec } from "./docker";
import { runProcess, type RunResult } from "./process";
import type { LiveDeployment } from "../verify/check";

/** Where an operator hands clawcage one of the deployment's client tokens (never on the command line). */
export const TOKEN_ENV = "CLAWCAGE_TOKEN";

export interface Target {
    stack: string;
    /** A Pulumi.<stack>.yaml outside stacks/. */
    stackFile?: string;
    /** Run host steps in this container instead of on this machine (a host that is itself a container, as in the tests). */
    hostContainer?: string;
}

function localRoot(script: string, input?: string): Promise<RunResult> {
    return runProcess("bash", ["-c", script], { input });
}

// The lookup lives in cli/stackFile.ts (shared with `clawcage check`); re-exported for callers that import it from here.
export { stackFilePath };

/** The live deployment a stack declares, found the way `pulumi up` named it. */
export async function liveDeployment(t: Target): Promise<LiveDeployment> {
    const file = stackFilePath(t);
    const settings = parseSettings(stackFileConfig(file)["clawcage:settings"]);
    if (settings.host.target.kind !== "local" && !t.hostContainer) {
        throw new Error(`stack ${t.stack} targets ${settings.host.target.address} over SSH; run clawcage on that host (ssh targets are not driven remotely yet)`);
    }
    const onHost = t.hostContainer
        ? (script: string, input?: string) => exec(t.hostContainer ?? "", ["bash", "-c", script], { input })
        : (script: string, input?: string) => localRoot(script, input);
    const layout = hostLayout(settings);
    const publish = settings.gateway.publish;
    const names = deploymentNames();
    return {
        settings,
        layout,
        gateway: names.gateway,
        egressProxy: names.egressProxy,
        egressProxyHost: EGRESS_PROXY_HOST,
        ingressProxy: publish ? names.ingressProxy : undefined,
        endpoint: settingsEndpoint(settings),
        // A client token, for the checks that call the API; the host holds only digests of them.
        token: process.env[TOKEN_ENV] ?? "",
        onHost,
    };
}
