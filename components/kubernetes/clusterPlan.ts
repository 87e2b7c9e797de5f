import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { EGRESS_PROXY_HOST, EGRESS_PROXY_PORT, EGRESS_PROXY_URL } from "../egress/egressProxy";
import { CONTAINER_OUTPUT, renderSquidConf } from "../egress/squidConf";
import { gatewayEnv } from "../gateway/gatewayEnv";
import { renderExecApprovals, renderOpenClawConfig } from "../gateway/openclawConfig";
import { EGRESS_MODEL_KEYS_FILE, GATEWAY_HOST, GATEWAY_PATHS, INGRESS_FILES, PROXY_PATHS, SANDBOX_FILES } from "../host/layout";
import { renderHaproxyCfg } from "../ingress/haproxyCfg";
import { effectiveEgressAllowlist } from "../deployment/names";
import { MODEL_KEY_PLACEHOLDER, modelRelays } from "../deployment/modelProviders";
import { gatewayPlans, type GatewayPlan } from "../deployment/team";
import { proxyLimits, SERVICE_LIMITS } from "../deployment/serviceLimits";
import { stageGrants } from "../rollout/stages";
import { renderSshdConfig, SANDBOX_HOST, SANDBOX_PATHS, SANDBOX_SSH_PORT } from "../sandbox/sshdConfig";
import type { DeploymentSettings } from "../settings/schema";
import type { ClusterComponent } from "./labels";
import type { WorkloadPlan } from "./workloads";

/**
 * Every workload of a deployment on a cluster, from the settings: the same renderers as on Docker (squid.conf,
 * haproxy.cfg, openclaw.json, sshd_config) give each pod its files; what differs is how a pod finds the others (its
 * hosts file, from the Services' cluster addresses: no pod but the egress proxy asks DNS) and where its files come
 * from (a ConfigMap for configuration, a Secret for credentials). Pure: the images, addresses and secret values are
 * inputs, made by clusterDeployment.ts.
 */

type Input = pulumi.Input<string>;

/** A file's text and whether it is a credential (a Secret) or configuration (a ConfigMap). */
export interface ClusterFile {
    path: string;
    text: Input;
    secret: boolean;
}

export interface ClusterWorkload extends Omit<WorkloadPlan, "files"> {
    files: ClusterFile[];
    /** The gateway's volume claim and its size. */
    claim?: { name: string; sizeGi: number; storageClass?: string };
}

export interface ClusterImages {
    gateway: Input;
    sandbox: Input;
    egressProxy: Input;
    ingressProxy: Input;
}

/** Each gateway's own credentials, by the gateway's name prefix (`openclaw`, or `openclaw-<member>`). */
export interface GatewayCredentials {
    token: Input;
    sandboxClientKey: Input;
    sandboxKnownHosts: Input;
    sandboxHostKey: Input;
    sandboxAuthorizedKeys: Input;
}

export interface ClusterInputs {
    images: ClusterImages;
    credentials: Record<string, GatewayCredentials>;
    /** The egress proxy's include with the model keys (renderRelayKeys). */
    modelKeys: Input;
    /** The ingress proxy's token digests and certificate bundle, when published. */
    clientTokenMap: Input;
    certificate?: Input;
    /** The Services' cluster addresses, by Service name. */
    addresses: Record<string, Input>;
}

/** Object names on the cluster: a prefix's gateway and sandbox host, the shared proxies. */
export const clusterNames = (name: string) => ({
    egressProxy: `${name}-egress-proxy`,
    ingressProxy: `${name}-ingress-proxy`,
    gateway: (prefix: string) => `${prefix}-gateway`,
    sandbox: (prefix: string) => `${prefix}-sandbox`,
});

const proxyFile = (file: string) => path.posix.join(PROXY_PATHS.config, file);
const scratch = (p: string, sizeMb: number) => ({ path: p, sizeMb });

/**
 * The egress proxy's squid.conf on a cluster: any pod address is a client, as the NetworkPolicies let only the
 * gateways' pods reach it. Its audit log goes to the container's output: the pod's own memory would lose it with the pod.
 */
export function clusterSquidConf(s: DeploymentSettings): string {
    return renderSquidConf({ allowedDomains: effectiveEgressAllowlist(s), port: EGRESS_PROXY_PORT, clientSubnets: [s.kubernetes.podSubnet], logDir: CONTAINER_OUTPUT, relays: modelRelays(s), keysFile: proxyFile(EGRESS_MODEL_KEYS_FILE) });
}

/** A gateway's openclaw.json on a cluster (it holds no secret: the token is a file SecretRef). */
export const clusterOpenClawConfig = (p: GatewayPlan): string => JSON.stringify(renderOpenClawConfig(p.settings, EGRESS_PROXY_URL, p.endpoint), null, 2) + "\n";

/** The Services every workload needs: their names, components and ports (the addresses come once they exist). */
export function clusterServices(name: string, s: DeploymentSettings): { name: string; component: ClusterComponent; member?: string; ports: number[] }[] {
    const n = clusterNames(name);
    return [
        { name: n.egressProxy, component: "egress-proxy", ports: [EGRESS_PROXY_PORT] },
        ...(s.gateway.publish ? [{ name: n.ingressProxy, component: "ingress-proxy" as const, ports: [s.gateway.port] }] : []),
        ...gatewayPlans(name, s).flatMap((p) => [
            { name: n.gateway(p.prefix), component: "gateway" as const, member: p.member, ports: [s.gateway.port] },
            { name: n.sandbox(p.prefix), component: "sandbox" as const, member: p.member, ports: [SANDBOX_SSH_PORT] },
        ]),
    ];
}

export function clusterWorkloads(name: string, s: DeploymentSettings, inputs: ClusterInputs): ClusterWorkload[] {
    const n = clusterNames(name);
    const k = s.kubernetes;
    const base = { namespace: k.namespace, uid: s.host.uid };
    const service = { ...base, cpus: proxyLimits(s.container).cpus, memoryMb: SERVICE_LIMITS.memoryMb };
    const relays = modelRelays(s);
    const address = (serviceName: string): Input => {
        const a = inputs.addresses[serviceName];
        if (a === undefined) throw new Error(`no cluster address for Service ${serviceName}`);
        return a;
    };
    const plans = gatewayPlans(name, s);
    const egress: ClusterWorkload = {
        ...service,
        name: n.egressProxy,
        component: "egress-proxy",
        image: inputs.images.egressProxy,
        command: ["squid", "-N", "-f", proxyFile("squid.conf")],
        ports: [EGRESS_PROXY_PORT],
        files: [
            { path: proxyFile("squid.conf"), secret: false, text: clusterSquidConf(s) },
            { path: proxyFile(EGRESS_MODEL_KEYS_FILE), secret: true, text: inputs.modelKeys },
        ],
        scratch: [scratch("/tmp", 16), scratch("/run/squid", 1)],
        // The relay names lead to squid's own loopback relay port, as on Docker.
        hostAliases: relays.length > 0 ? [{ ip: "127.0.0.1", hostnames: relays.map((r) => r.relayHost) }] : undefined,
    };
    const ingress: ClusterWorkload[] = s.gateway.publish
        ? [
              {
                  ...service,
                  name: n.ingressProxy,
                  component: "ingress-proxy",
                  image: inputs.images.ingressProxy,
                  command: ["haproxy", "-W", "-db", "-f", proxyFile("haproxy.cfg")],
                  ports: [s.gateway.port],
                  files: [
                      {
                          path: proxyFile("haproxy.cfg"),
                          secret: false,
                          text: renderHaproxyCfg({
                              listenPort: s.gateway.port,
                              upstreamPort: s.gateway.port,
                              routes: plans.map((p) => ({ upstreamHost: n.gateway(p.prefix), internalSubnet: k.podSubnet, member: p.member && p.hostName ? { name: p.member, hostName: p.hostName } : undefined })),
                              ipAllowlist: s.gateway.ipAllowlist,
                              rateLimit: s.gateway.rateLimit,
                              clientTokenMap: proxyFile(INGRESS_FILES.clientTokens),
                              scopes: Object.fromEntries(Object.entries(s.gateway.tokens).map(([t, e]) => [t, e.scopes])),
                              certificate: inputs.certificate === undefined ? undefined : proxyFile(INGRESS_FILES.certificate),
                              upstreamNames: "hosts-file",
                          }),
                      },
                      { path: proxyFile(INGRESS_FILES.clientTokens), secret: true, text: inputs.clientTokenMap },
                      ...(inputs.certificate === undefined ? [] : [{ path: proxyFile(INGRESS_FILES.certificate), secret: true, text: inputs.certificate }]),
                  ],
                  scratch: [scratch("/tmp", 16)],
                  hostAliases: plans.map((p) => ({ ip: address(n.gateway(p.prefix)), hostnames: [n.gateway(p.prefix)] })),
              },
          ]
        : [];
    const gateways = plans.flatMap((p): ClusterWorkload[] => {
        const c = inputs.credentials[p.prefix];
        if (!c) throw new Error(`no credentials for gateway ${p.prefix}`);
        const writable = stageGrants(p.settings).writablePaths;
        const rel = (containerPath: string) => path.posix.join("workspace", path.posix.relative(GATEWAY_PATHS.workspace, containerPath));
        const config = (file: string, text: Input, secret = false): ClusterFile => ({ path: file, text, secret });
        const gateway: ClusterWorkload = {
            ...base,
            name: n.gateway(p.prefix),
            component: "gateway",
            member: p.member,
            image: inputs.images.gateway,
            ports: [s.gateway.port],
            cpus: s.container.cpus,
            memoryMb: s.container.memoryMb,
            env: gatewayEnv(s, writable, EGRESS_PROXY_URL),
            // OpenClaw reclaims a dead gateway's lease on its state only under the same host name: a pod's own name is
            // new on every replacement, and the new gateway would wait five minutes (measured on Docker).
            hostname: GATEWAY_HOST,
            files: [
                config(GATEWAY_PATHS.configFile, clusterOpenClawConfig(p)),
                config(GATEWAY_PATHS.execApprovalsFile, JSON.stringify(renderExecApprovals(s), null, 2) + "\n"),
                config(GATEWAY_PATHS.modelKeyPlaceholderFile, MODEL_KEY_PLACEHOLDER),
                config(GATEWAY_PATHS.sandboxKnownHostsFile, c.sandboxKnownHosts),
                config(GATEWAY_PATHS.tokenFile, c.token, true),
                config(GATEWAY_PATHS.sandboxClientKeyFile, c.sandboxClientKey, true),
            ],
            scratch: [scratch("/tmp", s.container.tmpfsSizeMb), scratch(GATEWAY_PATHS.temp, s.container.tmpfsSizeMb)],
            claim: { name: `${p.prefix}-data`, sizeGi: k.workspaceSizeGi, storageClass: k.storageClass },
            volume: {
                claim: `${p.prefix}-data`,
                // Week 1: the workspace is read-only; the stage's granted paths are writable over it.
                mounts: [
                    { subPath: "workspace", path: GATEWAY_PATHS.workspace },
                    ...writable.map((w) => ({ subPath: rel(w), path: w, writable: true })),
                    { subPath: "state", path: GATEWAY_PATHS.state, writable: true },
                    { subPath: "logs", path: GATEWAY_PATHS.logs, writable: true },
                ],
            },
            // The egress proxy (and the model relays' names, which it tunnels), and the gateway's own sandbox host.
            hostAliases: [
                { ip: address(n.egressProxy), hostnames: [EGRESS_PROXY_HOST, ...relays.map((r) => r.relayHost)] },
                { ip: address(n.sandbox(p.prefix)), hostnames: [SANDBOX_HOST] },
            ],
        };
        // The sandbox host runs the agent's commands (a build, a test run): the gateway's limits, as on Docker.
        const sandbox: ClusterWorkload = {
            ...base,
            cpus: s.container.cpus,
            memoryMb: s.container.memoryMb,
            name: n.sandbox(p.prefix),
            component: "sandbox",
            member: p.member,
            image: inputs.images.sandbox,
            command: ["/usr/sbin/sshd", "-D", "-e", "-f", path.posix.join(SANDBOX_PATHS.config, SANDBOX_FILES.sshdConfig)],
            ports: [SANDBOX_SSH_PORT],
            files: [
                config(path.posix.join(SANDBOX_PATHS.config, SANDBOX_FILES.sshdConfig), renderSshdConfig(s.host.user)),
                config(path.posix.join(SANDBOX_PATHS.config, SANDBOX_FILES.authorizedKeys), c.sandboxAuthorizedKeys),
                config(path.posix.join(SANDBOX_PATHS.config, SANDBOX_FILES.hostKey), c.sandboxHostKey, true),
            ],
            scratch: [scratch("/tmp", s.container.tmpfsSizeMb), scratch(SANDBOX_PATHS.workspaceRoot, s.container.tmpfsSizeMb)],
            runtimeClassName: k.runtimeClassName,
        };
        return [gateway, sandbox];
    });
    return [egress, ...ingress, ...gateways];
}
