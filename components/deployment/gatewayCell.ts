import type * as pulumi from "@pulumi/pulumi";
import type { HostPlacement } from "../container/configuredProxy";
import { isolationOf } from "../container/runtime";
import { OpenClawGateway } from "../gateway/openclawGateway";
import type { HostLayout } from "../host/layout";
import type { GatewayBridges } from "../network/isolatedNetwork";
import { SandboxHost } from "../sandbox/sandboxHost";
import { GatewaySecrets } from "../secrets/gatewaySecrets";
import { AlertWatcher } from "../watcher/alertWatcher";
import type { GatewayPlan } from "./team";

/** Limits of a container that is not the gateway: see serviceLimits.ts. */
type ServiceLimits = { cpus: number; memoryMb: number; memoryReservationMb: number; cpuReservation: number; maxProcesses: number };

export interface GatewayCellArgs {
    plan: GatewayPlan;
    /** The plan's own host layout (hostLayout of its settings). */
    layout: HostLayout;
    bridges: GatewayBridges;
    placement: HostPlacement;
    /** Where the gateway and its watcher go out: the deployment's one egress proxy. */
    proxyUrl: string;
    serviceLimits: ServiceLimits;
    suppliedTokens?: { [name: string]: pulumi.Input<string> };
    channelTokens?: { [channel: string]: pulumi.Input<string> };
    /** When alerts go somewhere: the deliveries' credentials, and the proxy to start after. */
    watcher?: { webhookUrl?: pulumi.Input<string>; mailPassword?: pulumi.Input<string>; egressProxy: pulumi.Resource };
}

/** What one gateway is made of: its tokens, its sandbox host, the gateway, and its alert watcher. */
export interface GatewayCell {
    secrets: GatewaySecrets;
    gateway: OpenClawGateway;
    watcher?: AlertWatcher;
    /** Its running containers, which the permissions record waits for. */
    running: pulumi.Resource[];
}

/**
 * One gateway with everything that is its own, on its own bridges: a deployment has one, a team one per member.
 * Nothing here is shared with another gateway; the proxies that are shared come in as the proxy URL.
 */
export function gatewayCell(args: GatewayCellArgs, opts: pulumi.ComponentResourceOptions): GatewayCell {
    const { plan, layout, bridges, placement } = args;
    const s = plan.settings;
    const names = plan.names;
    const secrets = new GatewaySecrets(`${plan.prefix}-secrets`, { tokens: s.gateway.tokens, supplied: args.suppliedTokens }, { parent: opts.parent });
    const sandbox = new SandboxHost(
        names.sandboxHost,
        {
            ...placement,
            baseImage: s.image.proxyBase,
            limits: s.container,
            ...isolationOf(s, "sandbox"),
            configDir: layout.sandboxConfig,
            user: s.host.user,
            sandboxNetwork: bridges.sandboxName,
            tmpfsSizeMb: s.container.tmpfsSizeMb,
        },
        opts,
    );
    const gateway = new OpenClawGateway(
        names.gateway,
        {
            ...placement,
            settings: s,
            layout,
            token: secrets.gatewayToken,
            channelTokens: args.channelTokens,
            internalNetwork: bridges.internalName,
            sandbox: { network: bridges.sandboxName, clientPrivateKey: sandbox.clientPrivateKey, knownHosts: sandbox.knownHosts },
            proxyUrl: args.proxyUrl,
            endpoint: plan.endpoint,
        },
        opts,
    );
    const running: pulumi.Resource[] = [gateway, sandbox];
    const w = args.watcher;
    const watcher = w
        ? new AlertWatcher(
              names.alertWatcher,
              {
                  ...placement,
                  baseImage: s.image.gatewayBase,
                  limits: args.serviceLimits,
                  ...isolationOf(s, "watcher"),
                  settings: s,
                  layout,
                  webhookUrl: w.webhookUrl,
                  mailPassword: w.mailPassword,
                  proxyUrl: args.proxyUrl,
                  internalNetwork: bridges.internalName,
                  egressClients: plan.member ? s.network.internalSubnet : undefined,
              },
              { ...opts, dependsOn: [w.egressProxy] },
          )
        : undefined;
    if (watcher) running.push(watcher);
    return { secrets, gateway, watcher, running };
}
