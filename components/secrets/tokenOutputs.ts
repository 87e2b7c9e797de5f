import * as pulumi from "@pulumi/pulumi";
import { renderClientTokenMap, renderTeamTokenMap } from "../ingress/accessMaps";
import type { GatewayPlan } from "../deployment/team";
import type { GatewaySecrets } from "./gatewaySecrets";

/**
 * What the gateways' tokens become beyond their gateways, on either target: the ingress proxy's digest map (a
 * team's keyed by member) and the stack output `tokens` (a team's as `<member>/<name>`). `secrets[i]` is `plans[i]`'s.
 */

export function clientTokenMap(plans: GatewayPlan[], secrets: GatewaySecrets[]): pulumi.Output<string> {
    if (!plans.some((p) => p.member)) return secrets[0].tokens.apply(renderClientTokenMap);
    return pulumi.all(Object.fromEntries(plans.map((p, i) => [p.member ?? "", secrets[i].tokens]))).apply(renderTeamTokenMap);
}

export function stackTokens(plans: GatewayPlan[], secrets: GatewaySecrets[]): pulumi.Output<Record<string, string>> {
    if (!plans.some((p) => p.member)) return secrets[0].tokens;
    const named = plans.map((p, i) => secrets[i].tokens.apply((t) => Object.entries(t).map(([n, v]) => [`${p.member}/${n}`, v] as const)));
    return pulumi.secret(pulumi.all(named).apply((all) => Object.fromEntries(all.flat())));
}
