import { evaluatePolicy } from "../../check/evaluate";
import type { PolicyInput } from "../../check/policyInputs";
import type { ClusterObject } from "../../live/kubectl";
import { policies, type ClawcagePolicy } from "../../../policy/api";

/** The pack's policies written for a cluster's objects (tagged `kubernetes`). */
export const CLUSTER_POLICIES: ClawcagePolicy[] = policies.filter((p) => p.tags?.includes("kubernetes"));

/** An object's type as Pulumi's Kubernetes provider names it, e.g. kubernetes:apps/v1:Deployment (the core group is `core`). */
export function pulumiTypeOf(o: Pick<ClusterObject, "apiVersion" | "kind">): string {
    const groupVersion = o.apiVersion.includes("/") ? o.apiVersion : `core/${o.apiVersion}`;
    return `kubernetes:${groupVersion}:${o.kind}`;
}

/** The cluster's objects as the pack reads a stack's: each one its own inputs and state. */
export const asPolicyInputs = (objects: ClusterObject[]): PolicyInput[] =>
    objects.map((o) => ({ type: pulumiTypeOf(o), name: o.metadata.name, custom: true, inputs: o, state: o }));

export interface LiveObjectResult {
    policy: string;
    observed: string;
    pass: boolean;
}

/**
 * The pack's cluster policies run on what the API server holds now, not on what `pulumi preview` planned: a
 * Deployment edited by hand, a NetworkPolicy deleted, or a namespace relabelled since the last `pulumi up` fails
 * here. A policy that finds nothing to read fails too: the deployment's objects are missing.
 */
export async function checkLiveObjects(objects: ClusterObject[]): Promise<LiveObjectResult[]> {
    const inputs = asPolicyInputs(objects);
    const results: LiveObjectResult[] = [];
    for (const policy of CLUSTER_POLICIES) {
        const r = await evaluatePolicy(policy, inputs, "live");
        const observed =
            r.status === "pass"
                ? `holds on ${objects.length} objects`
                : r.status === "n/a"
                  ? `nothing to read: ${r.notApplicable.join("; ")}`
                  : [...r.violations.map((v) => v.message), ...r.notes].join("; ");
        results.push({ policy: policy.name, observed, pass: r.status === "pass" });
    }
    return results;
}
