import { areaTags } from "../lib/metadata";
import { envEntries } from "../lib/openclaw";
import { openclawConfigPolicy } from "../lib/openclawConfig";
import { gateways, props } from "../lib/stack";
import { at, ifKnown, plain, record, str } from "../lib/values";

const MIN_LENGTH = 32;

// A token in openclaw.json is a token in a file, a backup and a diff. OpenClaw reads it from a
// SecretRef instead; the environment variable it names must be set, and be long enough to be random.
export const openclawTokenFromSecret = openclawConfigPolicy(
    {
        name: "openclaw-token-from-secret-ref",
        displayName: "Token from env/SecretRef, ≥32 chars",
        description: "gateway.auth.token is a SecretRef (or absent with OPENCLAW_GATEWAY_TOKEN set), never an inline string; the token the gateway receives has at least 32 characters.",
        severity: "critical",
        enforcementLevel: "mandatory",
        tags: areaTags("identity", "layer-3"),
        remediationSteps: "Write gateway.auth.token as { source: \"env\", provider: \"default\", id: \"OPENCLAW_GATEWAY_TOKEN\" } and set that variable from a secret: 32 random bytes (openssl rand -hex 32 or random.RandomBytes).",
    },
    (config, report, args) => {
        const token = plain(at(config, "gateway.auth.token"));
        const ref = record(token);
        if (typeof token === "string" && !/^\$\{[A-Z_][A-Z0-9_]*\}$/.test(token)) {
            report("gateway.auth.token is written inline; use a SecretRef { source: \"env\", ... }");
            return;
        }
        if (token !== undefined && !ref && typeof token !== "string") report("gateway.auth.token is neither a SecretRef nor a ${VAR} reference");
        if (ref && !["env", "file", "exec"].includes(str(ref.source) ?? "")) report(`gateway.auth.token.source is '${str(ref.source) ?? "unset"}'; use env, file or exec`);
        const envName = ref && str(ref.source) === "env" ? str(ref.id) : typeof token === "string" ? token.slice(2, -1) : "OPENCLAW_GATEWAY_TOKEN";
        if (envName === undefined) return;
        for (const gateway of gateways(args.resources)) {
            const env = envEntries(props(gateway)).find((e) => e.name === envName);
            const value = env && ifKnown(() => str(env.value));
            if (env && !env.unknown && value !== undefined && value.length < MIN_LENGTH) {
                report(`${gateway.name}: ${envName} has ${value.length} characters; use at least ${MIN_LENGTH} random ones`);
            }
        }
    },
);
