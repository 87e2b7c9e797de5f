import { clusterManifests, serviceManifests } from "../../components/kubernetes/clusterManifests";
import { clusterServices, type ClusterInputs } from "../../components/kubernetes/clusterPlan";
import { gatewayPlans } from "../../components/deployment/team";
import type { Manifest } from "../../components/kubernetes/manifest";
import { renderNamespace } from "../../components/kubernetes/workloads";
import { parseSettings } from "../../components/settings/parse";
import type { DeploymentSettings, DeploymentSettingsInput } from "../../components/settings/schema";

/** Settings of a cluster deployment: published on loopback (a ClusterIP), at the git stage (a writable path). */
export const CLUSTER_SETTINGS: DeploymentSettingsInput = {
    target: "kubernetes",
    kubernetes: { registry: "registry.example.com/openclaw", runtimeClassName: "gvisor" },
    gateway: { publish: { address: "127.0.0.1", port: 18789 } },
    rollout: { stage: "git" },
    models: { default: "anthropic/claude-sonnet-4-5" },
};

export const TEAM_SETTINGS: DeploymentSettingsInput = {
    ...CLUSTER_SETTINGS,
    team: { members: { alice: { internalSubnet: "10.89.43.0/27" }, bob: { internalSubnet: "10.89.43.32/27" } } },
};

/** Every secret value the fixtures hand in: none may appear outside a Secret. */
export const SECRET_VALUES = { token: "TOKEN-VALUE-3c1f", clientKey: "CLIENT-KEY-9a2e", hostKey: "HOST-KEY-77b0", modelKeys: "MODEL-KEYS-51d4", tokenMap: "TOKEN-MAP-0e6a", certificate: "CERTIFICATE-KEY-c2f9" };

/** Inputs as clusterDeployment.ts makes them, with recognisable plain values (a Service's address by its index). */
export function clusterInputs(name: string, s: DeploymentSettings): ClusterInputs {
    const credentials = Object.fromEntries(
        gatewayPlans(name, s).map((p) => [
            p.prefix,
            { token: `${SECRET_VALUES.token}-${p.prefix}`, sandboxClientKey: SECRET_VALUES.clientKey, sandboxHostKey: SECRET_VALUES.hostKey, sandboxKnownHosts: "[openclaw-sandbox]:2222 ssh-ed25519 AAAA", sandboxAuthorizedKeys: "ssh-ed25519 AAAA clawcage-gateway\n" },
        ]),
    );
    return {
        images: { gateway: "registry.example.com/openclaw/clawcage/gateway:1", sandbox: "registry.example.com/openclaw/clawcage/sandbox-host:1", egressProxy: "registry.example.com/openclaw/clawcage/egress-proxy:1", ingressProxy: "registry.example.com/openclaw/clawcage/ingress-proxy:1" },
        credentials,
        modelKeys: SECRET_VALUES.modelKeys,
        clientTokenMap: SECRET_VALUES.tokenMap,
        certificate: SECRET_VALUES.certificate,
        addresses: Object.fromEntries(clusterServices(name, s).map((svc, i) => [svc.name, `10.96.0.${10 + i}`])),
    };
}

/** Every object of a cluster deployment of these settings, in the order they are applied. */
export function everyObject(raw: DeploymentSettingsInput, name = "openclaw"): Manifest[] {
    const s = parseSettings(raw);
    return [renderNamespace(s.kubernetes.namespace), ...serviceManifests(name, s), ...clusterManifests(name, s, clusterInputs(name, s))];
}
