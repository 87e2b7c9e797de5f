import { areaTags } from "../lib/metadata";
import { openclawConfigPolicy } from "../lib/openclawConfig";
import { plain, record } from "../lib/values";

/**
 * The names OpenClaw gives credential fields: model provider and plugin keys (`models.providers.*.apiKey`),
 * channel tokens (`botToken`, `appToken`, `token`, ...), passwords and webhook secrets. The gateway token
 * has a policy of its own (openclaw-token-from-secret-ref).
 */
const CREDENTIAL_KEY = /^(apiKey|botToken|appToken|userToken|accessToken|refreshToken|token|password|secret|clientSecret|signingSecret|webhookSecret|webhookToken)$/;
const ENV_TEMPLATE = /^\$\{[A-Z_][A-Z0-9_]*\}$/;

/** Every credential field of a document written as a literal string, by its dotted path. */
function inlineCredentials(value: unknown, at: string, found: string[]): string[] {
    const v = plain(value);
    if (Array.isArray(v)) v.forEach((item, i) => inlineCredentials(item, `${at}[${i}]`, found));
    const node = record(v);
    if (!node) return found;
    for (const [key, child] of Object.entries(node)) {
        const where = at ? `${at}.${key}` : key;
        const literal = plain(child);
        if (CREDENTIAL_KEY.test(key) && typeof literal === "string" && literal !== "" && !ENV_TEMPLATE.test(literal)) found.push(where);
        else inlineCredentials(child, where, found);
    }
    return found;
}

// A key in openclaw.json is a key in every backup, diff and support bundle of that file.
export const openclawCredentialsFromSecretRef = openclawConfigPolicy(
    {
        name: "openclaw-credentials-from-secret-ref",
        displayName: "Provider keys and channel tokens from SecretRefs",
        description: "No model provider key, channel token, password or webhook secret is written inline in openclaw.json: each is a SecretRef (file, env or exec) or a ${VAR} reference.",
        severity: "critical",
        enforcementLevel: "mandatory",
        tags: areaTags("identity", "layer-3"),
        remediationSteps: "Keep the value in Pulumi secret config, write it to a 600 file owned by the gateway's uid and reference it as { source: \"file\", provider: <a secrets.providers file entry>, id: \"value\" }.",
    },
    (config, report) => {
        // gateway.auth.token is judged by openclaw-token-from-secret-ref, with its own message.
        for (const where of inlineCredentials(config, "", []).filter((p) => p !== "gateway.auth.token")) {
            report(`${where} is written inline; reference it as a SecretRef`);
        }
    },
);
