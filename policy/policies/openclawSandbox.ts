import { areaTags } from "../lib/metadata";
import { openclawConfigPolicy } from "../lib/openclawConfig";
import { expandToolNames } from "../lib/openclawTools";
import { at, list, str } from "../lib/values";

/** The tools that run programs: what a sandbox is for. */
const RUNS_CODE = expandToolNames(["group:runtime"]);

// Sessions other than the owner's run their commands in a throwaway container with no network, so a
// message from a channel cannot use the gateway's own mounts or egress (guide layer 1). A config in which no
// tool can run a program has nothing to sandbox: its file tools are held to the workspace (workspaceOnly).
export const openclawSandbox = openclawConfigPolicy(
    {
        name: "openclaw-sandbox-on",
        displayName: "OpenClaw sandbox on",
        description: "agents.defaults.sandbox.mode is \"non-main\" or \"all\" (OpenClaw's default is off) unless no tool can run a program (exec mode deny, group:runtime denied), and the sandbox network is \"none\".",
        severity: "high",
        enforcementLevel: "mandatory",
        tags: areaTags("container", "layer-1"),
        remediationSteps: "Set agents.defaults.sandbox { mode: \"non-main\", docker: { network: \"none\", readOnlyRoot: true, capDrop: [\"ALL\"] } }, or deny every tool that runs a program (tools.exec.mode: \"deny\", \"group:runtime\" in tools.deny).",
    },
    (config, report) => {
        const mode = str(at(config, "agents.defaults.sandbox.mode")) ?? "off";
        const denied = new Set(expandToolNames(list(at(config, "tools.deny")).map((t) => str(t) ?? "")));
        const execMode = str(at(config, "tools.exec.mode")) ?? str(at(config, "tools.exec.security"));
        const runsCode = RUNS_CODE.filter((t) => !denied.has(t) && !(t === "exec" && execMode === "deny"));
        if (mode !== "non-main" && mode !== "all" && runsCode.length > 0) {
            report(`agents.defaults.sandbox.mode is '${mode}' while tools that run programs are not denied (${runsCode.join(", ")})`);
        }
        const network = str(at(config, "agents.defaults.sandbox.docker.network")) ?? "none";
        if (network !== "none") report(`agents.defaults.sandbox.docker.network is '${network}', not 'none'`);
    },
);
