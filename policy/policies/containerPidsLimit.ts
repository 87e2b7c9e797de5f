import type { StackValidationPolicy } from "@pulumi/policy";
import { areaTags, cis } from "../lib/metadata";
import { containerLabel, openclawContainers } from "../lib/stack";
import { ifKnown, str } from "../lib/values";

const COMMANDS = new Set(["command:local:Command", "command:remote:Command"]);

/** Every `docker update --pids-limit <n>` line of a host step's script: its words (the containers among them) and the limit. */
function pidsLimitUpdates(script: string): { words: string[]; limit: number }[] {
    const updates: { words: string[]; limit: number }[] = [];
    for (const line of script.split("\n")) {
        const words = line.replace(/#.*$/, "").trim().split(/\s+/);
        const at = words.indexOf("docker");
        const subcommand = words[at + 1] === "container" ? words[at + 2] : words[at + 1];
        if (at < 0 || subcommand !== "update") continue;
        const flag = words.findIndex((w) => w === "--pids-limit" || w.startsWith("--pids-limit="));
        if (flag < 0) continue;
        const limit = Number(words[flag].includes("=") ? words[flag].split("=")[1] : words[flag + 1]);
        if (Number.isInteger(limit)) updates.push({ words, limit });
    }
    return updates;
}

// A fork bomb from an exec'd command takes the host down. @pulumi/docker has no pids-limit field, so the limit is
// set by the engine itself (`docker update --pids-limit`) in a host step of the stack. An nproc ulimit is no
// substitute: the kernel counts it per uid across the whole host, not per container.
export const containerPidsLimit: StackValidationPolicy = {
    name: "container-pids-limit",
    displayName: "Process limit",
    description: "Every OpenClaw container gets a pids cgroup limit: a command of the stack runs `docker update --pids-limit <n>` on it (@pulumi/docker cannot declare one; an nproc ulimit counts the uid's processes host-wide, not the container's).",
    severity: "medium",
    enforcementLevel: "advisory",
    framework: cis("5.28", "Ensure that the PIDs cgroup limit is used"),
    tags: areaTags("container", "layer-1"),
    remediationSteps: "Add a command (clawcage's HardenedContainer does) that runs `docker update --pids-limit 256 <container name>` on the container's host, with the container's id in its triggers so a replaced container gets it again.",
    validateStack: (args, reportViolation) => {
        const targets = openclawContainers(args.resources);
        if (targets.length === 0) args.notApplicable("no OpenClaw container in the stack");
        // Each script read once, not once for each container.
        const updates = args.resources.filter((r) => COMMANDS.has(r.type)).flatMap((r) => pidsLimitUpdates(ifKnown(() => str(r.props.create)) ?? ""));
        for (const container of targets) {
            const name = containerLabel(container);
            const limits = updates.filter((u) => u.words.includes(name)).map((u) => u.limit);
            if (limits.length === 0) reportViolation(`${name}: no pids limit (no command of the stack runs \`docker update --pids-limit\` on it)`, container.urn);
            else if (limits.some((n) => n <= 0)) reportViolation(`${name}: pids limit ${limits.join(", ")} is no limit`, container.urn);
        }
    },
};
