import type { PolicyComplianceFramework } from "@pulumi/policy";
import { containerName, containerPolicy } from "./containerPolicy";
import { areaTags } from "./metadata";
import { str } from "./values";

/** One policy per host namespace (network, pid, ipc): each is its own CIS item and its own escape. */
export function hostNamespacePolicy(field: "networkMode" | "pidMode" | "ipcMode", what: string, why: string, framework: PolicyComplianceFramework) {
    return containerPolicy(
        {
            name: `container-no-host-${what}`,
            displayName: `No host ${what} namespace`,
            description: `OpenClaw containers do not share the host's ${what} namespace (${field} "host"): ${why}.`,
            severity: "critical",
            enforcementLevel: "mandatory",
            framework,
            tags: areaTags("container", "layer-1"),
            remediationSteps: `Remove \`${field}: "host"\`${field === "networkMode" ? "; join the internal docker.Network instead" : ""}.`,
        },
        (container, args, reportViolation) => {
            if (str(container[field]) === "host") reportViolation(`${containerName(container, args)}: ${field} is "host"`);
        },
    );
}
