import * as crypto from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { HardenedContainer } from "../container/hardenedContainer";
import { isolationOf } from "../container/runtime";
import { gatewayEnv } from "./gatewayEnv";
import { gatewayImageSpec } from "../images/imageSpecs";
import type { HostPlacement } from "../container/configuredProxy";
import { channelConfigKey } from "../deployment/names";
import { hostFile } from "../host/hostFile";
import { GATEWAY_HOST, GATEWAY_PATHS, type HostLayout } from "../host/layout";
import { localImage } from "../images/localImage";
import { isWithin } from "../settings/paths";
import type { DeploymentSettings } from "../settings/schema";
import { renderExecApprovals, renderOpenClawConfig } from "./openclawConfig";
import { MODEL_KEY_PLACEHOLDER } from "../deployment/modelProviders";


export interface OpenClawGatewayArgs extends HostPlacement {
    settings: DeploymentSettings;
    layout: HostLayout;
    /** The shared gateway token; secret. */
    token: pulumi.Input<string>;
    /** The bot token of each enabled token channel (layout.channelTokenFiles), by channel id; secret. */
    channelTokens?: { [channel: string]: pulumi.Input<string> };
    internalNetwork: pulumi.Input<string>;
    /** The sandbox host's network, the gateway's key for it (secret) and the line that pins its host key. */
    sandbox: { network: pulumi.Input<string>; clientPrivateKey: pulumi.Input<string>; knownHosts: pulumi.Input<string> };
    /** The egress proxy URL; HTTP(S)_PROXY of the gateway. */
    proxyUrl: string;
    /** Where its clients reach it (a team member's own name); the settings' endpoint by default. */
    endpoint?: string;
}

/**
 * The OpenClaw gateway (guide layers 1, 3 and 4): the pinned openclaw built into an image of this package,
 * configured by a generated openclaw.json mounted read-only, reachable only on the internal network, with
 * the proxy as its only way out.
 */
export class OpenClawGateway extends pulumi.ComponentResource {
    public readonly openclawConfig: string;
    public readonly execApprovals: string;
    public readonly containerName: pulumi.Output<string>;
    public readonly imageName: pulumi.Output<string>;

    constructor(name: string, args: OpenClawGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("clawcage:index:OpenClawGateway", name, { openclawVersion: args.settings.image.openclawVersion }, opts);
        const s = args.settings;
        const { layout } = args;
        this.openclawConfig = JSON.stringify(renderOpenClawConfig(s, args.proxyUrl, args.endpoint), null, 2) + "\n";
        this.execApprovals = JSON.stringify(renderExecApprovals(s), null, 2) + "\n";
        const fileArgs = { target: args.target, identity: args.identity, ssh: args.ssh };
        const config = hostFile(`${name}-config`, { ...fileArgs, path: layout.gatewayConfigFile, content: this.openclawConfig }, { parent: this, dependsOn: args.dependsOn });
        const tokenFile = hostFile(
            `${name}-token`,
            { ...fileArgs, path: layout.gatewayTokenFile, content: pulumi.secret(args.token) },
            { parent: this, dependsOn: args.dependsOn },
        );
        const channelTokenFiles = layout.channelTokenFiles.map((f) => {
            const value = args.channelTokens?.[f.id];
            if (value === undefined) throw new Error(`channel '${f.id}' is enabled but no bot token was given: pulumi config set --secret ${channelConfigKey(f.id)} <the bot token>`);
            return hostFile(`${name}-channel-${f.id}`, { ...fileArgs, path: f.hostPath, content: pulumi.secret(value) }, { parent: this, dependsOn: args.dependsOn });
        });
        const placeholder = hostFile(
            `${name}-model-key-placeholder`,
            { ...fileArgs, path: layout.gatewayModelKeyPlaceholder, content: MODEL_KEY_PLACEHOLDER },
            { parent: this, dependsOn: args.dependsOn },
        );
        const sandboxFiles = [
            hostFile(`${name}-sandbox-key`, { ...fileArgs, path: layout.gatewaySandboxClientKey, content: pulumi.secret(args.sandbox.clientPrivateKey) }, { parent: this, dependsOn: args.dependsOn }),
            hostFile(`${name}-sandbox-known-hosts`, { ...fileArgs, path: layout.gatewaySandboxKnownHosts, content: args.sandbox.knownHosts }, { parent: this, dependsOn: args.dependsOn }),
        ];
        const approvals = hostFile(
            `${name}-approvals`,
            { ...fileArgs, path: layout.gatewayApprovalsFile, content: this.execApprovals },
            { parent: this, dependsOn: args.dependsOn },
        );
        const image = localImage(`${name}-image`, gatewayImageSpec(s), { parent: this });
        this.imageName = image.imageName;
        const tmpfsOpts = `rw,noexec,nosuid,nodev,size=${s.container.tmpfsSizeMb}m,uid=${s.host.uid},gid=${s.host.uid},mode=0700`;
        const mounts = [
            // Week 1: the workspace is read-only; granted paths are mounted writable over it.
            { hostPath: layout.workspace, containerPath: GATEWAY_PATHS.workspace, readOnly: true },
            ...layout.writable.map((w) => ({ hostPath: w.hostPath, containerPath: w.containerPath, readOnly: false })),
            // A writable mount is writable only while the stage grants writes where it lies (stage back clamps it).
            ...s.container.mounts.map((m) => ({ ...m, readOnly: m.readOnly || !layout.writable.some((w) => isWithin(m.containerPath, w.containerPath)) })),
            { hostPath: layout.gatewayConfig, containerPath: GATEWAY_PATHS.config, readOnly: true },
            { hostPath: layout.state, containerPath: GATEWAY_PATHS.state, readOnly: false },
            { hostPath: layout.gatewayLogs, containerPath: GATEWAY_PATHS.logs, readOnly: false },
        ];
        // Where the agent can write in the workspace: git-guard.sh refuses to run git there.
        const agentWritable = mounts.filter((m) => !m.readOnly && isWithin(m.containerPath, GATEWAY_PATHS.workspace)).map((m) => m.containerPath);
        const gateway = new HardenedContainer(
            name,
            {
                host: { target: args.target, ssh: args.ssh },
                image: image.imageName,
                user: `${s.host.uid}:${s.host.uid}`,
                workingDir: GATEWAY_PATHS.workspace,
                envs: Object.entries(gatewayEnv(s, agentWritable, args.proxyUrl)).map(([k, v]) => `${k}=${v}`),
                networks: [{ name: args.internalNetwork, aliases: [GATEWAY_HOST] }, { name: args.sandbox.network }],
                // OpenClaw leases its state folder to one gateway and reclaims a dead holder's lease only on the same
                // host name: with Docker's default (the container id) a replaced gateway waits 5 minutes to start.
                hostname: GATEWAY_HOST,
                mounts,
                tmpfs: { "/tmp": tmpfsOpts, [GATEWAY_PATHS.temp]: tmpfsOpts },
                limits: s.container,
                role: "gateway",
                ...isolationOf(s, "gateway"),
                healthcheck: {
                    command: ["node", "-e", `fetch("http://127.0.0.1:${s.gateway.port}/healthz").then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`],
                    intervalSeconds: 30,
                },
                labels: {
                    "clawcage.openclaw-version": s.image.openclawVersion,
                    // A changed openclaw.json or exec allowlist replaces the gateway: the allowlist is loaded only at
                    // start, and measured, a changed rollout stage was not always picked up by OpenClaw's hot reload.
                    "clawcage.config-digest": crypto.createHash("sha256").update(this.openclawConfig).update("\0").update(this.execApprovals).digest("hex"),
                },
            },
            { parent: this, dependsOn: [config, approvals, placeholder, tokenFile, ...channelTokenFiles, ...sandboxFiles] },
        );
        this.containerName = gateway.containerName;
        this.registerOutputs({ openclawConfig: this.openclawConfig, execApprovals: this.execApprovals, containerName: this.containerName, imageName: this.imageName });
    }
}
