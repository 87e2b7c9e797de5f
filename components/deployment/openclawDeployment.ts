import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type * as docker from "@pulumi/docker";
import { EgressProxy } from "../egress/egressProxy";
import { HostAccount } from "../host/hostAccount";
import { accountIdentity } from "../host/hostScript";
import { sshClient } from "../host/sshClient";
import { GATEWAY_HOST, hostLayout, teamHostLayout } from "../host/layout";
import { IngressProxy } from "../ingress/ingressProxy";
import { ingressCertificate } from "../ingress/ingressCertificate";
import { clientTokenMap, stackTokens } from "../secrets/tokenOutputs";
import { IsolatedNetwork } from "../network/isolatedNetwork";
import { isolationOf } from "../container/runtime";
import { parseSettingsJson } from "../settings/parse";
import type { DeploymentSettings } from "../settings/schema";
import { deploymentNames, effectiveEgressAllowlist, ingressAddress } from "./names";
import { modelRelays, requireModelKeys } from "./modelProviders";
import { gatewayCell } from "./gatewayCell";
import { gatewayPlans, isTeam, MEMBERS_FOLDER } from "./team";
import { hostFile } from "../host/hostFile";
import { deployedRecord } from "../rollout/permissions";
import { alertDeliveries } from "../watcher/deliveries";
import { proxyLimits, SERVICE_LIMITS } from "./serviceLimits";
import { deployToCluster } from "../kubernetes/clusterDeployment";

export { DEPLOYMENT_NAME } from "./names";

/** A team member's gateway, as the stack output `team` lists it. */
export interface TeamGateway {
    /** Where the member's clients reach it: `https://<member>.<team.domain>:<port>`; "" when unpublished. */
    endpoint: string;
    gatewayContainer: string;
    /** The member's openclaw.json (no secret in it): what the policy pack checks, member by member. */
    openclawConfig: string;
}

export interface OpenClawDeploymentArgs {
    /**
     * The deployment settings as a JSON document (the clawcage settings schema; every field optional, secure
     * defaults). Validated before any resource is registered. From TypeScript, write it with
     * `settingsDocument({...})` to have the compiler check it.
     */
    settings: string;
    /** Secret values of tokens whose source is "secret-config", by token name. */
    suppliedTokens?: { [name: string]: pulumi.Input<string> };
    /** Private key for an SSH host target (secret config `sshPrivateKey`). */
    sshPrivateKey?: pulumi.Input<string>;
    /**
     * The Docker engine to deploy on, for a larger stack that already has a provider for it. Default: the
     * target's own engine, over SSH (with the pinned host key) for an ssh target, the ambient one for local.
     */
    dockerProvider?: docker.Provider;
    /** Bot tokens of the enabled token channels (Telegram), by channel id; from secret config. */
    channelTokens?: { [channel: string]: pulumi.Input<string> };
    /** API keys of the model providers, by provider id; from secret config (`model-<id>`). */
    modelKeys?: { [provider: string]: pulumi.Input<string> };
    /** The endpoint's certificate and key in one PEM when gateway.tls.certificate is "secret-config" (`ingress-tls`). */
    ingressTls?: pulumi.Input<string>;
    /** The webhook's whole URL when alerts.webhook is set (`alert-webhook-url`): a webhook's URL is its credential. */
    alertWebhookUrl?: pulumi.Input<string>;
    /** The SMTP password when alerts.mail is set (`alert-mail-password`). */
    alertMailPassword?: pulumi.Input<string>;
}

/**
 * The whole five-layer deployment from one settings object: host account and folders, isolated networks,
 * egress proxy, gateway, and (when published) the ingress proxy. Use it from index.ts or any larger stack.
 */
export class OpenClawDeployment extends pulumi.ComponentResource {
    /** Client token values by name (a team's by `<member>/<name>`), for whoever calls the published endpoint; secret. */
    public readonly tokens: pulumi.Output<{ [name: string]: string }>;
    /** Where clients reach the gateway, or "" when it is reachable only from the internal network (or is a team's: see `team`). */
    public readonly endpoint: string;
    /** A team's gateways by member: where each member's clients reach it, and its container. Empty without a team. */
    public readonly team: pulumi.Output<{ [member: string]: TeamGateway }>;
    /** SHA-256 of the endpoint's certificate, which clients pin; "" without TLS. */
    public readonly ingressCertificateSha256: pulumi.Output<string>;
    /** The generated openclaw.json (holds no secret: the token is a file SecretRef); "" for a team, whose members' differ. */
    public readonly openclawConfig: string;
    public readonly squidConf: string;
    /** What the deployment lets the agent and its clients do (JSON, rollout/permissions.ts): the one-loosening guard compares it. */
    public readonly permissions: string;
    /** The gateway's container; "" for a team (see `team`) and on a cluster. */
    public readonly gatewayContainer: pulumi.Output<string>;
    /** The egress proxy's container; "" on a cluster. */
    public readonly egressProxyContainer: pulumi.Output<string>;
    /** The alert watcher, when alerts go somewhere (and not for a team, whose members each have one). */
    public readonly alertWatcherContainer?: pulumi.Output<string>;

    constructor(name: string, args: OpenClawDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
        const settings = parseSettingsJson(args.settings);
        // Refused before any resource is registered, on either target: nothing is half-applied.
        requireModelKeys(modelRelays(settings), args.modelKeys);
        // The settings document as given (it holds no secret; parsing above refused it if invalid) is what
        // the engine records as the component's inputs.
        super("clawcage:index:OpenClawDeployment", name, { settings: args.settings }, opts);
        const s: DeploymentSettings = settings;
        if (s.target === "kubernetes") {
            // The same settings and outputs on a cluster: no host, no containers, every object a Kubernetes one.
            const cluster = deployToCluster(name, s, args, this);
            const [first] = cluster.openclawConfigs;
            this.tokens = cluster.tokens;
            this.endpoint = isTeam(s) ? "" : first.endpoint;
            this.team = pulumi.output(Object.fromEntries(cluster.openclawConfigs.flatMap((c) => (c.member ? [[c.member, { endpoint: c.endpoint, gatewayContainer: "", openclawConfig: c.openclawConfig }]] : []))));
            this.ingressCertificateSha256 = cluster.ingressCertificateSha256;
            this.openclawConfig = isTeam(s) ? "" : first.openclawConfig;
            this.squidConf = cluster.squidConf;
            this.permissions = JSON.stringify(deployedRecord(s).permissions);
            this.gatewayContainer = pulumi.output("");
            this.egressProxyContainer = pulumi.output("");
            this.registerOutputs({ team: this.team, tokens: this.tokens, endpoint: this.endpoint, ingressCertificateSha256: this.ingressCertificateSha256, openclawConfig: this.openclawConfig, squidConf: this.squidConf, permissions: this.permissions });
            return;
        }
        const plans = gatewayPlans(name, s);
        const gatewayLayouts = plans.map((p) => hostLayout(p.settings, s.host.root));
        const shared = hostLayout(s);
        const layout = isTeam(s) ? teamHostLayout(shared, gatewayLayouts, path.posix.join(s.host.root, MEMBERS_FOLDER)) : shared;
        const identity = accountIdentity(s);
        const target = s.host.target;
        const names = deploymentNames(name);

        const ssh = target.kind === "ssh" && args.sshPrivateKey !== undefined ? sshClient(target, args.sshPrivateKey, { parent: this }) : undefined;
        // Every image, network and container goes to the target's engine: never the one where `pulumi up` runs.
        const engine = args.dockerProvider ?? ssh?.dockerProvider(`${name}-engine`, { parent: this });
        const onTarget: pulumi.ComponentResourceOptions = { parent: this, ...(engine ? { providers: [engine] } : {}) };
        const account = new HostAccount(`${name}-host`, { target, identity, layout, ssh }, { parent: this });
        const placement = { target, identity, ssh, dependsOn: [account] };
        const network = new IsolatedNetwork(
            `${name}-net`,
            {
                egress: { name: names.networks.egress, subnet: s.network.egressSubnet },
                ingress: s.gateway.publish ? { name: names.networks.ingress, subnet: s.network.ingressSubnet } : undefined,
                gateways: plans.map((p) => ({ internal: { name: p.names.networks.internal, subnet: p.settings.network.internalSubnet }, sandbox: { name: p.names.networks.sandbox } })),
            },
            onTarget,
        );
        const relays = modelRelays(s);
        const deliveries = alertDeliveries(s);
        const egress = new EgressProxy(
            names.egressProxy,
            {
                ...placement,
                baseImage: s.image.proxyBase,
                limits: proxyLimits(s.container),
                ...isolationOf(s, "proxies"),
                allowedDomains: effectiveEgressAllowlist(s),
                configDir: layout.egressConfig,
                configFile: layout.egressConfigFile,
                logDir: layout.egressLogs,
                modelRelays: relays,
                modelKeysFile: layout.egressModelKeys,
                modelKeys: pulumi.output(args.modelKeys ?? {}),
                alertDeliveries: deliveries,
                gatewayNetworks: plans.map((p, i) => ({ name: network.gateways[i].internalName, subnet: p.settings.network.internalSubnet })),
                egressNetwork: network.egressName,
            },
            onTarget,
        );
        const cells = plans.map((plan, i) =>
            gatewayCell(
                {
                    plan,
                    layout: gatewayLayouts[i],
                    bridges: network.gateways[i],
                    placement,
                    proxyUrl: egress.proxyUrl,
                    serviceLimits: SERVICE_LIMITS,
                    suppliedTokens: args.suppliedTokens,
                    channelTokens: args.channelTokens,
                    watcher: deliveries ? { webhookUrl: args.alertWebhookUrl, mailPassword: args.alertMailPassword, egressProxy: egress } : undefined,
                },
                onTarget,
            ),
        );
        this.endpoint = "";
        this.ingressCertificateSha256 = pulumi.output("");
        const running: pulumi.Resource[] = [egress, ...cells.flatMap((c) => c.running)];
        if (s.gateway.publish && network.ingress) {
            const certificate = ingressCertificate(names.ingressProxy, s, args.ingressTls, this, plans.flatMap((p) => (p.hostName ? [p.hostName] : [])));
            const ingress = new IngressProxy(
                names.ingressProxy,
                {
                    ...placement,
                    baseImage: s.image.proxyBase,
                    limits: proxyLimits(s.container),
                    ...isolationOf(s, "proxies"),
                    publish: s.gateway.publish,
                    ipAllowlist: s.gateway.ipAllowlist,
                    gatewayPort: s.gateway.port,
                    configDir: layout.ingressConfig,
                    configFile: layout.ingressConfigFile,
                    clientTokenMapFile: layout.ingressClientTokenMap,
                    certificateFile: layout.ingressCertificate,
                    clientTokenMap: clientTokenMap(plans, cells.map((c) => c.secrets)),
                    scopes: Object.fromEntries(Object.entries(s.gateway.tokens).map(([n, t]) => [n, t.scopes])),
                    certificate,
                    rateLimit: s.gateway.rateLimit,
                    gateways: plans.map((p, i) => ({
                        // A team's gateways all answer to GATEWAY_HOST on their own networks, which this proxy joins all
                        // of: each is reached by its container name, which is unique.
                        route: { upstreamHost: p.member ? p.names.gateway : GATEWAY_HOST, internalSubnet: p.settings.network.internalSubnet, member: p.member && p.hostName ? { name: p.member, hostName: p.hostName } : undefined },
                        network: network.gateways[i].internalName,
                        address: ingressAddress(p.settings.network.internalSubnet),
                    })),
                    ingressNetwork: network.ingress.name,
                },
                { ...onTarget, dependsOn: cells.map((c) => c.gateway) },
            );
            running.push(ingress);
            this.endpoint = isTeam(s) ? "" : ingress.endpoint;
            if (certificate) this.ingressCertificateSha256 = certificate.sha256;
        }
        const [first] = cells;
        this.alertWatcherContainer = isTeam(s) ? undefined : first.watcher?.containerName;
        const record = deployedRecord(s);
        // Written once every container has its new settings: `clawcage diff` reads what is in force, not what was asked.
        hostFile(`${name}-permissions`, { ...placement, path: layout.deployedPermissions, content: JSON.stringify(record, null, 2) + "\n" }, { parent: this, dependsOn: running });
        this.permissions = JSON.stringify(record.permissions);
        // A team's single-gateway outputs stay empty: each member's are in `team`, its tokens under `<member>/<name>`.
        this.tokens = stackTokens(plans, cells.map((c) => c.secrets));
        this.openclawConfig = isTeam(s) ? "" : first.gateway.openclawConfig;
        this.gatewayContainer = isTeam(s) ? pulumi.output("") : first.gateway.containerName;
        this.team = pulumi.all(plans.flatMap((p, i) => (p.member ? [pulumi.all([p.member, p.endpoint, cells[i].gateway.containerName, cells[i].gateway.openclawConfig])] : []))).apply((members) =>
            Object.fromEntries(members.map(([member, endpoint, gatewayContainer, openclawConfig]) => [member, { endpoint, gatewayContainer, openclawConfig }])),
        );
        this.squidConf = egress.squidConf;
        this.egressProxyContainer = egress.containerName;
        this.registerOutputs({
            team: this.team,
            tokens: this.tokens,
            endpoint: this.endpoint,
            ingressCertificateSha256: this.ingressCertificateSha256,
            openclawConfig: this.openclawConfig,
            squidConf: this.squidConf,
            permissions: this.permissions,
            gatewayContainer: this.gatewayContainer,
            egressProxyContainer: this.egressProxyContainer,
        });
    }
}
