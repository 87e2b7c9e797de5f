import { areaTags } from "../lib/metadata";
import { openclawConfigPolicy } from "../lib/openclawConfig";
import { at, str } from "../lib/values";

// Sessions other than the owner's run their tools in a throwaway container with no network, so a
// message from a channel cannot use the gateway's own mounts or egress (guide layer 1).
export const openclawSandbox = openclawConfigPolicy(
    {
        name: "openclaw-sandbox-on",
        displayName: "OpenClaw sandbox on",
        description: "agents.defaults.sandbox.mode is \"non-main\" or \"all\" (OpenClaw's default is off) and the sandbox network is \"none\".",
        severity: "high",
        enforcementLevel: "mandatory",
        tags: areaTags("container", "layer-1"),
        remediationSteps: "Set agents.defaults.sandbox { mode: \"non-main\", docker: { network: \"none\", readOnlyRoot: true, capDrop: [\"ALL\"] } }.",
    },
    (config, report) => {
        const mode = str(at(config, "agents.defaults.sandbox.mode")) ?? "off";
        if (mode !== "non-main" && mode !== "all") report(`agents.defaults.sandbox.mode is '${mode}'`);
        const network = str(at(config, "agents.defaults.sandbox.docker.network")) ?? "none";
        if (network !== "none") report(`agents.defaults.sandbox.docker.network is '${network}', not 'none'`);
    },
);
