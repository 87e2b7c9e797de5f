import { areaTags } from "../lib/metadata";
import { openclawConfigPolicy } from "../lib/openclawConfig";
import { at, bool, str } from "../lib/values";

// After an incident the audit ledger is the only account of what the agent did and for whom.
export const openclawAuditLog = openclawConfigPolicy(
    {
        name: "openclaw-audit-log",
        displayName: "Audit log on",
        description: "logging.audit.enabled is not false and keeps messages (not \"off\"); logging.file is set so the JSON log lands on a mounted volume.",
        severity: "medium",
        enforcementLevel: "advisory",
        tags: areaTags("audit", "layer-5"),
        remediationSteps: "Set logging.audit { enabled: true, messages: \"all\" } and logging.file to a path on the logs volume.",
    },
    (config, report) => {
        if (bool(at(config, "logging.audit.enabled")) === false) report("logging.audit.enabled is false");
        if (str(at(config, "logging.audit.messages")) === "off") report("logging.audit.messages is 'off'");
        if (!str(at(config, "logging.file"))) report("logging.file is unset (the log stays in the container's /tmp)");
    },
);
