import * as pulumi from "@pulumi/pulumi";
import { configuredProxy, type ProxyPlacement } from "../container/configuredProxy";
import { renderHaproxyCfg } from "./haproxyCfg";

export interface IngressProxyArgs extends ProxyPlacement {
    publish: { address: string; port: number };
    ipAllowlist: string[];
    gatewayHost: string;
    gatewayPort: number;
    configDir: string;
    configFile: string;
    internalNetwork: pulumi.Input<string>;
    ingressNetwork: pulumi.Input<string>;
}

/**
 * The published door to the gateway (guide layer 3: no public access, IP allowlist on a VPS). Docker cannot
 * publish a port of a container on an internal network, so this proxy alone joins a published bridge and
 * relays TCP to the gateway, dropping clients outside the allowlist.
 */
export class IngressProxy extends pulumi.ComponentResource {
    public readonly haproxyCfg: string;
    public readonly endpoint: string;
    public readonly containerName: pulumi.Output<string>;

    constructor(name: string, args: IngressProxyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("clawcage:index:IngressProxy", name, { publish: args.publish, ipAllowlist: args.ipAllowlist }, opts);
        const listenPort = args.gatewayPort;
        this.haproxyCfg = renderHaproxyCfg({ listenPort, upstreamHost: args.gatewayHost, upstreamPort: args.gatewayPort, ipAllowlist: args.ipAllowlist });
        this.endpoint = `http://${args.publish.address.includes(":") ? `[${args.publish.address}]` : args.publish.address}:${args.publish.port}`;
        const proxy = configuredProxy(this, name, args, {
            role: "ingress-proxy",
            imageContext: __dirname,
            configText: this.haproxyCfg,
            configDir: args.configDir,
            configFile: args.configFile,
            extraMounts: [],
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
