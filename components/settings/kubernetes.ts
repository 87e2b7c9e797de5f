import { z } from "zod";

/**
 * Where a deployment runs when `target` is `kubernetes`: the cluster's own parts that clawcage cannot choose for
 * the user (its registry, its storage, its pod network, its DNS). Part of the settings schema (schema.ts); its
 * cross-field rules are in rules.ts.
 */

const dnsLabel = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "use a DNS label: lowercase letters, digits and '-' (max 63)");

export const INGRESS_SERVICE_TYPES = ["ClusterIP", "NodePort", "LoadBalancer"] as const;

export const kubernetesSettings = z
    .strictObject({
        registry: z
            .string()
            .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?(\/[a-z0-9._-]+)*$/, "give a registry and path without scheme or tag, e.g. registry.example.com/openclaw")
            .optional()
            .describe("Where clawcage pushes its images (each tagged with its content key) for the cluster's nodes to pull; required on a cluster. Credentials come from your Docker login on the machine running `pulumi up`."),
        namespace: dnsLabel.default("openclaw").describe("The namespace clawcage creates and owns, labelled for Pod Security Admission `restricted`."),
        storageClass: z.string().min(1).optional().describe("The StorageClass of the workspace and state volume; the cluster's default when omitted."),
        workspaceSizeGi: z.number().int().min(1).max(4096).default(10).describe("Size of each gateway's volume (workspace, state and logs), in GiB."),
        podSubnet: z
            .cidrv4()
            .default("10.244.0.0/16")
            .describe("The cluster's pod network. OpenClaw trusts identity headers from addresses in it (it matches trusted proxies as CIDRs), and the NetworkPolicies let only the ingress proxy's pods reach the gateway; the egress proxy's internet rule excludes it."),
        runtimeClassName: dnsLabel.optional().describe("A RuntimeClass for the sandbox host, where the agent's commands run (e.g. gvisor), as container.runtime does on Docker."),
        dns: z
            .strictObject({
                namespace: dnsLabel.default("kube-system"),
                podLabel: z.string().regex(/^[a-z0-9./-]+=[A-Za-z0-9._-]+$/, "give one label as key=value, e.g. k8s-app=kube-dns").default("k8s-app=kube-dns"),
            })
            .prefault({})
            .describe("The cluster DNS pods the egress proxy may ask (no other pod of the deployment may): their namespace and one label."),
        ingressService: z
            .enum(INGRESS_SERVICE_TYPES)
            .default("ClusterIP")
            .describe("How the ingress proxy's Service is exposed: ClusterIP, reached with `kubectl port-forward` (the cluster's loopback), or NodePort / LoadBalancer beyond the cluster, which need gateway.ipAllowlist as any publish beyond loopback does."),
    })
    .prefault({});

export type KubernetesSettings = z.output<typeof kubernetesSettings>;
