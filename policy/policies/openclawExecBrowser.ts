import { areaTags } from "../lib/metadata";
import { openclawConfigPolicy } from "../lib/openclawConfig";
import { at, bool, list, str } from "../lib/values";

// A shell is the most dangerous tool; host exec defaults to `full` in OpenClaw, so it must be set.
const EXEC_OK = ["deny", "allowlist"];

export const openclawExecBrowser = openclawConfigPolicy(
    {
        name: "openclaw-exec-browser-restricted",
        displayName: "Exec/browser off or allowlisted",
        description: "tools.exec.mode is \"deny\" or \"allowlist\" (never unset, ask, auto or full), elevated exec is off, an exec allowlist admits no safe bins, and the browser is denied and switched off unless explicitly allowed.",
        severity: "high",
        enforcementLevel: "advisory",
        tags: areaTags("permissions", "layer-4"),
        remediationSteps: "Set tools.exec.mode: \"deny\" (or \"allowlist\" with the command allowlist in the approvals store and tools.exec.safeBins: []), tools.elevated.enabled: false, and unless the browser is needed put \"browser\" in tools.deny and set browser.enabled: false.",
    },
    (config, report) => {
        const mode = str(at(config, "tools.exec.mode")) ?? str(at(config, "tools.exec.security"));
        if (!EXEC_OK.includes(mode ?? "")) report(`tools.exec.mode is ${mode === undefined ? "unset (OpenClaw's host default is full)" : `'${mode}'`}`);
        if (bool(at(config, "tools.elevated.enabled")) !== false) report("tools.elevated.enabled is not false");
        const allow = list(at(config, "tools.allow")).map((t) => str(t));
        const deny = list(at(config, "tools.deny")).map((t) => str(t));
        const browserDenied = deny.includes("browser") || deny.includes("group:ui");
        if (!browserDenied && !allow.includes("browser")) report("the browser is neither denied nor explicitly allowed");
        // OpenClaw wires browser control in unless browser.enabled is false, and runs its default safe bins
        // without an allowlist entry unless tools.exec.safeBins is an explicit empty list.
        if (!allow.includes("browser") && bool(at(config, "browser.enabled")) !== false) report("browser.enabled is not false while the browser is not allowed");
        const safeBins = at(config, "tools.exec.safeBins");
        if (mode === "allowlist" && !(Array.isArray(safeBins) && safeBins.length === 0)) {
            report(`tools.exec.safeBins is ${safeBins === undefined ? "unset (OpenClaw's default safe bins run without an allowlist entry)" : JSON.stringify(safeBins)}`);
        }
    },
);
