import * as path from "node:path";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { Manifest } from "./manifest";
import { APP_LABEL, APP_NAME, podLabels, type ClusterComponent } from "./labels";

/**
 * Guide layers 1 and 2 on a cluster: every pod clawcage runs, in the form Pod Security Admission's `restricted`
 * level admits, and tighter. Pure renderers: a workload's plan in, Kubernetes objects out.
 */

type Deployment = k8s.types.input.apps.v1.Deployment;
type Service = k8s.types.input.core.v1.Service;
type Namespace = k8s.types.input.core.v1.Namespace;

/** The pod template's annotation that carries its files' digest. */
export const FILES_DIGEST_ANNOTATION = "clawcage.dev/files-digest";

/** The Pod Security Admission version the namespace pins (its rules, not the cluster's newest). */
export const PSA_VERSION = "v1.30";

/**
 * Projected files are owned by root with the pod's fsGroup as their group (kubelet has no per-file owner), so
 * "only the service account reads it" is group-read for the deployment's gid: 0o440, never writable, never other.
 */
export const FILE_MODE = 0o440;

/** A file of a pod: its text from a ConfigMap or a Secret (by object name and key), at a path. */
export interface PodFile {
    path: string;
    from: { configMap: string } | { secret: string };
    key: string;
}

export interface WorkloadPlan {
    /** The object's name (Deployment, Service), e.g. `openclaw-gateway-alice`. */
    name: string;
    namespace: string;
    component: ClusterComponent;
    member?: string;
    image: pulumi.Input<string>;
    /** The command; the image's own entrypoint when omitted (the gateway's). */
    command?: string[];
    env?: Record<string, string>;
    /** The uid and gid the pod runs as (settings.host.uid). */
    uid: number;
    ports: number[];
    cpus: number;
    memoryMb: number;
    /** Files, each in its own read-only folder mount: a folder per distinct directory. */
    files: PodFile[];
    /** Writable scratch folders, in memory (size in MiB): the root filesystem is read-only. */
    scratch: { path: string; sizeMb: number }[];
    /** The volume claim and the folders it gives the pod (sub-paths), each read-only unless said. */
    volume?: { claim: string; mounts: { subPath: string; path: string; writable?: boolean }[] };
    runtimeClassName?: string;
    /** A digest of the pod's files: a changed file changes the pod template, and the pod is replaced (it reads them at start). */
    filesDigest?: pulumi.Input<string>;
    /** The pod's host name; its name (new on every replacement) when omitted. */
    hostname?: string;
    /** Names the pod finds without DNS (the Services' cluster addresses). */
    hostAliases?: { ip: pulumi.Input<string>; hostnames: string[] }[];
}

const dirOf = (p: string) => path.posix.dirname(p);
const volumeName = (prefix: string, i: number) => `${prefix}-${i}`;

function fileVolumes(files: PodFile[]) {
    const dirs = [...new Set(files.map((f) => dirOf(f.path)))];
    const volumes = dirs.map((dir, i) => ({
        name: volumeName("files", i),
        projected: {
            sources: files
                .filter((f) => dirOf(f.path) === dir)
                .map((f) => {
                    const items = [{ key: f.key, path: path.posix.basename(f.path), mode: FILE_MODE }];
                    return "configMap" in f.from ? { configMap: { name: f.from.configMap, items } } : { secret: { name: f.from.secret, items } };
                }),
        },
    }));
    const mounts = dirs.map((dir, i) => ({ name: volumeName("files", i), mountPath: dir, readOnly: true }));
    return { volumes, mounts };
}

/** The container's and the pod's security fields: the same for every clawcage pod. */
const CONTAINER_SECURITY = {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    privileged: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
} satisfies k8s.types.input.core.v1.SecurityContext;

/**
 * Creates the volume's folders as the pod's own user before the main container mounts them: kubelet would create
 * a missing sub-path as root, and the gateway could not write its state there.
 */
function prepareVolume(plan: WorkloadPlan, subPaths: string[]) {
    const small = { cpu: "100m", memory: "64Mi" };
    return {
        name: "prepare-volume",
        image: plan.image,
        command: ["mkdir", "-p", ...subPaths.map((p) => path.posix.join("/data", p))],
        securityContext: { ...CONTAINER_SECURITY, runAsUser: plan.uid, runAsGroup: plan.uid },
        resources: { limits: small, requests: small },
        volumeMounts: [{ name: "data", mountPath: "/data" }],
    } satisfies k8s.types.input.core.v1.Container;
}

export function renderPodSpec(plan: WorkloadPlan): k8s.types.input.core.v1.PodSpec {
    const files = fileVolumes(plan.files);
    const scratch = plan.scratch.map((s, i) => ({ volume: { name: volumeName("scratch", i), emptyDir: { medium: "Memory", sizeLimit: `${s.sizeMb}Mi` } }, mount: { name: volumeName("scratch", i), mountPath: s.path } }));
    const claim = plan.volume ? [{ name: "data", persistentVolumeClaim: { claimName: plan.volume.claim } }] : [];
    const claimMounts = (plan.volume?.mounts ?? []).map((m) => ({ name: "data", subPath: m.subPath, mountPath: m.path, readOnly: !m.writable }));
    const resources = { cpu: String(plan.cpus), memory: `${plan.memoryMb}Mi` };
    return {
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        hostNetwork: false,
        hostPID: false,
        hostIPC: false,
        ...(plan.runtimeClassName ? { runtimeClassName: plan.runtimeClassName } : {}),
        ...(plan.hostname ? { hostname: plan.hostname } : {}),
        ...(plan.hostAliases ? { hostAliases: plan.hostAliases } : {}),
        securityContext: { runAsNonRoot: true, runAsUser: plan.uid, runAsGroup: plan.uid, fsGroup: plan.uid, seccompProfile: { type: "RuntimeDefault" } },
        containers: [
            {
                name: plan.component,
                image: plan.image,
                ...(plan.command ? { command: plan.command } : {}),
                env: Object.entries(plan.env ?? {}).map(([name, value]) => ({ name, value })),
                ports: plan.ports.map((containerPort) => ({ containerPort, protocol: "TCP" })),
                securityContext: { ...CONTAINER_SECURITY, runAsUser: plan.uid, runAsGroup: plan.uid },
                // Requests equal limits: the pod is Guaranteed, first to stay when a node runs short.
                resources: { limits: resources, requests: resources },
                volumeMounts: [...files.mounts, ...scratch.map((s) => s.mount), ...claimMounts],
            },
        ],
        ...(plan.volume ? { initContainers: [prepareVolume(plan, plan.volume.mounts.map((m) => m.subPath))] } : {}),
        volumes: [...files.volumes, ...scratch.map((s) => s.volume), ...claim],
    } satisfies k8s.types.input.core.v1.PodSpec;
}

const metadata = (plan: Pick<WorkloadPlan, "name" | "namespace" | "component" | "member">) => ({ name: plan.name, namespace: plan.namespace, labels: podLabels(plan.component, plan.member) });

/** One replica, replaced (never two at once: the gateway's state volume has one writer). */
export function renderDeployment(plan: WorkloadPlan): Manifest {
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: metadata(plan),
        spec: {
            replicas: 1,
            strategy: { type: "Recreate" },
            selector: { matchLabels: podLabels(plan.component, plan.member) },
            template: {
                metadata: { labels: podLabels(plan.component, plan.member), ...(plan.filesDigest ? { annotations: { [FILES_DIGEST_ANNOTATION]: plan.filesDigest } } : {}) },
                spec: renderPodSpec(plan),
            },
        },
    } satisfies Deployment;
}

/** The Service in front of a workload's pods, on its ports. */
export function renderService(plan: Pick<WorkloadPlan, "name" | "namespace" | "component" | "member" | "ports">, type: "ClusterIP" | "NodePort" | "LoadBalancer" = "ClusterIP"): Manifest {
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: metadata(plan),
        spec: {
            type,
            selector: podLabels(plan.component, plan.member),
            ports: plan.ports.map((port) => ({ name: `tcp-${port}`, port, targetPort: port, protocol: "TCP" })),
            // Beyond the cluster, keep the client's own address: the ingress proxy's allowlist and lockouts key on it.
            ...(type === "ClusterIP" ? {} : { externalTrafficPolicy: "Local" }),
        },
    } satisfies Service;
}

/** The namespace, held to Pod Security Admission's `restricted` level: enforced, audited and warned. */
export function renderNamespace(name: string): Manifest {
    const psa = Object.fromEntries(["enforce", "audit", "warn"].flatMap((mode) => [[`pod-security.kubernetes.io/${mode}`, "restricted"], [`pod-security.kubernetes.io/${mode}-version`, PSA_VERSION]]));
    return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { [APP_LABEL]: APP_NAME, ...psa } } } satisfies Namespace;
}
