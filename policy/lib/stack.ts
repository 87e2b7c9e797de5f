import type { PolicyResource } from "@pulumi/policy";
import { isGateway, isOpenClawContainer, type Props } from "./openclaw";
import { bool, ifKnown, list, record, str } from "./values";

export const CONTAINER = "docker:index/container:Container";
export const NETWORK = "docker:index/network:Network";
export const STACK = "pulumi:pulumi:Stack";

export function props(resource: PolicyResource): Props {
    return resource.props as Props;
}

export function containers(resources: PolicyResource[]): PolicyResource[] {
    return resources.filter((r) => r.type === CONTAINER);
}

export function openclawContainers(resources: PolicyResource[]): PolicyResource[] {
    return containers(resources).filter((r) => isOpenClawContainer(props(r)));
}

export function gateways(resources: PolicyResource[]): PolicyResource[] {
    return containers(resources).filter((r) => isGateway(props(r)));
}

export function containerLabel(resource: PolicyResource): string {
    return ifKnown(() => str(props(resource).name)) ?? resource.name;
}

/** docker.Network `internal` flag by network name (the name containers refer to). */
export function networkInternalByName(resources: PolicyResource[]): Map<string, boolean> {
    const out = new Map<string, boolean>();
    for (const r of resources.filter((x) => x.type === NETWORK)) {
        const name = ifKnown(() => str(props(r).name)) ?? r.name;
        out.set(name, ifKnown(() => bool(props(r).internal)) === true);
    }
    return out;
}

/**
 * The networks a container joins. Docker attaches a container to the default `bridge` when no network
 * mode is given (docker provider default), so an unset networkMode counts as `bridge`.
 */
export function networksOf(container: Props): string[] {
    const mode = ifKnown(() => str(container.networkMode)) ?? "bridge";
    const advanced = (ifKnown(() => list(container.networksAdvanced)) ?? [])
        .map((n) => ifKnown(() => str(record(n)?.name)))
        .filter((n): n is string => n !== undefined);
    return [...new Set([mode, ...advanced])].filter((n) => n !== "none");
}
