import { containerName, containerPolicy } from "../lib/containerPolicy";
import { areaTags, cis } from "../lib/metadata";
import { list, str } from "../lib/values";

// Without it a setuid binary in the image (su, ping, a dropped-in helper) raises a process back to root.
export const containerNoNewPrivileges = containerPolicy(
    {
        name: "container-no-new-privileges",
        displayName: "no-new-privileges is set",
        description: "OpenClaw containers set the security option `no-new-privileges` so no process gains privileges through setuid or file capabilities.",
        severity: "high",
        enforcementLevel: "mandatory",
        framework: cis("5.25", "Ensure that the container is restricted from acquiring additional privileges"),
        tags: areaTags("container", "layer-1"),
        remediationSteps: "Add `securityOpts: [\"no-new-privileges:true\"]` to the docker.Container.",
    },
    (container, args, reportViolation) => {
        const opts = list(container.securityOpts).map((o) => str(o)?.replace(/\s/g, ""));
        const on = opts.some((o) => o === "no-new-privileges" || o === "no-new-privileges:true" || o === "no-new-privileges=true");
        if (!on) reportViolation(`${containerName(container, args)}: securityOpts lacks no-new-privileges:true`);
    },
);
