import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import { modelRelays } from "../deployment/modelProviders";
import { gatewayPlans } from "../deployment/team";
import { renderRelayKeys } from "../egress/squidConf";
import { filesDigest } from "../container/filesDigest";
import { gatewayImageSpec, SANDBOX_IMAGE, serviceImageSpec } from "../images/imageSpecs";
import { imageTag, type LocalImageSpec } from "../images/localImage";
import { clientTokenMap, stackTokens } from "../secrets/tokenOutputs";
import { ingressCertificate } from "../ingress/ingressCertificate";
import { sandboxKeys } from "../sandbox/sandboxKeys";
import { GatewaySecrets } from "../secrets/gatewaySecrets";
import type { DeploymentSettings } from "../settings/schema";
import { clusterManifests, serviceManifests } from "./clusterManifests";
import { clusterOpenClawConfig, clusterSquidConf, type ClusterImages, type ClusterInputs } from "./clusterPlan";
import type { Manifest } from "./manifest";
import { renderNamespace } from "./workloads";

/**
 * The resource wiring of a deployment on a Kubernetes cluster: the images pushed to the settings' registry, the
 * credentials made as on Docker (tokens, sandbox keys, the endpoint's certificate), and every rendered object
 * applied with the cluster's ambient provider (the current kubeconfig context). Everything else is rendered purely
 * (clusterManifests.ts, clusterPlan.ts).
 */

export interface ClusterGiven {
    suppliedTokens?: { [name: string]: pulumi.Input<string> };
    modelKeys?: { [provider: string]: pulumi.Input<string> };
    ingressTls?: pulumi.Input<string>;
}

export interface ClusterOutputs {
    tokens: pulumi.Output<{ [name: string]: string }>;
    ingressCertificateSha256: pulumi.Output<string>;
    squidConf: string;
    openclawConfigs: { member?: string; endpoint: string; openclawConfig: string }[];
}

/**
 * An image built here and pushed to the registry under its content-key tag: its name is known at preview, so every
 * pod spec is; a changed Dockerfile, copied file or build argument is a new tag and rolls the pods.
 */
function registryImage(name: string, spec: LocalImageSpec, registry: string, parent: pulumi.Resource): docker.Image {
    return new docker.Image(
        name,
        { imageName: `${registry}/${imageTag(spec)}`, build: { context: spec.context, dockerfile: path.join(spec.context, "Dockerfile"), args: spec.buildArgs, platform: "linux/amd64" } },
        { parent },
    );
}

/**
 * The Pulumi name of a rendered object: unique in the stack, as two kinds may share an object name and two
 * deployments in one stack (in their own namespaces) share the policies' names.
 */
export const clusterResourceName = (deployment: string, kind: string, objectName: string): string => `${deployment}-${kind.toLowerCase()}-${objectName}`;

/** Applies one rendered object of a deployment as the resource of its kind. */
function apply(deployment: string, m: Manifest, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
    const name = clusterResourceName(deployment, m.kind, m.metadata.name);
    switch (m.kind) {
        case "Namespace":
            return new k8s.core.v1.Namespace(name, m as k8s.core.v1.NamespaceArgs, opts);
        case "Service":
            return new k8s.core.v1.Service(name, m as k8s.core.v1.ServiceArgs, opts);
        case "NetworkPolicy":
            return new k8s.networking.v1.NetworkPolicy(name, m as k8s.networking.v1.NetworkPolicyArgs, opts);
        case "ConfigMap":
            return new k8s.core.v1.ConfigMap(name, m as k8s.core.v1.ConfigMapArgs, opts);
        case "Secret":
            return new k8s.core.v1.Secret(name, m as k8s.core.v1.SecretArgs, opts);
        case "PersistentVolumeClaim":
            return new k8s.core.v1.PersistentVolumeClaim(name, m as k8s.core.v1.PersistentVolumeClaimArgs, opts);
        case "Deployment":
            return new k8s.apps.v1.Deployment(name, m as k8s.apps.v1.DeploymentArgs, opts);
        default:
            throw new Error(`no resource for ${m.kind} ${m.metadata.name}`);
    }
}

export function deployToCluster(name: string, s: DeploymentSettings, given: ClusterGiven, parent: pulumi.Resource): ClusterOutputs {
    const registry = s.kubernetes.registry;
    // The settings' rules refused a cluster without one, naming the field; this narrows the type.
    if (!registry) throw new Error("settings.kubernetes.registry is required on a cluster");
    const uid = s.host.uid;
    const push = (role: string, spec: LocalImageSpec) => registryImage(`${name}-${role}-image`, spec, registry, parent);
    const pushed = {
        gateway: push("gateway", gatewayImageSpec(s)),
        sandbox: push("sandbox", serviceImageSpec("sandbox-host", SANDBOX_IMAGE, s.image.proxyBase, uid)),
        egressProxy: push("egress-proxy", serviceImageSpec("egress-proxy", { debianPackage: "squid" }, s.image.proxyBase, uid)),
        ingressProxy: push("ingress-proxy", serviceImageSpec("ingress-proxy", { debianPackage: "haproxy" }, s.image.proxyBase, uid)),
    };
    const images: ClusterImages = { gateway: pushed.gateway.imageName, sandbox: pushed.sandbox.imageName, egressProxy: pushed.egressProxy.imageName, ingressProxy: pushed.ingressProxy.imageName };

    const plans = gatewayPlans(name, s);
    const relays = modelRelays(s);
    const secrets = plans.map((p) => new GatewaySecrets(`${p.prefix}-secrets`, { tokens: s.gateway.tokens, supplied: given.suppliedTokens }, { parent }));
    const keys = plans.map((p) => sandboxKeys(`${p.prefix}-sandbox`, "1", parent));
    const certificate = ingressCertificate(`${name}-ingress-proxy`, s, given.ingressTls, parent, plans.flatMap((p) => (p.hostName ? [p.hostName] : [])));

    const namespace = apply(name, renderNamespace(s.kubernetes.namespace), { parent });
    const services = serviceManifests(name, s).map((m) => ({ m, resource: apply(name, m, { parent, dependsOn: [namespace] }) as k8s.core.v1.Service }));
    const inputs: ClusterInputs = {
        images,
        credentials: Object.fromEntries(
            plans.map((p, i) => [
                p.prefix,
                { token: secrets[i].gatewayToken, sandboxClientKey: keys[i].clientPrivateKey, sandboxKnownHosts: keys[i].knownHosts, sandboxHostKey: keys[i].hostPrivateKey, sandboxAuthorizedKeys: keys[i].authorizedKeys },
            ]),
        ),
        modelKeys: pulumi.secret(pulumi.output(given.modelKeys ?? {}).apply((k) => renderRelayKeys(relays, k))),
        clientTokenMap: pulumi.secret(clientTokenMap(plans, secrets)),
        certificate: certificate?.bundle,
        addresses: Object.fromEntries(services.map(({ m, resource }) => [m.metadata.name, resource.spec.clusterIP])),
    };
    // The digest kept plain: a secret anywhere in a pod template makes Pulumi hide the Deployment's whole spec, from the
    // preview's diff and from the policy pack. It is a SHA-256 over files whose secrets are random 256-bit values,
    // keys and API keys, and reveals none of them.
    const objects = clusterManifests(name, s, inputs, (texts) => pulumi.unsecret(filesDigest(texts)));
    // The policies first: no pod runs a moment without them. The workloads after their images are in the registry.
    const policies = objects.filter((m) => m.kind === "NetworkPolicy").map((m) => apply(name, m, { parent, dependsOn: [namespace] }));
    for (const m of objects.filter((o) => o.kind !== "NetworkPolicy")) apply(name, m, { parent, dependsOn: [namespace, ...policies, ...Object.values(pushed)] });

    return {
        tokens: stackTokens(plans, secrets),
        ingressCertificateSha256: certificate ? certificate.sha256 : pulumi.output(""),
        squidConf: clusterSquidConf(s),
        openclawConfigs: plans.map((p) => ({ member: p.member, endpoint: p.endpoint, openclawConfig: clusterOpenClawConfig(p) })),
    };
}
