import * as pulumi from "@pulumi/pulumi";
import { configuredProxy, type ProxyPlacement } from "../container/configuredProxy";
import { INGRESS_MAP_FILES, PROXY_PATHS } from "../host/layout";
import { renderClientTokenMap, renderGatewayTokenMap } from "./accessMaps";
import { renderHaproxyCfg } from "./haproxyCfg";
import { endpointUrl } from "../deployment/names";

export interface IngressProxyArgs extends ProxyPlacement {
    publish: { address: string; port: number };
    ipAllowlist: string[];
    gatewayHost: string;
    gatewayPort: number;
    configDir: string;
    configFile: string;
    /** Host paths of the two token maps (layout.ingressClientTokenMap / ingressGatewayTokenMap). */
    clientTokenMapFile: string;
    gatewayTokenMapFile: string;
    /** Named client tokens by name; secret. */
    clientTokens: pulumi.Output<Record<string, string>>;
    /** The gateway's own token; secret. */
    gatewayToken: pulumi.Output<string>;
    rateLimit: { maxAttempts: number; windowSeconds: number; lockoutSeconds: number };
    internalNetwork: pulumi.Input<string>;
    ingressNetwork: pulumi.Input<string>;
}

/**
 * The published door to the gateway (guide layer 3: no public access, IP allowlist, named tokens). Docker
 * cannot publish a port of a container on an internal network, so this proxy alone joins a published bridge.
 * It drops clients outside the allowlist, admits a request only with one of the named tokens, and relays it
 * with the gateway's own token: OpenClaw knows one shared token, so naming, rotating and revoking tokens one
 * by one happens here.
 */
export class IngressProxy extends pulumi.ComponentResource {
    public readonly haproxyCfg: string;
    public readonly endpoint: string;
    public readonly containerName: pulumi.Output<string>;

    constructor(name: string, args: IngressProxyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("clawcage:index:IngressProxy", name, { publish: args.publish, ipAllowlist: args.ipAllowlist }, opts);
        const listenPort = args.gatewayPort;
        this.haproxyCfg = renderHaproxyCfg({
            listenPort,
            upstreamHost: args.gatewayHost,
            upstreamPort: args.gatewayPort,
            ipAllowlist: args.ipAllowlist,
            rateLimit: args.rateLimit,
            clientTokenMap: `${PROXY_PATHS.config}/${INGRESS_MAP_FILES.clientTokens}`,
            gatewayTokenMap: `${PROXY_PATHS.config}/${INGRESS_MAP_FILES.gatewayToken}`,
        });
        this.endpoint = endpointUrl(args.publish);
        const proxy = configuredProxy(this, name, args, {
            role: "ingress-proxy",
            image: { debianPackage: "haproxy" },
            // -W -db: master-worker in the foreground, so Docker supervises haproxy itself.
            command: (conf) => ["haproxy", "-W", "-db", "-f", conf],
            configText: this.haproxyCfg,
            configDir: args.configDir,
            configFile: args.configFile,
            extraMounts: [],
            secretFiles: [
                { name: "client-tokens", path: args.clientTokenMapFile, content: args.clientTokens.apply(renderClientTokenMap) },
                { name: "gateway-token", path: args.gatewayTokenMapFile, content: args.gatewayToken.apply(renderGatewayTokenMap) },
            ],
            container: {
                networks: [{ name: args.ingressNetwork }, { name: args.internalNetwork }],
                tmpfs: { "/tmp": "rw,noexec,nosuid,size=16m" },
                ports: [{ containerPort: listenPort, hostPort: args.publish.port, address: args.publish.address }],
                healthcheck: { command: ["bash", "-c", `exec 3<>/dev/tcp/127.0.0.1/${listenPort}`], intervalSeconds: 30 },
            },
        });
        this.containerName = proxy.containerName;
        this.registerOutputs({ haproxyCfg: this.haproxyCfg, endpoint: this.endpoint, containerName: this.containerName });
    }
}
