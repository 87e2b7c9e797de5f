import type { StackValidationPolicy } from "@pulumi/policy";
import { areaTags } from "../lib/metadata";
import { diffPermissions, loosensTooMuch, readPermissions } from "../lib/permissions";
import { STACK, props } from "../lib/stack";

interface Config {
    allowMultiple?: boolean;
}

/** The stack outputs the guard compares: what this preview would deploy, and what the last `pulumi up` left. */
export const PERMISSIONS_OUTPUT = "permissions";
export const PREVIOUS_PERMISSIONS_OUTPUT = "previousPermissions";

// The guide: loosen one permission at a time and watch it. A preview that loosens two is stopped, naming both.
export const oneLooseningAtATime: StackValidationPolicy = {
    name: "one-loosening-at-a-time",
    displayName: "Loosen one permission at a time",
    description: "Compared with the stack's last deployment (its `previousPermissions` output), the new `permissions` output grants at most one permission more: a tool, a writable path, a program's forms, an egress domain, a token scope, a client network. Tightening and going back always pass.",
    severity: "high",
    enforcementLevel: "mandatory",
    tags: areaTags("permissions", "layer-4", "staged-rollout"),
    remediationSteps: "Step with `clawcage stage next`, one stage per `pulumi up`, and watch each change; or, when a bigger step is meant, pass it once: `pulumi preview --policy-pack-config` with {\"one-loosening-at-a-time\": {\"allowMultiple\": true}}.",
    configSchema: {
        properties: {
            allowMultiple: { type: "boolean", default: false, description: "Let this one preview loosen several permissions at once (the explicit flag)." },
        },
    },
    validateStack: (args, reportViolation) => {
        const stack = args.resources.find((r) => r.type === STACK && props(r)[PERMISSIONS_OUTPUT] !== undefined);
        if (!stack) return args.notApplicable("the stack exports no `permissions` output (clawcage's program does)");
        const now = readPermissions(props(stack)[PERMISSIONS_OUTPUT]);
        const before = readPermissions(props(stack)[PREVIOUS_PERMISSIONS_OUTPUT]);
        if (!now) return reportViolation("the `permissions` output is not a permission list: the guard cannot compare it", stack.urn);
        if (!before) return args.notApplicable("no earlier deployment of this stack to compare with (its first `pulumi up`)");
        if (args.getConfig<Config>().allowMultiple) return;
        const refusal = loosensTooMuch(diffPermissions(before, now), "pass allowMultiple in the policy pack config for this one preview");
        if (refusal) reportViolation(refusal, stack.urn);
    },
};
