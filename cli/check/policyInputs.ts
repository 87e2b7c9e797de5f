import type { PolicyResource, PolicyResourceOptions, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { SECRET_SIG, SECRET_SIG_KEY, type ProgramRun, type RecordedResource } from "../record/program";
import { unknownCheckingProxy } from "../../policy/api";

/**
 * Builds @pulumi/policy 1.21 argument objects (the shape of pulumi-policy's own policy.spec.ts,
 * including `notApplicable` and `stackTags`) from resources recorded without the engine. Resource
 * policies see inputs and stack policies outputs, as under `pulumi preview`; props go through the
 * SDK's unknown-checking proxy so an unknown value throws exactly as it does in the analyzer.
 */

/** A recorded resource, plus the property dependencies the engine would report (by resource name). */
export interface PolicyInput extends RecordedResource {
    propertyDependencies?: Record<string, string[]>;
}

export const STACK_TYPE = "pulumi:pulumi:Stack";

export const EMPTY_OPTIONS: PolicyResourceOptions = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
};

/** Thrown by `notApplicable`, as the SDK's own NotApplicableError is. */
export class NotApplicable extends Error {
    constructor(public readonly reason: string) {
        super(reason);
    }
}

const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason ?? "not applicable");
};

export function urnOf(stack: string, type: string, name: string): string {
    return `urn:pulumi:${stack}::clawcage::${type}::${name}`;
}

function pulumiTypeOf(resourceClass: unknown): string | undefined {
    const t = (resourceClass as { __pulumiType?: unknown } | undefined)?.__pulumiType;
    return typeof t === "string" ? t : undefined;
}

/** The recorded program as policy inputs, with the stack's outputs as the root Stack resource (secret outputs wrapped). */
export function inputsOfRun(run: ProgramRun, stack: string): PolicyInput[] {
    const outputs = Object.fromEntries(
        Object.entries(run.outputs).map(([k, v]) => [k, run.secretOutputs.includes(k) ? { [SECRET_SIG_KEY]: SECRET_SIG, value: v } : v]),
    );
    const root: PolicyInput = { type: STACK_TYPE, name: `clawcage-${stack}`, custom: false, inputs: {}, state: outputs };
    return [root, ...run.resources];
}

/** What a resource policy and a stack policy both see of one resource. */
function described(input: PolicyInput, stack: string, values: Record<string, unknown>) {
    const props = unknownCheckingProxy({ ...values });
    return {
        type: input.type,
        props,
        urn: urnOf(stack, input.type, input.name),
        name: input.name,
        opts: EMPTY_OPTIONS,
        isType: (resourceClass: unknown) => pulumiTypeOf(resourceClass) === input.type,
        // The SDK returns the props typed as the class's args; the cast mirrors its own implementation.
        asType: ((resourceClass: unknown) => (pulumiTypeOf(resourceClass) === input.type ? props : undefined)) as ResourceValidationArgs["asType"],
    };
}

export function resourceArgs(input: PolicyInput, stack: string, config: object): ResourceValidationArgs {
    return {
        ...described(input, stack, input.inputs),
        stackTags: new Map<string, string>(),
        getConfig: <T extends object>() => config as T,
        notApplicable,
    };
}

export function stackArgs(inputs: PolicyInput[], stack: string, config: object): StackValidationArgs {
    const resources: PolicyResource[] = inputs.map((input) => ({ ...described(input, stack, input.state), dependencies: [], propertyDependencies: {} }));
    // Resolve dependencies by name once every resource exists, as the SDK does with URNs.
    inputs.forEach((input, i) => {
        for (const [property, names] of Object.entries(input.propertyDependencies ?? {})) {
            const deps = resources.filter((r) => names.includes(r.name));
            resources[i].propertyDependencies[property] = deps;
            resources[i].dependencies.push(...deps.filter((d) => !resources[i].dependencies.includes(d)));
        }
    });
    return { resources, stackTags: new Map<string, string>(), getConfig: <T extends object>() => config as T, notApplicable };
}
