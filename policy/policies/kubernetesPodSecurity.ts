import type { StackValidationPolicy } from "@pulumi/policy";
import { clusterPods, NAMESPACE } from "../lib/kubernetesPods";
import { areaTags } from "../lib/metadata";
import { props } from "../lib/stack";
import { plain } from "../lib/values";

type Fields = Record<string, unknown>;
const fields = (v: unknown): Fields => (v && typeof v === "object" ? (v as Fields) : {});

/** What one container of a pod fails of the restricted form, in words. */
function containerFaults(c: Fields, pod: Fields): string[] {
    const sc = fields(c.securityContext);
    const podSc = fields(pod.securityContext);
    const faults: string[] = [];
    if (sc.allowPrivilegeEscalation !== false) faults.push("allowPrivilegeEscalation is not false");
    if (sc.readOnlyRootFilesystem !== true) faults.push("the root filesystem is writable");
    if (sc.privileged === true) faults.push("privileged");
    const caps = fields(sc.capabilities);
    if (!(Array.isArray(caps.drop) && caps.drop.includes("ALL"))) faults.push("capabilities are not dropped (drop: [ALL])");
    if (Array.isArray(caps.add) && caps.add.length > 0) faults.push(`capabilities added: ${caps.add.join(", ")}`);
    if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) faults.push("runAsNonRoot is not set");
    if ((sc.runAsUser ?? podSc.runAsUser) === 0) faults.push("runs as uid 0");
    const seccomp = String(fields(sc.seccompProfile ?? podSc.seccompProfile).type ?? "");
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") faults.push("no seccomp profile (RuntimeDefault or Localhost)");
    const limits = fields(fields(c.resources).limits);
    if (!limits.cpu || !limits.memory) faults.push("no CPU and memory limits");
    return faults.map((f) => `container ${String(c.name)}: ${f}`);
}

// Guide layers 1 and 2 on a cluster: the Docker container policies' checklist, in the pod spec's own words, and the
// namespace held to Pod Security Admission's restricted level so the API server refuses a pod that slips.
export const kubernetesPodSecurity: StackValidationPolicy = {
    name: "kubernetes-pod-security",
    displayName: "Pods in the restricted form, in a namespace that enforces it",
    description: "Every Deployment's pod runs non-root with no privilege escalation, no capability, a read-only root filesystem, a seccomp profile, CPU and memory limits, no service-account token, no host namespace and no hostPath volume; its namespace enforces Pod Security Admission's `restricted` level.",
    severity: "critical",
    enforcementLevel: "mandatory",
    tags: areaTags("container", "layer-1", "kubernetes"),
    remediationSteps: "Render the pods with clawcage (target: kubernetes), or set the fields in each pod and container securityContext, and label the namespace pod-security.kubernetes.io/enforce=restricted.",
    validateStack: (args, reportViolation) => {
        const pods = clusterPods(args.resources);
        if (pods.length === 0) args.notApplicable("no Kubernetes Deployment in the stack");
        for (const pod of pods) {
            const spec = pod.spec;
            const faults: string[] = [];
            if (spec.automountServiceAccountToken !== false) faults.push("the service-account token is mounted");
            for (const host of ["hostNetwork", "hostPID", "hostIPC"]) if (spec[host] === true) faults.push(`${host} is on`);
            for (const v of (spec.volumes ?? []) as Fields[]) if (v.hostPath !== undefined) faults.push(`volume ${String(v.name)} is a hostPath`);
            for (const c of [...((spec.containers ?? []) as Fields[]), ...((spec.initContainers ?? []) as Fields[])]) faults.push(...containerFaults(c, spec));
            for (const f of faults) reportViolation(`Deployment ${pod.name}: ${f}`);
        }
        const enforced = new Set(
            args.resources
                .filter((r) => r.type === NAMESPACE)
                .map((r) => plain(props(r)) as { metadata?: { name?: string; labels?: Record<string, string> } })
                .filter((n) => n.metadata?.labels?.["pod-security.kubernetes.io/enforce"] === "restricted")
                .map((n) => n.metadata?.name),
        );
        for (const namespace of new Set(pods.map((p) => p.namespace))) {
            if (!enforced.has(namespace)) reportViolation(`namespace ${namespace} is not declared in the stack with pod-security.kubernetes.io/enforce=restricted`);
        }
    },
};
