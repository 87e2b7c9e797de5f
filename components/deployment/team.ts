import * as path from "node:path";
import type { DeploymentSettings } from "../settings/schema";
import { deploymentNames, endpointUrl, settingsEndpoint, type DeploymentNames } from "./names";

/**
 * The gateways of a deployment: its one gateway, or one per team member (settings.team). Each gateway is
 * described by settings of its own, so that every renderer made for one gateway (host layout, openclaw.json,
 * the watcher's address) serves a member unchanged: the member's own host folder and internal network.
 */
export interface GatewayPlan {
    /** The team member, or undefined for a deployment's one gateway. */
    member?: string;
    /** What its resources' and containers' names start with: the deployment's name, or `<name>-<member>`. */
    prefix: string;
    /** The deployment's settings with the member's own host root and internal subnet. */
    settings: DeploymentSettings;
    /** Its containers and its own networks (the internal and sandbox ones). */
    names: DeploymentNames;
    /** The host name the ingress proxy routes to this gateway (`<member>.<team.domain>`); undefined for one gateway. */
    hostName?: string;
    /** Where its clients reach it, or "" when unpublished. */
    endpoint: string;
}

/** The folder below the deployment root that holds one member's host folders. */
export const MEMBERS_FOLDER = "members";

/** True when the settings declare a team (one gateway per member). */
export const isTeam = (s: DeploymentSettings): boolean => Object.keys(s.team.members).length > 0;

/** The internal subnet of every gateway: the one gateway's, or each member's. */
export const gatewaySubnets = (s: DeploymentSettings): string[] => (isTeam(s) ? Object.values(s.team.members).map((m) => m.internalSubnet) : [s.network.internalSubnet]);

export function gatewayPlans(name: string, s: DeploymentSettings): GatewayPlan[] {
    if (!isTeam(s)) return [{ prefix: name, settings: s, names: deploymentNames(name), endpoint: settingsEndpoint(s) }];
    return Object.entries(s.team.members).map(([member, m]) => {
        const hostName = `${member}.${s.team.domain}`;
        const prefix = `${name}-${member}`;
        const publish = s.gateway.publish;
        return {
            member,
            prefix,
            settings: {
                ...s,
                host: { ...s.host, root: path.posix.join(s.host.root, MEMBERS_FOLDER, member) },
                network: { ...s.network, internalSubnet: m.internalSubnet },
            },
            names: deploymentNames(prefix),
            hostName,
            endpoint: publish ? endpointUrl({ address: hostName, port: publish.port }, s.gateway.tls.certificate !== "off") : "",
        };
    });
}
