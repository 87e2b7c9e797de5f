import { containerName, containerPolicy } from "../lib/containerPolicy";
import { areaTags, cis } from "../lib/metadata";
import { list, num, record, str } from "../lib/values";

interface Config {
    allowedAdds?: string[];
}

const normalise = (cap: string) => cap.toUpperCase().replace(/^CAP_/, "");

// Docker's default set still includes NET_RAW, CHOWN, SETUID...: drop ALL, then add back only what a
// port below 1024 needs (the guide's one exception).
export const containerCapabilities = containerPolicy(
    {
        name: "container-capabilities-dropped",
        displayName: "All capabilities dropped",
        description: "OpenClaw containers drop ALL Linux capabilities and add back at most NET_BIND_SERVICE, and only when they listen below port 1024.",
        severity: "high",
        enforcementLevel: "mandatory",
        framework: cis("5.3", "Ensure that Linux kernel capabilities are restricted within containers"),
        tags: areaTags("container", "layer-1"),
        remediationSteps: "Set `capabilities: { drops: [\"ALL\"] }`; add `NET_BIND_SERVICE` only when a port below 1024 is bound, or listen on a high port instead.",
        configSchema: {
            properties: {
                allowedAdds: { type: "array", items: { type: "string" }, default: ["NET_BIND_SERVICE"], description: "Capabilities that may be added back." },
            },
        },
    },
    (container, args, reportViolation) => {
        const allowed = (args.getConfig<Config>().allowedAdds ?? ["NET_BIND_SERVICE"]).map(normalise);
        const caps = record(container.capabilities);
        const drops = list(caps?.drops).map((c) => normalise(str(c) ?? ""));
        const adds = list(caps?.adds).map((c) => normalise(str(c) ?? ""));
        const name = containerName(container, args);
        if (!drops.includes("ALL")) reportViolation(`${name}: capabilities.drops does not include ALL`);
        const lowPort = list(container.ports).some((p) => (num(record(p)?.internal) ?? 1024) < 1024);
        for (const cap of adds) {
            if (!allowed.includes(cap)) reportViolation(`${name}: adds capability ${cap}`);
            else if (cap === "NET_BIND_SERVICE" && !lowPort) reportViolation(`${name}: adds NET_BIND_SERVICE but binds no port below 1024`);
        }
    },
);
