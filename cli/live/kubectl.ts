import { z } from "zod";
import { runProcess, type RunOptions, type RunResult } from "./process";
import { podLabels, type ClusterComponent } from "../../components/kubernetes/labels";

/** Where a deployment lives on a cluster: its namespace, and the kubeconfig context that reaches it (default: the current one). */
export interface ClusterTarget {
    namespace: string;
    context?: string;
}

/** Runs kubectl in the deployment's namespace; never throws on a non-zero exit (callers decide what failure means). */
export function kubectl(t: ClusterTarget, args: string[], opts: RunOptions = {}): Promise<RunResult> {
    return runProcess("kubectl", [...(t.context ? ["--context", t.context] : []), "--namespace", t.namespace, ...args], { timeoutMs: 120_000, ...opts });
}

async function kubectlOk(t: ClusterTarget, args: string[]): Promise<string> {
    const r = await kubectl(t, args).catch((e: Error) => ({ code: -1, stdout: "", stderr: e.message }));
    if (r.code !== 0) throw new Error(`kubectl ${args.slice(0, 2).join(" ")} … failed (${r.code}): ${(r.stderr.trim() || r.stdout.trim()).slice(0, 200)}`);
    return r.stdout;
}

/** An object as the API server returns it: the fields clawcage reads, every other one kept. */
const clusterObject = z.looseObject({ apiVersion: z.string(), kind: z.string(), metadata: z.looseObject({ name: z.string() }) });
export type ClusterObject = z.infer<typeof clusterObject>;

/**
 * The namespace and the objects in it that the pack's cluster policies read (Deployments, NetworkPolicies,
 * ConfigMaps), as the API server holds them now. Never a Secret: their values stay on the cluster.
 */
export async function clusterObjects(t: ClusterTarget): Promise<ClusterObject[]> {
    const namespace = clusterObject.parse(JSON.parse(await kubectlOk(t, ["get", "namespace", t.namespace, "-o", "json"])));
    const list = z.object({ items: z.array(clusterObject) }).parse(JSON.parse(await kubectlOk(t, ["get", "deployments.apps,networkpolicies.networking.k8s.io,configmaps", "-o", "json"])));
    return [namespace, ...list.items];
}

/** A running pod of a component (a member's, in a team), found by the labels clawcage gives it. */
export async function runningPod(t: ClusterTarget, component: ClusterComponent, member?: string): Promise<string> {
    const selector = Object.entries(podLabels(component, member)).map(([k, v]) => `${k}=${v}`).join(",");
    const names = await kubectlOk(t, ["get", "pods", "--selector", selector, "--field-selector", "status.phase=Running", "-o", "jsonpath={.items[*].metadata.name}"]);
    const pod = names.trim().split(/\s+/)[0];
    if (!pod) throw new Error(`no running pod with labels ${selector} in namespace ${t.namespace}`);
    return pod;
}

/** Runs a command in a pod's container, as the container's own user, the way `kubectl exec` does. */
export function execInPod(t: ClusterTarget, pod: string, container: string, command: string[]): Promise<RunResult> {
    return kubectl(t, ["exec", "-i", pod, "--container", container, "--", ...command]);
}
