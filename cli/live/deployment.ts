import { DEPLOYMENT_NAME, deploymentNames, endpointUrl, isUnspecified } from "../../components/deployment/names";
import { gatewayPlans, isTeam, type GatewayPlan } from "../../components/deployment/team";
import type { DeploymentSettings } from "../../components/settings/schema";
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
    /** A team's member, whose gateway to work on. */
    member?: string;
}

/** The gateway a command works on: a team's member's (which the operator must name), or the stack's one. */
export function chosenGateway(settings: DeploymentSettings, member: string | undefined): GatewayPlan {
    const plans = gatewayPlans(DEPLOYMENT_NAME, settings);
    if (!isTeam(settings)) {
        if (member !== undefined) throw new Error(`--member ${member}: this stack has one gateway (settings.team.members is empty); leave --member out`);
        return plans[0];
    }
    const team = plans.map((p) => p.member).join(", ");
    const plan = plans.find((p) => p.member === member);
    if (!plan) throw new Error(member === undefined ? `this stack is a team (${team}): name the member whose gateway to work on with --member <name>` : `--member ${member}: no such member in this stack's team (${team})`);
    return plan;
}

function localRoot(script: string, input?: string): Promise<RunResult> {
    return runProcess("bash", ["-c", script], { input });
}

// The lookup lives in cli/stackFile.ts (shared with `clawcage check`); re-exported for callers that import it from here.
export { stackFilePath };

/** The live deployment a stack declares, found the way `pulumi up` named it. */
export async function liveDeployment(t: Target): Promise<LiveDeployment> {
    const file = stackFilePath(t);
    const stackSettings = readStackSettings(file);
    const plan = chosenGateway(stackSettings, t.member);
    // The member's own settings and folders; the proxies' files stay where the deployment's root keeps them.
    const settings = plan.settings;
    const layout = hostLayout(settings, stackSettings.host.root);
    const publish = settings.gateway.publish;
    let endpoint = plan.endpoint;
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
        // A team's member keeps its host name (every *.localhost name is loopback): the ingress routes by it.
        if (publish && /^127\./.test(publish.address)) endpoint = endpointUrl({ address: plan.hostName ?? "127.0.0.1", port: await session.forward(publish.address, publish.port) }, tls);
        // Published on every address of the VPS: reached at the address the stack names it by.
        if (publish && isUnspecified(publish.address) && !plan.hostName) endpoint = endpointUrl({ address: target.address, port: publish.port }, tls);
    }
    const names = plan.names;
    const shared = deploymentNames();
    return {
        member: plan.member,
        settings,
        layout,
        gateway: names.gateway,
        egressProxy: shared.egressProxy,
        egressProxyHost: EGRESS_PROXY_HOST,
        ingressProxy: publish ? shared.ingressProxy : undefined,
        alertWatcher: alertDeliveries(settings) ? names.alertWatcher : undefined,
        sandboxHost: names.sandboxHost,
        endpoint,
        publishedEndpoint: plan.endpoint,
        // A client token, for the checks that call the API; the host holds only digests of them.
        token: process.env[TOKEN_ENV] ?? "",
        onHost,
    };
}
