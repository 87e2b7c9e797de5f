import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";

/** A bridge's Docker name (also its resource name) and, when fixed, its subnet. */
export interface BridgeSpec {
    name: string;
    subnet?: string;
}

export interface IsolatedNetworkArgs {
    /** The egress proxy's way out. */
    egress: BridgeSpec;
    /** Only when the gateway is published: the network the ingress proxy publishes on. */
    ingress?: BridgeSpec;
    /** Each gateway's own bridges (deploymentNames().networks): the one gateway's, or every team member's. */
    gateways: { internal: BridgeSpec; sandbox: BridgeSpec }[];
}

/** A gateway's bridges, by Docker name. */
export interface GatewayBridges {
    internalName: pulumi.Output<string>;
    /** Internal too, and shared by the gateway and its sandbox host alone: the sandbox reaches nothing else. */
    sandboxName: pulumi.Output<string>;
}

/**
 * The network layout of guide layer 5: each gateway sits on an internal bridge of its own with no route out;
 * only the egress proxy also joins the egress bridge, and only the ingress proxy joins the ingress bridge. Two
 * gateways never share a bridge: the proxies are the only containers on more than one gateway's network.
 */
export class IsolatedNetwork extends pulumi.ComponentResource {
    public readonly egress: docker.Network;
    public readonly ingress?: docker.Network;
    public readonly egressName: pulumi.Output<string>;
    public readonly gateways: GatewayBridges[];

    constructor(name: string, args: IsolatedNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("clawcage:index:IsolatedNetwork", name, args, opts);
        const bridge = (kind: "internal" | "egress" | "ingress" | "sandbox", spec: BridgeSpec) =>
            new docker.Network(
                spec.name,
                {
                    name: spec.name,
                    driver: "bridge",
                    internal: kind === "internal" || kind === "sandbox",
                    ipamConfigs: spec.subnet ? [{ subnet: spec.subnet }] : undefined,
                    labels: [{ label: "clawcage.network", value: kind }],
                },
                { parent: this },
            );
        this.gateways = args.gateways.map((g) => ({ internalName: bridge("internal", g.internal).name, sandboxName: bridge("sandbox", g.sandbox).name }));
        this.egress = bridge("egress", args.egress);
        this.ingress = args.ingress ? bridge("ingress", args.ingress) : undefined;
        this.egressName = this.egress.name;
        this.registerOutputs({ egressName: this.egressName, gateways: this.gateways });
    }
}
