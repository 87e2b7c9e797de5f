import { containerName, containerPolicy } from "../lib/containerPolicy";
import { areaTags, cis } from "../lib/metadata";
import { list, str } from "../lib/values";

// On a host whose kernel has AppArmor, every container runs under a profile unless told otherwise: Docker's default,
// or clawcage's own. `apparmor=unconfined` is the one way to take that gate away, and nothing in OpenClaw needs it.
export const containerAppArmor = containerPolicy(
    {
        name: "container-apparmor",
        displayName: "AppArmor confines every container (where the host has it)",
        description: "OpenClaw containers never run `apparmor=unconfined`: on a host whose kernel has AppArmor they run under Docker's default profile or clawcage's own for them.",
        severity: "high",
        enforcementLevel: "mandatory",
        framework: cis("5.2", "Ensure that, if applicable, an AppArmor Profile is enabled"),
        tags: areaTags("container", "layer-1"),
        remediationSteps: "Remove `apparmor=unconfined` from the docker.Container's securityOpts (Docker's default applies), or name a loaded profile; clawcage's `container.apparmor: clawcage` loads its own.",
    },
    (container, args, reportViolation) => {
        for (const opt of list(container.securityOpts).map((o) => str(o)?.replace(/\s/g, "") ?? "")) {
            if (/^apparmor[=:]unconfined$/.test(opt)) reportViolation(`${containerName(container, args)}: securityOpts has apparmor=unconfined: on a host with AppArmor the container is not confined`);
        }
    },
);
