import * as pulumi from "@pulumi/pulumi";
import { configuredProxy, type ProxyPlacement } from "../container/configuredProxy";
import { INGRESS_FILES, PROXY_PATHS } from "../host/layout";
import { renderHaproxyCfg, type IngressRoute } from "./haproxyCfg";
import { endpointUrl } from "../deployment/names";
import type { IngressCertificate } from "./ingressCertificate";
import { hostCommand } from "../host/hostCommand";
import { asRoot } from "../host/hostScript";
import { needsHostFirewall, renderFirewallCreateScript, renderFirewallDeleteScript } from "../host/hostFirewall";

export interface IngressProxyArgs extends ProxyPlacement {
    publish: { address: string; port: number };
    ipAllowlist: string[];
    gatewayPort: number;
    configDir: string;
    configFile: string;
    /** Host paths of the token map and the certificate bundle (layout.ingressClientTokenMap / ingressCertificate). */
    clientTokenMapFile: string;
    certificateFile: string;
    /** The token map (accessMaps.ts: digests of the named tokens, by member in a team); secret. */
    clientTokenMap: pulumi.Output<string>;
    /** The operator scopes of each token name. */
    scopes: Record<string, readonly string[]>;
    /** Absent: plain http (the settings allow it on loopback only). */
    certificate?: IngressCertificate;
    rateLimit: { maxAttempts: number; windowSeconds: number; lockoutSeconds: number };
    /**
     * Each gateway behind the door, with its internal network and this proxy's pinned address there: the only
     * source whose identity headers that gateway believes.
     */
    gateways: { route: IngressRoute; network: pulumi.Input<string>; address: string }[];
    ingressNetwork: pulumi.Input<string>;
}

/**
 * The published door to the gateway (guide layer 3: no public access, IP allowlist, named tokens). Docker
 * cannot publish a port of a container on an internal network, so this proxy alone joins a published bridge.
 * It terminates TLS, drops clients outside the allowlist, admits a request only with one of the named tokens,
 * and tells the gateway the token's name and scopes (OpenClaw's trusted-proxy auth): naming, scoping, rotating
 * and revoking tokens one by one happens here, and no token value reaches the gateway.
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
            routes: args.gateways.map((g) => g.route),
            upstreamPort: args.gatewayPort,
            ipAllowlist: args.ipAllowlist,
            rateLimit: args.rateLimit,
            clientTokenMap: `${PROXY_PATHS.config}/${INGRESS_FILES.clientTokens}`,
            scopes: args.scopes,
            certificate: args.certificate ? `${PROXY_PATHS.config}/${INGRESS_FILES.certificate}` : undefined,
        });
        this.endpoint = endpointUrl(args.publish, args.certificate !== undefined);
        // Beyond loopback, the host firewall holds the same allowlist, before the port is published.
        const firewall = needsHostFirewall(args.publish)
            ? [hostCommand(`${name}-firewall`, args.target, args.ssh, { create: asRoot(renderFirewallCreateScript({ ...args.publish, ipAllowlist: args.ipAllowlist })), delete: asRoot(renderFirewallDeleteScript({ ...args.publish, ipAllowlist: args.ipAllowlist })) }, { parent: this, dependsOn: args.dependsOn })]
            : [];
        const proxy = configuredProxy(this, name, { ...args, dependsOn: [...args.dependsOn, ...firewall] }, {
            role: "ingress-proxy",
            image: { debianPackage: "haproxy" },
            // -W -db: master-worker in the foreground, so Docker supervises haproxy itself.
            command: (conf) => ["haproxy", "-W", "-db", "-f", conf],
            configText: this.haproxyCfg,
            configDir: args.configDir,
            configFile: args.configFile,
            extraMounts: [],
            secretFiles: [
                { name: "client-tokens", path: args.clientTokenMapFile, content: args.clientTokenMap },
                ...(args.certificate ? [{ name: "certificate", path: args.certificateFile, content: args.certificate.bundle }] : []),
            ],
            container: {
                networks: [{ name: args.ingressNetwork }, ...args.gateways.map((g) => ({ name: g.network, ipv4Address: g.address }))],
                tmpfs: { "/tmp": "rw,noexec,nosuid,nodev,size=16m" },
                ports: [{ containerPort: listenPort, hostPort: args.publish.port, address: args.publish.address }],
                healthcheck: { command: ["bash", "-c", `exec 3<>/dev/tcp/127.0.0.1/${listenPort}`], intervalSeconds: 30 },
            },
        });
        this.containerName = proxy.containerName;
        this.registerOutputs({ haproxyCfg: this.haproxyCfg, endpoint: this.endpoint, containerName: this.containerName });
    }
}
