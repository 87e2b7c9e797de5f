import * as path from "node:path";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { DeploymentSettings } from "../settings/schema";
import { clusterServices, clusterWorkloads, type ClusterInputs, type ClusterWorkload } from "./clusterPlan";
import { podLabels } from "./labels";
import type { Manifest } from "./manifest";
import { clusterPaths, renderNetworkPolicies } from "./networkPolicies";
import { renderDeployment, renderService } from "./workloads";

/**
 * A deployment on a cluster as Kubernetes objects, in the order they are applied: the namespace (renderNamespace),
 * its Services (`serviceManifests`: the pods find them by their cluster addresses), then the NetworkPolicies
 * (before any pod exists) and per workload its ConfigMap, Secret, volume claim and Deployment (`clusterManifests`).
 */

/** The Services, of every workload: the ingress proxy's of the type the settings choose. */
export function serviceManifests(name: string, s: DeploymentSettings): Manifest[] {
    return clusterServices(name, s).map((svc) => renderService({ ...svc, namespace: s.kubernetes.namespace }, svc.component === "ingress-proxy" ? s.kubernetes.ingressService : "ClusterIP"));
}

/** `digest` turns a workload's file texts into its pods' files digest (filesDigest, in the resource wiring). */
export function clusterManifests(name: string, s: DeploymentSettings, inputs: ClusterInputs, digest?: (texts: pulumi.Input<string>[]) => pulumi.Input<string>): Manifest[] {
    const workloads = clusterWorkloads(name, s, inputs).map((w) => (digest ? { ...w, filesDigest: digest(w.files.map((f) => f.text)) } : w));
    return [...renderNetworkPolicies(clusterPaths(s)), ...workloads.flatMap((w) => workloadManifests(s.kubernetes.namespace, w))];
}

/** The ConfigMap and the Secret of a workload's files, by the workload's name. */
export const configMapName = (workload: string): string => `${workload}-config`;
const secretName = (workload: string): string => `${workload}-secrets`;

function workloadManifests(namespace: string, w: ClusterWorkload): Manifest[] {
    const keys = w.files.map((f) => path.posix.basename(f.path));
    const twice = keys.find((key, i) => keys.indexOf(key) !== i);
    if (twice) throw new Error(`${w.name}: two files named ${twice}; a ConfigMap or Secret holds each name once`);
    const metadata = (objectName: string) => ({ name: objectName, namespace, labels: podLabels(w.component, w.member) });
    const texts = (secret: boolean) => Object.fromEntries(w.files.filter((f) => f.secret === secret).map((f) => [path.posix.basename(f.path), f.text]));
    const config = texts(false);
    const secrets = texts(true);
    return [
        ...(Object.keys(config).length > 0 ? [{ apiVersion: "v1", kind: "ConfigMap", metadata: metadata(configMapName(w.name)), data: config } satisfies k8s.types.input.core.v1.ConfigMap] : []),
        ...(Object.keys(secrets).length > 0 ? [{ apiVersion: "v1", kind: "Secret", metadata: metadata(secretName(w.name)), type: "Opaque", stringData: secrets } satisfies k8s.types.input.core.v1.Secret] : []),
        ...(w.claim
            ? [
                  {
                      apiVersion: "v1",
                      kind: "PersistentVolumeClaim",
                      metadata: metadata(w.claim.name),
                      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: `${w.claim.sizeGi}Gi` } }, ...(w.claim.storageClass ? { storageClassName: w.claim.storageClass } : {}) },
                  } satisfies k8s.types.input.core.v1.PersistentVolumeClaim,
              ]
            : []),
        renderDeployment({
            ...w,
            files: w.files.map((f) => ({ path: f.path, key: path.posix.basename(f.path), from: f.secret ? { secret: secretName(w.name) } : { configMap: configMapName(w.name) } })),
        }),
    ];
}
