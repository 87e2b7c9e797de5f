import { runChecks, type CheckResult } from "../check";
import { chosenGateway } from "../../live/deployment";
import { clusterObjects, execInPod, runningPod, type ClusterTarget } from "../../live/kubectl";
import { checkLiveObjects, CLUSTER_POLICIES } from "./liveObjects";
import { podChecks } from "./podProbes";
import type { DeploymentSettings } from "../../../components/settings/schema";

export { checkLiveObjects, CLUSTER_POLICIES } from "./liveObjects";
export { podChecks, UNLISTED_HOST, type PodCheck, type ProbedGateway } from "./podProbes";

/** A policy's layer from its tags (layer-1 → L1). */
const layerOf = (policyName: string): string => {
    const tag = CLUSTER_POLICIES.find((p) => p.name === policyName)?.tags?.find((t) => /^layer-\d$/.test(t));
    return tag ? `L${tag.slice("layer-".length)}` : "L?";
};

/**
 * `clawcage verify --kubernetes`: the pack's cluster policies on the objects the API server holds now, then the
 * probes inside a running gateway pod (a team member's, given one). Read-only: it creates, edits and deletes
 * nothing, reads no Secret, and sends nothing to the internet (the proxy probe asks for a `.invalid` name).
 */
export async function verifyCluster(settings: DeploymentSettings, target: ClusterTarget, member: string | undefined, progress: (line: string) => void): Promise<CheckResult[]> {
    // A team's gateway is named before anything is read: a missing or unknown member is a usage error.
    const plan = chosenGateway(settings, member);
    progress(`reading namespace ${target.namespace}: its Deployments, NetworkPolicies and ConfigMaps`);
    const objects = await clusterObjects(target);
    const results: CheckResult[] = (await checkLiveObjects(objects)).map((r) => ({
        layer: layerOf(r.policy),
        name: `the pack's ${r.policy} holds on the live objects`,
        expected: "no violation",
        observed: r.observed,
        pass: r.pass,
    }));
    const pod = await runningPod(target, "gateway", plan.member);
    progress(`probing inside pod ${pod}`);
    return [...results, ...(await runChecks(Object.values(podChecks), { settings: plan.settings, exec: (command: string[]) => execInPod(target, pod, "gateway", command) }))];
}
