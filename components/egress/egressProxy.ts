import * as pulumi from "@pulumi/pulumi";
import { configuredProxy, type ProxyPlacement } from "../container/configuredProxy";
import * as path from "node:path";
import type { ModelRelay } from "../deployment/modelProviders";
import { PROXY_PATHS } from "../host/layout";
import { renderRelayKeys, renderSquidConf, type AlertDeliveries } from "./squidConf";

export const EGRESS_PROXY_PORT = 3128;
/** The name the gateway's HTTP(S)_PROXY points at, on the internal network. */
export const EGRESS_PROXY_HOST = "egress-proxy";
/** What the gateway's `proxy` setting and HTTP(S)_PROXY hold. */
export const EGRESS_PROXY_URL = `http://${EGRESS_PROXY_HOST}:${EGRESS_PROXY_PORT}`;

export interface EgressProxyArgs extends ProxyPlacement {
    allowedDomains: string[];
    /** Host folder and file of squid.conf, and the host folder of the access log. */
    configDir: string;
    configFile: string;
    logDir: string;
    /** The model providers the egress proxy relays to, and the host file (600) of their keys. */
    modelRelays: ModelRelay[];
    modelKeysFile: string;
    /** The API keys by provider id; secret. */
    modelKeys: pulumi.Input<Record<string, string>>;
    /** Where the alert watcher delivers, from its address alone. */
    alertDeliveries?: AlertDeliveries;
    /** Each gateway's internal network and its subnet: the proxy joins them all and serves no client from anywhere else. */
    gatewayNetworks: { name: pulumi.Input<string>; subnet: string }[];
    egressNetwork: pulumi.Input<string>;
}

/**
 * Every tunnel squid closes leaves its outgoing port in TIME_WAIT for a minute, and the namespace has 28,232 of them:
 * measured with 64 connections of short https calls, 27,527 were waiting after three runs and squid answered 503
 * for want of a port. Reusing a waiting port for a new outgoing connection (safe with TCP timestamps, Linux's
 * default) lifts that ceiling. Namespaced: it changes this container's network stack alone. gVisor's own network
 * stack ignores it.
 */
export const EGRESS_SYSCTLS = { "net.ipv4.tcp_tw_reuse": "1" };

/**
 * The only container with a route out (guide layer 5): squid allows CONNECT to 443 and plain HTTP for the
 * listed domains, refuses IP literals and private or metadata destinations, and logs every decision.
 */
export class EgressProxy extends pulumi.ComponentResource {
    public readonly squidConf: string;
    public readonly proxyUrl: string;
    public readonly containerName: pulumi.Output<string>;

    constructor(name: string, args: EgressProxyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("clawcage:index:EgressProxy", name, { allowedDomains: args.allowedDomains }, opts);
        const relays = args.modelRelays;
        this.squidConf = renderSquidConf({
            allowedDomains: args.allowedDomains,
            port: EGRESS_PROXY_PORT,
            clientSubnets: args.gatewayNetworks.map((n) => n.subnet),
            logDir: PROXY_PATHS.logs,
            relays,
            keysFile: path.posix.join(PROXY_PATHS.config, path.posix.basename(args.modelKeysFile)),
            alertDeliveries: args.alertDeliveries,
        });
        this.proxyUrl = EGRESS_PROXY_URL;
        const proxy = configuredProxy(this, name, args, {
            role: "egress-proxy",
            image: { debianPackage: "squid" },
            // -N: foreground, no daemon fork, so Docker supervises squid itself.
            command: (conf) => ["squid", "-N", "-f", conf],
            configText: this.squidConf,
            configDir: args.configDir,
            configFile: args.configFile,
            extraMounts: [{ hostPath: args.logDir, containerPath: PROXY_PATHS.logs, readOnly: false }],
            secretFiles: [{ name: "model-keys", path: args.modelKeysFile, content: pulumi.output(args.modelKeys).apply((keys) => renderRelayKeys(relays, keys)) }],
            container: {
                // The relay names resolve to the gateway as this proxy (its CONNECT target) and, inside it, to its
                // loopback-only relay port: nothing else on any network can reach the port that adds the keys.
                networks: [...args.gatewayNetworks.map((n) => ({ name: n.name, aliases: [EGRESS_PROXY_HOST, ...relays.map((r) => r.relayHost)] })), { name: args.egressNetwork }],
                hosts: relays.map((r) => ({ host: r.relayHost, ip: "127.0.0.1" })),
                tmpfs: { "/tmp": "rw,noexec,nosuid,nodev,size=16m", "/run/squid": "rw,noexec,nosuid,nodev,size=1m" },
                sysctls: EGRESS_SYSCTLS,
                healthcheck: { command: ["bash", "-c", `exec 3<>/dev/tcp/127.0.0.1/${EGRESS_PROXY_PORT}`], intervalSeconds: 30 },
            },
        });
        this.containerName = proxy.containerName;
        this.registerOutputs({ squidConf: this.squidConf, proxyUrl: this.proxyUrl, containerName: this.containerName });
    }
}
