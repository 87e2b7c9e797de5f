import { areaTags } from "../lib/metadata";
import { openclawConfigPolicy } from "../lib/openclawConfig";
import { at, bool } from "../lib/values";

// File tools confined to the workspace: OpenClaw has no path allow/deny lists, so this and what is
// mounted at all are the filesystem limits.
export const openclawWorkspaceOnly = openclawConfigPolicy(
    {
        name: "openclaw-workspace-only",
        displayName: "File tools limited to the workspace",
        description: "tools.fs.workspaceOnly is true.",
        severity: "medium",
        enforcementLevel: "advisory",
        tags: areaTags("permissions", "layer-4"),
        remediationSteps: "Set tools.fs.workspaceOnly: true and mount only the workspace (read-only, granted paths writable).",
    },
    (config, report) => {
        if (bool(at(config, "tools.fs.workspaceOnly")) !== true) report("tools.fs.workspaceOnly is not true");
    },
);
