import { containerName, containerPolicy } from "../lib/containerPolicy";
import { areaTags, cis } from "../lib/metadata";
import { list, str } from "../lib/values";

/** What a profile does with a call it does not list: anything but these lets every unlisted call through. */
const REFUSING = ["SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP"];

// Seccomp is the filter between a compromised process and the host kernel's whole system-call surface: off, every
// call of the kernel is an exploit's way in. Docker's default profile or one of the container's own both pass;
// `unconfined`, or a profile whose default lets unlisted calls through, does not.
export const containerSeccomp = containerPolicy(
    {
        name: "container-seccomp",
        displayName: "Seccomp filters every container",
        description: "OpenClaw containers run under a seccomp profile that refuses the calls it does not list: Docker's default or a profile of their own (clawcage's recorded ones), never `seccomp=unconfined`.",
        severity: "high",
        enforcementLevel: "mandatory",
        framework: cis("5.21", "Ensure the default seccomp profile is not Disabled"),
        tags: areaTags("container", "layer-1"),
        remediationSteps: "Remove `seccomp=unconfined` from the docker.Container's securityOpts (Docker's default applies), or give a profile whose defaultAction is SCMP_ACT_ERRNO; clawcage's `container.seccomp: recorded` does.",
    },
    (container, args, reportViolation) => {
        for (const opt of list(container.securityOpts).map((o) => str(o)?.replace(/\s/g, "") ?? "")) {
            const m = /^seccomp[=:](.*)$/s.exec(opt);
            if (!m) continue;
            if (m[1] === "unconfined") {
                reportViolation(`${containerName(container, args)}: securityOpts has seccomp=unconfined: every system call reaches the host's kernel`);
                continue;
            }
            if (!m[1].startsWith("{")) continue;
            let action: unknown;
            try {
                action = (JSON.parse(m[1]) as { defaultAction?: unknown }).defaultAction;
            } catch {
                reportViolation(`${containerName(container, args)}: its seccomp profile is not valid JSON: the engine refuses to start it`);
                continue;
            }
            if (!REFUSING.includes(String(action))) reportViolation(`${containerName(container, args)}: its seccomp profile's defaultAction is ${String(action)}: every call it does not list goes through`);
        }
    },
);
