import { MODEL_API, MODEL_PROVIDER_KINDS } from "../settings/constants";
import type { DeploymentSettings, ModelProviderSettings } from "../settings/schema";

/**
 * The model providers of a deployment, derived once for the gateway's openclaw.json, the egress proxy's relay,
 * the stack's secret config and the checks. OpenClaw calls each provider at a relay name on the egress proxy
 * (`http://model-<id>:443/...`, through its CONNECT tunnel); squid forwards the request to the real API and
 * writes the key header there. The key lives only in the egress proxy's config folder: the gateway, and so
 * the agent, hold a placeholder.
 */

export type ModelProviderKind = (typeof MODEL_PROVIDER_KINDS)[number];

/** The port of the relay: the one port squid tunnels CONNECT to. */
export const MODEL_RELAY_PORT = 443;

/**
 * What the gateway holds instead of a key: a fixed public word, which the relay drops. OpenClaw calls a provider
 * only with a key and counts an inline one as a plaintext secret, so it reads this word from a file SecretRef.
 */
export const MODEL_KEY_PLACEHOLDER = "clawcage-egress-proxy-adds-the-key";

export interface ModelRelay {
    id: string;
    kind: ModelProviderKind;
    /** OpenClaw's adapter (`models.providers.<id>.api`). */
    api: string;
    /** The real API, as the egress proxy reaches it. */
    upstream: { tls: boolean; host: string; port: number; path: string };
    /** The name the gateway calls, resolved only inside the egress proxy (to its own relay port). */
    relayHost: string;
    /** `models.providers.<id>.baseUrl` in openclaw.json. */
    relayBaseUrl: string;
    /** The secret config key of the API key, when the provider takes one. */
    keyConfigKey?: string;
    keyHeader: string;
    keyPrefix: string;
    models: string[];
}

/**
 * What an API key is made of (OpenAI, Anthropic, bearer tokens of gateways): printable, no space, quote or '%'.
 * The egress proxy writes the key into a quoted header line of its config, so nothing else may pass.
 */
export const MODEL_KEY_SHAPE = /^[A-Za-z0-9._~+/=:-]{8,512}$/;

/** The secret config key that holds a provider's API key (`pulumi config set --secret model-anthropic`). */
export const modelConfigKey = (id: string): string => `model-${id}`;

const isKnownKind = (id: string): id is ModelProviderKind => (MODEL_PROVIDER_KINDS as readonly string[]).includes(id) && id !== "openai-compatible";

/** `<provider>/<model>` split at the first slash (model ids may hold slashes themselves). */
export function splitModelRef(ref: string): { provider: string; model: string } {
    const at = ref.indexOf("/");
    return { provider: ref.slice(0, at), model: ref.slice(at + 1) };
}

/** The declared providers, plus the default model's provider when it is a known API named by its kind alone. */
export function declaredProviders(s: DeploymentSettings): Record<string, ModelProviderSettings> {
    const providers = { ...s.models.providers };
    const wanted = s.models.default && splitModelRef(s.models.default).provider;
    if (wanted && !providers[wanted] && isKnownKind(wanted)) {
        providers[wanted] = { kind: wanted, models: [], auth: "api-key", privateNetwork: false };
    }
    return providers;
}

/** The provider's kind: its own, else its id when that names a known API. */
export function providerKind(id: string, p: ModelProviderSettings): ModelProviderKind | undefined {
    return p.kind ?? (isKnownKind(id) ? id : undefined);
}

/**
 * Refuses, before any resource is declared, a provider that takes an API key the stack's secret config lacks: the
 * gateway would start and every chat would fail at the provider.
 */
export function requireModelKeys(relays: readonly ModelRelay[], given: Readonly<Record<string, unknown>> | undefined): void {
    const missing = relays.filter((r) => r.keyConfigKey && given?.[r.id] === undefined);
    if (missing.length > 0) {
        throw new Error(missing.map((r) => `model provider '${r.id}' takes an API key but none was given: pulumi config set --secret ${r.keyConfigKey} <the key> (or auth: none for a local server)`).join("; "));
    }
}

/** Every provider the gateway can call, in id order; providers the settings refuse are left out here. */
export function modelRelays(s: DeploymentSettings): ModelRelay[] {
    const providers = declaredProviders(s);
    const defaultModel = s.models.default === undefined ? undefined : splitModelRef(s.models.default);
    const relays: ModelRelay[] = [];
    for (const id of Object.keys(providers).sort()) {
        const p = providers[id];
        const kind = providerKind(id, p);
        const base = kind && (p.baseUrl ?? MODEL_API[kind].baseUrl);
        if (!kind || !base) continue;
        const url = new URL(base);
        const tls = url.protocol === "https:";
        const path = url.pathname.replace(/\/+$/, "");
        const relayHost = `model-${id}`;
        const models = [...new Set([...(defaultModel?.provider === id ? [defaultModel.model] : []), ...p.models])];
        relays.push({
            id,
            kind,
            api: MODEL_API[kind].api,
            upstream: { tls, host: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port || (tls ? 443 : 80)), path },
            relayHost,
            relayBaseUrl: `http://${relayHost}:${MODEL_RELAY_PORT}${path}`,
            keyConfigKey: p.auth === "api-key" ? modelConfigKey(id) : undefined,
            keyHeader: MODEL_API[kind].keyHeader,
            keyPrefix: MODEL_API[kind].keyPrefix,
            models,
        });
    }
    return relays;
}
