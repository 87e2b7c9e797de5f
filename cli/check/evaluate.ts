import type { EnforcementLevel, ResourceValidation } from "@pulumi/policy";
import { isStackPolicy, type ClawcagePolicy } from "../../policy/api";
import { isUnknownValueError } from "../../policy/api";
import { NotApplicable, resourceArgs, stackArgs, type PolicyInput } from "./policyInputs";

/** Policy pack config in the CLI's format (`--policy-pack-config`): a level, or an object with one and the policy's own properties; "all" sets every policy's level. */
export type PackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

export type Status = "pass" | "fail" | "unknown" | "n/a" | "disabled";

export interface Violation {
    message: string;
    urn?: string;
}

export interface PolicyResult {
    policy: ClawcagePolicy;
    level: EnforcementLevel;
    status: Status;
    violations: Violation[];
    /** Why the policy could not run on some value (unknown during preview) or did not apply. */
    notes: string[];
    /** How many resources (or the stack) it applied to. */
    applied: number;
    /** The distinct reasons it did not apply. */
    notApplicable: string[];
}

const levelIn = (entry: PackConfig[string] | undefined): EnforcementLevel | undefined =>
    typeof entry === "string" ? entry : entry?.enforcementLevel;

/** The level the engine would use: the policy's config entry, else "all", else the policy's own, else advisory. */
export function levelOf(policy: ClawcagePolicy, config: PackConfig): EnforcementLevel {
    return levelIn(config[policy.name]) ?? levelIn(config.all) ?? policy.enforcementLevel ?? "advisory";
}

/** What getConfig() returns: the schema's defaults overlaid with the policy's config properties. */
export function policyConfigOf(policy: ClawcagePolicy, config: PackConfig): Record<string, unknown> {
    const defaults = Object.fromEntries(
        Object.entries(policy.configSchema?.properties ?? {})
            .map(([k, schema]) => [k, typeof schema === "object" ? schema.default : undefined])
            .filter(([, v]) => v !== undefined),
    );
    const entry = config[policy.name];
    const own = typeof entry === "object" ? Object.fromEntries(Object.entries(entry).filter(([k]) => k !== "enforcementLevel")) : {};
    return { ...defaults, ...own };
}

type Outcome = Omit<PolicyResult, "policy" | "level" | "status">;

/** Runs one validation the way the analyzer does: NotApplicable and UnknownValueError are outcomes, not failures. */
async function run(validate: (report: (message: string, urn?: string) => void) => unknown, urn: string | undefined, into: Outcome): Promise<void> {
    try {
        await validate((message, at) => into.violations.push({ message, urn: at ?? urn }));
        into.applied += 1;
    } catch (e) {
        if (e instanceof NotApplicable) {
            if (!into.notApplicable.includes(e.reason)) into.notApplicable.push(e.reason);
            return;
        }
        if (isUnknownValueError(e)) {
            into.applied += 1;
            into.notes.push(`can't run during preview: ${e.message}`);
            return;
        }
        throw e;
    }
}

export async function evaluatePolicy(policy: ClawcagePolicy, inputs: PolicyInput[], stack: string, config: PackConfig = {}): Promise<PolicyResult> {
    const level = levelOf(policy, config);
    const outcome: Outcome = { violations: [], notes: [], applied: 0, notApplicable: [] };
    if (level === "disabled") return { policy, level, status: "disabled", ...outcome };
    const policyConfig = policyConfigOf(policy, config);
    if (isStackPolicy(policy)) {
        const args = stackArgs(inputs, stack, policyConfig);
        await run((report) => policy.validateStack(args, report), undefined, outcome);
    } else {
        const validations: ResourceValidation[] = ([] as ResourceValidation[]).concat(policy.validateResource ?? []);
        for (const input of inputs.filter((i) => i.custom)) {
            const args = resourceArgs(input, stack, policyConfig);
            for (const validate of validations) await run((report) => validate(args, report), args.urn, outcome);
        }
    }
    const status: Status = outcome.violations.length > 0 ? "fail" : outcome.notes.length > 0 ? "unknown" : outcome.applied > 0 ? "pass" : "n/a";
    return { policy, level, status, ...outcome };
}

export async function evaluatePack(policies: ClawcagePolicy[], inputs: PolicyInput[], stack: string, config: PackConfig = {}): Promise<PolicyResult[]> {
    const results: PolicyResult[] = [];
    for (const policy of policies) results.push(await evaluatePolicy(policy, inputs, stack, config));
    return results;
}

/** A mandatory (or remediate, which the SDK downgrades to mandatory) policy with a violation blocks a deployment. */
export function blocking(results: PolicyResult[]): PolicyResult[] {
    return results.filter((r) => r.status === "fail" && (r.level === "mandatory" || r.level === "remediate"));
}
