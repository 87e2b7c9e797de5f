import type { PolicyComplianceFramework, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

export type ClawcagePolicy = ResourceValidationPolicy | StackValidationPolicy;

/** The checklist area of mission.md a policy belongs to; carried as a tag so any tool can group by it. */
export type ChecklistArea = "container" | "identity" | "permissions" | "network" | "audit" | "supply-chain";

export const AREA_TAG_PREFIX = "checklist:";

export function areaTags(area: ChecklistArea, ...more: string[]): string[] {
    return [`${AREA_TAG_PREFIX}${area}`, ...more];
}

export function areaOf(policy: ClawcagePolicy): ChecklistArea | undefined {
    const tag = policy.tags?.find((t) => t.startsWith(AREA_TAG_PREFIX));
    return tag?.slice(AREA_TAG_PREFIX.length) as ChecklistArea | undefined;
}

// Item numbers of CIS Docker Benchmark v1.6.0, whose section 5 numbering the guide's reviewers use.
export function cis(reference: string, specification: string): PolicyComplianceFramework {
    return { name: "CIS Docker Benchmark", version: "1.6.0", reference, specification };
}

export function isStackPolicy(policy: ClawcagePolicy): policy is StackValidationPolicy {
    return "validateStack" in policy;
}
