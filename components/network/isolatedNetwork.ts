import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";

export interface IsolatedNetworkArgs {
    /** Docker names of the bridges (deploymentNames().networks), which are also their resource names. */
    names: { internal: string; egress: string; ingress: string; sandbox: string };
    internalSubnet?: string;
    egressSubnet?: string;
    /** Only when the gateway is published: the network the ingress proxy publishes on. */
    ingress?: { subnet?: string };
}

/**
 * The network layout of guide layer 5: the gateway sits on an internal bridge with no route out; only
 * the egress proxy also joins the egress bridge, and only the ingress proxy joins the ingress bridge.
 */
export class IsolatedNetwork extends pulumi.ComponentResource {
    public readonly internal: docker.Network;
    public readonly egress: docker.Network;
    public readonly ingress?: docker.Network;
    public readonly internalName: pulumi.Output<string>;
    public readonly egressName: pulumi.Output<string>;
    /** Internal too, and shared by the gateway and the sandbox host alone: the sandbox reaches nothing else. */
    public readonly sandboxName: pulumi.Output<string>;

    constructor(name: string, args: IsolatedNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("clawcage:index:IsolatedNetwork", name, args, opts);
        const bridge = (suffix: keyof IsolatedNetworkArgs["names"], internal: boolean, subnet: string | undefined) =>
            new docker.Network(
                args.names[suffix],
                {
                    name: args.names[suffix],
                    driver: "bridge",
                    internal,
                    ipamConfigs: subnet ? [{ subnet }] : undefined,
                    labels: [{ label: "clawcage.network", value: suffix }],
                },
                { parent: this },
            );
        this.internal = bridge("internal", true, args.internalSubnet);
        this.egress = bridge("egress", false, args.egressSubnet);
        this.ingress = args.ingress ? bridge("ingress", false, args.ingress.subnet) : undefined;
        this.internalName = this.internal.name;
        this.egressName = this.egress.name;
        this.sandboxName = bridge("sandbox", true, undefined).name;
        this.registerOutputs({ internalName: this.internalName, egressName: this.egressName, sandboxName: this.sandboxName });
    }
}
