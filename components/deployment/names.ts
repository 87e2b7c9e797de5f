import { TOKEN_CHANNELS } from "../settings/constants";
import type { DeploymentSettings } from "../settings/schema";

/**
 * What a deployment is called on the engine and where clients find it: derived here once, and read by the
 * deployment that creates the objects, the CLI that finds them again and the tests that probe them.
 */

/** The name index.ts gives the deployment; containers and networks are named after it. */
export const DEPLOYMENT_NAME = "openclaw";

export interface DeploymentNames {
    /** Container names (Docker's `--name`), which are also the components' resource names. */
    gateway: string;
    egressProxy: string;
    ingressProxy: string;
    sandboxHost: string;
    alertWatcher: string;
    /**
     * The bridge networks: internal (no route out), egress (the proxy's way out), ingress (the published door),
     * sandbox (internal, the gateway and the sandbox host alone).
     */
    networks: { internal: string; egress: string; ingress: string; sandbox: string };
}

export function deploymentNames(name: string = DEPLOYMENT_NAME): DeploymentNames {
    return {
        gateway: `${name}-gateway`,
        egressProxy: `${name}-egress`,
        ingressProxy: `${name}-ingress`,
        sandboxHost: `${name}-sandbox`,
        alertWatcher: `${name}-alerts`,
        networks: { internal: `${name}-net-internal`, egress: `${name}-net-egress`, ingress: `${name}-net-ingress`, sandbox: `${name}-net-sandbox` },
    };
}

/** Base URL of a published gateway, e.g. https://127.0.0.1:18789 (IPv6 addresses in brackets; http only with TLS off). */
export function endpointUrl(publish: { address: string; port: number }, tls: boolean): string {
    const host = publish.address.includes(":") ? `[${publish.address}]` : publish.address;
    return `${tls ? "https" : "http"}://${host}:${publish.port}`;
}

/** A publish address that means every address of the host (0.0.0.0, or :: for both families). */
export const isUnspecified = (address: string): boolean => address === "0.0.0.0" || address === "::";

/** The published endpoint of the settings, or "" when the gateway is not published. */
export function settingsEndpoint(s: DeploymentSettings): string {
    return s.gateway.publish ? endpointUrl(s.gateway.publish, s.gateway.tls.certificate !== "off") : "";
}

/** The subnet's host address `fromTop` places below its broadcast address: clear of the ones Docker hands out from the bottom. */
function pinnedAddress(internalSubnet: string, fromTop: number): string {
    const [base, bits] = internalSubnet.split("/");
    const prefix = Number(bits);
    if (!(prefix >= 8 && prefix <= 29)) throw new Error(`network.internalSubnet ${internalSubnet}: use a prefix between /8 and /29, so the subnet has room for the deployment's containers`);
    const asInt = base.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
    const size = 2 ** (32 - prefix);
    const address = asInt - (asInt % size) + size - 1 - fromTop;
    return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

/**
 * The ingress proxy's pinned address on the internal network: the only source whose identity headers the
 * gateway believes. The subnet's last host address.
 */
export const ingressAddress = (internalSubnet: string): string => pinnedAddress(internalSubnet, 1);

/**
 * Where the gateway believes identity headers from: on Docker the ingress proxy's pinned address; on a cluster the
 * pod subnet (OpenClaw matches trusted proxies as CIDRs, and a pod's address is not known before it starts), where
 * the NetworkPolicies let no pod but the ingress proxy reach the gateway.
 */
export const trustedIngress = (s: DeploymentSettings): string => (s.target === "kubernetes" ? s.kubernetes.podSubnet : ingressAddress(s.network.internalSubnet));

/** The alert watcher's pinned address on the internal network: the only source the egress proxy lets reach the alert destinations. */
export const watcherAddress = (internalSubnet: string): string => pinnedAddress(internalSubnet, 2);

export type TokenChannelId = keyof typeof TOKEN_CHANNELS;

/** The secret config key that holds a channel's bot token (`pulumi config set --secret channel-telegram`). */
export const channelConfigKey = (id: TokenChannelId): string => `channel-${id}`;

/** The enabled channels that need a bot token, each with its secret config key. */
export function enabledTokenChannels(s: DeploymentSettings): { id: TokenChannelId; configKey: string }[] {
    return (Object.keys(TOKEN_CHANNELS) as TokenChannelId[]).filter((id) => s.channels[id]?.enabled).map((id) => ({ id, configKey: channelConfigKey(id) }));
}

/**
 * Every domain the egress proxy lets through: the declared allowlist, web_fetch's domains when it is on,
 * and the API hosts of every enabled token channel.
 */
export function effectiveEgressAllowlist(s: DeploymentSettings): string[] {
    const webFetch = s.tools.webFetch.enabled ? s.tools.webFetch.domains : [];
    const channelHosts = enabledTokenChannels(s).flatMap(({ id }) => TOKEN_CHANNELS[id].apiHosts);
    return [...new Set([...s.egress.allowedDomains, ...webFetch, ...channelHosts])];
}
