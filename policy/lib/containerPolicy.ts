import * as docker from "@pulumi/docker";
import { validateResourceOfType, type ReportViolation, type ResourceValidationArgs, type ResourceValidationPolicy } from "@pulumi/policy";
import { isOpenClawContainer, type Props } from "./openclaw";

export type ContainerCheck = (container: Props, args: ResourceValidationArgs, reportViolation: ReportViolation) => void;

/**
 * A policy over every docker.Container that runs OpenClaw or one of its proxies (see openclaw.ts);
 * any other container is reported not applicable, so the pack can run on mixed stacks.
 */
export function containerPolicy(policy: Omit<ResourceValidationPolicy, "validateResource">, check: ContainerCheck): ResourceValidationPolicy {
    return {
        ...policy,
        validateResource: validateResourceOfType(docker.Container, (props, args, reportViolation) => {
            // Typed as ContainerArgs by the SDK, but offline values may still be secret-wrapped: read loosely.
            const container = props as unknown as Props;
            if (!isOpenClawContainer(container)) {
                args.notApplicable("not an OpenClaw container (no openclaw image, clawcage.role label or OPENCLAW_ env)");
            }
            check(container, args, reportViolation);
        }),
    };
}

/** `name` of a container for messages. */
export function containerName(container: Props, args: ResourceValidationArgs): string {
    const name = container.name;
    return typeof name === "string" ? name : args.name;
}
