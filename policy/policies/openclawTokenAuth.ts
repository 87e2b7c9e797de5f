import { areaTags } from "../lib/metadata";
import { openclawConfigPolicy } from "../lib/openclawConfig";
import { at, str } from "../lib/values";

// Whoever reaches the port drives an agent with a shell: auth is never off (guide layer 3, must).
export const openclawTokenAuth = openclawConfigPolicy(
    {
        name: "openclaw-token-auth",
        displayName: "Token auth on (not none)",
        description: "The gateway's openclaw.json sets gateway.auth.mode to \"token\" (never \"none\" or unset).",
        severity: "critical",
        enforcementLevel: "mandatory",
        tags: areaTags("identity", "layer-3"),
        remediationSteps: "Set gateway.auth { mode: \"token\", token: { source: \"env\", provider: \"default\", id: \"OPENCLAW_GATEWAY_TOKEN\" } } (clawcage: remove gateway.auth from settings; token is the default).",
    },
    (config, report) => {
        const mode = str(at(config, "gateway.auth.mode"));
        if (mode !== "token") report(`gateway.auth.mode is ${mode === undefined ? "unset" : `'${mode}'`}, not 'token'`);
    },
);
