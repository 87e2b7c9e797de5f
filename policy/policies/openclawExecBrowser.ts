import { areaTags } from "../lib/metadata";
import { openclawConfigPolicy } from "../lib/openclawConfig";
import { at, bool, list, str } from "../lib/values";

// A shell is the most dangerous tool; host exec defaults to `full` in OpenClaw, so it must be set.
const EXEC_OK = ["deny", "allowlist"];

export const openclawExecBrowser = openclawConfigPolicy(
    {
        name: "openclaw-exec-browser-restricted",
        displayName: "Exec/browser off or allowlisted",
        description: "tools.exec.mode is \"deny\" or \"allowlist\" (never unset, ask, auto or full), elevated exec is off, and the browser is denied unless explicitly allowed.",
        severity: "high",
        enforcementLevel: "advisory",
        tags: areaTags("permissions", "layer-4"),
        remediationSteps: "Set tools.exec.mode: \"deny\" (or \"allowlist\" with the command allowlist in the approvals store), tools.elevated.enabled: false, and put \"browser\" in tools.deny unless it is needed.",
    },
    (config, report) => {
        const mode = str(at(config, "tools.exec.mode")) ?? str(at(config, "tools.exec.security"));
        if (!EXEC_OK.includes(mode ?? "")) report(`tools.exec.mode is ${mode === undefined ? "unset (OpenClaw's host default is full)" : `'${mode}'`}`);
        if (bool(at(config, "tools.elevated.enabled")) !== false) report("tools.elevated.enabled is not false");
        const allow = list(at(config, "tools.allow")).map((t) => str(t));
        const deny = list(at(config, "tools.deny")).map((t) => str(t));
        const browserDenied = deny.includes("browser") || deny.includes("group:ui");
        if (!browserDenied && !allow.includes("browser")) report("the browser is neither denied nor explicitly allowed");
    },
);
