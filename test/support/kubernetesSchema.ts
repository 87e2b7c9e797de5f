import { Deployment } from "kubernetes-models/apps/v1";
import { ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service } from "kubernetes-models/v1";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import type { Manifest } from "../../components/kubernetes/manifest";

/**
 * Validates a rendered object against the Kubernetes 1.33 OpenAPI schema, with kubernetes-models (pinned, a
 * maintained generator of the API's own schema). It refuses wrong types, unknown enum values and missing required
 * fields; unknown fields it lets through, which the renderers' `satisfies` turns into compile errors instead.
 */

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
    "apps/v1/Deployment": Deployment,
    "v1/ConfigMap": ConfigMap,
    "v1/Namespace": Namespace,
    "v1/PersistentVolumeClaim": PersistentVolumeClaim,
    "v1/Secret": Secret,
    "v1/Service": Service,
    "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
};

/** The schema's complaint about an object, or undefined when it is valid. */
export function schemaProblem(object: Manifest): string | undefined {
    const Model = MODELS[`${object.apiVersion}/${object.kind}`];
    if (!Model) return `no schema known here for ${object.apiVersion} ${object.kind}`;
    try {
        new Model(structuredClone(object) as never).validate();
        return undefined;
    } catch (e) {
        return `${object.kind} ${object.metadata.name}: ${(e as Error).message}`;
    }
}
