/**
 * The labels every clawcage object on a cluster carries, and the selectors built from them: the NetworkPolicies
 * select pods by these alone, so a pod's component and member are its network identity.
 */

export const APP_LABEL = "app.kubernetes.io/name";
export const APP_NAME = "openclaw";
export const COMPONENT_LABEL = "app.kubernetes.io/component";
export const MEMBER_LABEL = "clawcage.dev/member";

export const CLUSTER_COMPONENTS = ["gateway", "sandbox", "egress-proxy", "ingress-proxy"] as const;
export type ClusterComponent = (typeof CLUSTER_COMPONENTS)[number];

/** A pod's labels: the app, its component, and for a team member's gateway and sandbox host, the member. */
export function podLabels(component: ClusterComponent, member?: string): Record<string, string> {
    return { [APP_LABEL]: APP_NAME, [COMPONENT_LABEL]: component, ...(member === undefined ? {} : { [MEMBER_LABEL]: member }) };
}
