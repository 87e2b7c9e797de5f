import * as pulumi from "@pulumi/pulumi";
import type * as docker from "@pulumi/docker";
import { EgressProxy } from "../egress/egressProxy";
import { GatewaySecrets } from "../secrets/gatewaySecrets";
import { HostAccount } from "../host/hostAccount";
import { accountIdentity } from "../host/hostScript";
import { sshClient } from "../host/sshClient";
import { hostLayout } from "../host/layout";
import { IngressProxy } from "../ingress/ingressProxy";
import { ingressCertificate } from "../ingress/ingressCertificate";
import { IsolatedNetwork } from "../network/isolatedNetwork";
import { GATEWAY_HOST, OpenClawGateway } from "../gateway/openclawGateway";
import { SandboxHost } from "../sandbox/sandboxHost";
import { isolationOf } from "../container/runtime";
import { parseSettingsJson } from "../settings/parse";
import type { DeploymentSettings } from "../settings/schema";
import { deploymentNames, effectiveEgressAllowlist, ingressAddress } from "./names";
import { modelRelays } from "./modelProviders";
import { hostFile } from "../host/hostFile";
import { deployedRecord } from "../rollout/permissions";
import { AlertWatcher } from "../watcher/alertWatcher";
import { alertDeliveries } from "../watcher/deliveries";

export { DEPLOYMENT_NAME } from "./names";

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
 * Limits of the proxies: small, fixed, and never competing with the gateway. 128 processes and threads: squid and
 * its few children, haproxy's fixed thread count (haproxyCfg.ts), the watcher's Node.
 */
const PROXY_LIMITS = { cpus: 0.5, memoryMb: 256, memoryReservationMb: 64, cpuReservation: 0.25, maxProcesses: 128 };

/**
 * The whole five-layer deployment from one settings object: host account and folders, isolated networks,
 * egress proxy, gateway, and (when published) the ingress proxy. Use it from index.ts or any larger stack.
 */
export class OpenClawDeployment extends pulumi.ComponentResource {
    /** Client token values by name, for whoever calls the published endpoint; secret. */
    public readonly tokens: pulumi.Output<{ [name: string]: string }>;
    /** Where clients reach the gateway, or "" when it is reachable only from the internal network. */
    public readonly endpoint: string;
    /** SHA-256 of the endpoint's certificate, which clients pin; "" without TLS. */
    public readonly ingressCertificateSha256: pulumi.Output<string>;
    /** The generated openclaw.json (holds no secret: the token is a file SecretRef). */
    public readonly openclawConfig: string;
    public readonly squidConf: string;
    /** What the deployment lets the agent and its clients do (JSON, rollout/permissions.ts): the one-loosening guard compares it. */
    public readonly permissions: string;
    public readonly gatewayContainer: pulumi.Output<string>;
    public readonly egressProxyContainer: pulumi.Output<string>;
    /** The alert watcher, when alerts go somewhere. */
    public readonly alertWatcherContainer?: pulumi.Output<string>;

    constructor(name: string, args: OpenClawDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
        const settings = parseSettingsJson(args.settings);
        // The settings document as given (it holds no secret; parsing above refused it if invalid) is what
        // the engine records as the component's inputs.
        super("clawcage:index:OpenClawDeployment", name, { settings: args.settings }, opts);
        const s: DeploymentSettings = settings;
        const layout = hostLayout(s);
        const identity = accountIdentity(s);
        const target = s.host.target;
        const names = deploymentNames(name);

        const secrets = new GatewaySecrets(`${name}-secrets`, { tokens: s.gateway.tokens, supplied: args.suppliedTokens }, { parent: this });
        const ssh = target.kind === "ssh" && args.sshPrivateKey !== undefined ? sshClient(target, args.sshPrivateKey, { parent: this }) : undefined;
        // Every image, network and container goes to the target's engine: never the one where `pulumi up` runs.
        const engine = args.dockerProvider ?? ssh?.dockerProvider(`${name}-engine`, { parent: this });
        const onTarget: pulumi.ComponentResourceOptions = { parent: this, ...(engine ? { providers: [engine] } : {}) };
        const account = new HostAccount(`${name}-host`, { target, identity, layout, ssh }, { parent: this });
        const placement = { target, identity, ssh, dependsOn: [account] };
        const network = new IsolatedNetwork(
            `${name}-net`,
            {
                names: names.networks,
                internalSubnet: s.network.internalSubnet,
                egressSubnet: s.network.egressSubnet,
                ingress: s.gateway.publish ? { subnet: s.network.ingressSubnet } : undefined,
            },
            onTarget,
        );
        const relays = modelRelays(s);
        const deliveries = alertDeliveries(s);
        const missingKeys = relays.filter((r) => r.keyConfigKey && args.modelKeys?.[r.id] === undefined);
        if (missingKeys.length > 0) {
            throw new Error(missingKeys.map((r) => `model provider '${r.id}' takes an API key but none was given: pulumi config set --secret ${r.keyConfigKey} <the key> (or auth: none for a local server)`).join("; "));
        }
        const egress = new EgressProxy(
            names.egressProxy,
            {
                ...placement,
                baseImage: s.image.proxyBase,
                limits: PROXY_LIMITS,
                ...isolationOf(s, "proxies"),
                allowedDomains: effectiveEgressAllowlist(s),
                configDir: layout.egressConfig,
                configFile: layout.egressConfigFile,
                logDir: layout.egressLogs,
                modelRelays: relays,
                modelKeysFile: layout.egressModelKeys,
                modelKeys: pulumi.output(args.modelKeys ?? {}),
                alertDeliveries: deliveries,
                internalNetwork: network.internalName,
                internalSubnet: s.network.internalSubnet,
                egressNetwork: network.egressName,
            },
            onTarget,
        );
        const sandbox = new SandboxHost(
            names.sandboxHost,
            {
                ...placement,
                baseImage: s.image.proxyBase,
                limits: s.container,
                ...isolationOf(s, "sandbox"),
                configDir: layout.sandboxConfig,
                user: s.host.user,
                sandboxNetwork: network.sandboxName,
                tmpfsSizeMb: s.container.tmpfsSizeMb,
            },
            onTarget,
        );
        const gateway = new OpenClawGateway(
            names.gateway,
            {
                ...placement,
                settings: s,
                layout,
                token: secrets.gatewayToken,
                channelTokens: args.channelTokens,
                internalNetwork: network.internalName,
                sandbox: { network: network.sandboxName, clientPrivateKey: sandbox.clientPrivateKey, knownHosts: sandbox.knownHosts },
                proxyUrl: egress.proxyUrl,
            },
            onTarget,
        );
        this.endpoint = "";
        this.ingressCertificateSha256 = pulumi.output("");
        const running: pulumi.Resource[] = [gateway, egress, sandbox];
        if (s.gateway.publish && network.ingress) {
            const certificate = ingressCertificate(names.ingressProxy, s, args.ingressTls, this);
            const ingress = new IngressProxy(
                names.ingressProxy,
                {
                    ...placement,
                    baseImage: s.image.proxyBase,
                    limits: PROXY_LIMITS,
                    ...isolationOf(s, "proxies"),
                    publish: s.gateway.publish,
                    ipAllowlist: s.gateway.ipAllowlist,
                    gatewayHost: GATEWAY_HOST,
                    gatewayPort: s.gateway.port,
                    configDir: layout.ingressConfig,
                    configFile: layout.ingressConfigFile,
                    clientTokenMapFile: layout.ingressClientTokenMap,
                    certificateFile: layout.ingressCertificate,
                    clientTokens: secrets.tokens,
                    scopes: Object.fromEntries(Object.entries(s.gateway.tokens).map(([n, t]) => [n, t.scopes])),
                    certificate,
                    rateLimit: s.gateway.rateLimit,
                    internalNetwork: network.internalName,
                    internalAddress: ingressAddress(s.network.internalSubnet),
                    internalSubnet: s.network.internalSubnet,
                    ingressNetwork: network.ingress.name,
                },
                { ...onTarget, dependsOn: [gateway] },
            );
            running.push(ingress);
            this.endpoint = ingress.endpoint;
            if (certificate) this.ingressCertificateSha256 = certificate.sha256;
        }
        if (deliveries) {
            const watcher = new AlertWatcher(
                names.alertWatcher,
                { ...placement, baseImage: s.image.gatewayBase, limits: PROXY_LIMITS, ...isolationOf(s, "watcher"), settings: s, layout, webhookUrl: args.alertWebhookUrl, mailPassword: args.alertMailPassword, proxyUrl: egress.proxyUrl, internalNetwork: network.internalName },
                { ...onTarget, dependsOn: [egress] },
            );
            running.push(watcher);
            this.alertWatcherContainer = watcher.containerName;
        }
        const record = deployedRecord(s);
        // Written once every container has its new settings: `clawcage diff` reads what is in force, not what was asked.
        hostFile(`${name}-permissions`, { ...placement, path: layout.deployedPermissions, content: JSON.stringify(record, null, 2) + "\n" }, { parent: this, dependsOn: running });
        this.permissions = JSON.stringify(record.permissions);
        this.tokens = secrets.tokens;
        this.openclawConfig = gateway.openclawConfig;
        this.squidConf = egress.squidConf;
        this.gatewayContainer = gateway.containerName;
        this.egressProxyContainer = egress.containerName;
        this.registerOutputs({
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
