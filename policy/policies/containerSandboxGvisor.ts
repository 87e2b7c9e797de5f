import * as docker from "@pulumi/docker";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";
import { areaTags } from "../lib/metadata";
import { ROLE_LABEL, roleOf, type Props } from "../lib/openclaw";
import { str } from "../lib/values";

// A kernel exploit from a prompt-injected command lands on the host's kernel under runc; under gVisor it meets a
// user-space kernel first. Advisory: gVisor must be installed and registered on the engine's host, and costs a
// chat's command about twice its time (README, "gVisor").
export const containerSandboxGvisor: ResourceValidationPolicy = {
    name: "container-sandbox-gvisor",
    displayName: "The sandbox runs on gVisor",
    description: "The container where OpenClaw's sandbox runs the agent's commands (clawcage's sandbox host) runs on gVisor's runtime, runsc: a user-space kernel between those commands and the host's.",
    severity: "medium",
    enforcementLevel: "advisory",
    tags: areaTags("container", "layer-1"),
    remediationSteps: "Register gVisor with dockerd as `runsc` on the engine's host (clawcage's scripts/register-gvisor.sh), then set `container.runtime: { sandbox: gvisor }` (or `runtime: \"runsc\"` on the docker.Container).",
    validateResource: validateResourceOfType(docker.Container, (props, args, reportViolation) => {
        const container = props as unknown as Props;
        // The container where OpenClaw's sandbox runs the agent's commands: clawcage's SandboxHost.
        if (roleOf(container) !== "sandbox-host") args.notApplicable(`not a sandbox host (label ${ROLE_LABEL}: sandbox-host)`);
        const runtime = str(container.runtime) ?? "the engine's default";
        if (runtime !== "runsc") reportViolation(`${str(container.name) ?? args.name}: runs on ${runtime}, not gVisor's runsc: the agent's commands meet the host's kernel`);
    }),
};
