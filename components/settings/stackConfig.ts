import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { suppliedTokenCommand, suppliedTokenProblem } from "../secrets/gatewaySecrets";
import { enabledTokenChannels } from "../deployment/names";
import { MODEL_KEY_SHAPE, modelRelays } from "../deployment/modelProviders";
import { SettingsError, parseSettings } from "./parse";
import { INGRESS_TLS_CONFIG_KEY, ingressTlsProblem } from "../ingress/ingressCertificate";
import type { DeploymentSettings } from "./schema";
import { ALERT_SECRET_KEYS, webhookUrlProblem } from "../watcher/deliveries";

/** Everything index.ts needs from a stack's config, checked before any resource is registered. */
export interface StackInputs {
    settings: DeploymentSettings;
    /** The raw settings as JSON, for OpenClawDeployment's `settings` argument. */
    settingsJson: string;
    suppliedTokens: Record<string, pulumi.Output<string>>;
    /** Bot tokens of the enabled token channels, by channel id. */
    channelTokens: Record<string, pulumi.Output<string>>;
    /** API keys of the model providers that take one, by provider id. */
    modelKeys: Record<string, pulumi.Output<string>>;
    sshPrivateKey?: pulumi.Output<string>;
    /** The endpoint's certificate and key (gateway.tls.certificate "secret-config"). */
    ingressTls?: pulumi.Output<string>;
    /** The alert deliveries' credentials: the webhook's URL, the mail password. */
    alertWebhookUrl?: pulumi.Output<string>;
    alertMailPassword?: pulumi.Output<string>;
}

// The SDK knows which keys were set with --secret but does not type that helper; read it defensively.
const isConfigSecret = (runtimeConfig as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret ?? (() => false);

/**
 * Reads `clawcage:settings` and the secret keys beside it (`token-<name>`, `channel-<id>`, `model-<id>`,
 * `ingress-tls`, `sshPrivateKey`, `alert-webhook-url`, `alert-mail-password`).
 */
export function readStackInputs(config: pulumi.Config): StackInputs {
    const raw = config.getObject<unknown>("settings") ?? {};
    const settings = parseSettings(raw);
    const problems: string[] = [];
    const secretValue = (key: string, what: string): pulumi.Output<string> | undefined => {
        const value = config.get(key);
        if (value === undefined) return undefined;
        if (!isConfigSecret(`${config.name}:${key}`)) {
            problems.push(`config ${config.name}:${key}: ${what} is stored in plain text; run \`pulumi config rm ${key}\` then \`pulumi config set --secret ${key}\``);
        }
        // Plain getters drop secretness: wrap again so the value stays encrypted in state.
        return pulumi.secret(value);
    };
    const suppliedTokens: Record<string, pulumi.Output<string>> = {};
    for (const [name, token] of Object.entries(settings.gateway.tokens)) {
        if (token.source !== "secret-config") continue;
        const key = `token-${name}`;
        const plain = config.get(key);
        const value = secretValue(key, `token '${name}'`);
        const problem = plain === undefined ? undefined : suppliedTokenProblem(name, plain);
        if (value === undefined || plain === undefined) {
            problems.push(`config ${config.name}:${key}: missing; token '${name}' has source 'secret-config': ${suppliedTokenCommand(name)}`);
        } else if (problem) {
            problems.push(`config ${config.name}:${key}: ${problem}`);
        } else {
            suppliedTokens[name] = value;
        }
    }
    const channelTokens: Record<string, pulumi.Output<string>> = {};
    for (const { id, configKey } of enabledTokenChannels(settings)) {
        const value = secretValue(configKey, `the ${id} bot token`);
        if (value === undefined) problems.push(`config ${config.name}:${configKey}: missing; channel '${id}' is enabled: pulumi config set --secret ${configKey} <the bot token> (or set channels.${id}.enabled: false)`);
        else channelTokens[id] = value;
    }
    const modelKeys: Record<string, pulumi.Output<string>> = {};
    for (const { id, keyConfigKey } of modelRelays(settings)) {
        if (!keyConfigKey) continue;
        const plain = config.get(keyConfigKey);
        const value = secretValue(keyConfigKey, `the API key of model provider '${id}'`);
        if (value === undefined || plain === undefined) {
            problems.push(`config ${config.name}:${keyConfigKey}: missing; model provider '${id}' takes an API key: pulumi config set --secret ${keyConfigKey} <the key> (or auth: none for a local server without one)`);
        } else if (!MODEL_KEY_SHAPE.test(plain)) {
            problems.push(`config ${config.name}:${keyConfigKey}: the key holds characters no API key has (spaces, quotes, '%' or control characters); paste the key alone: pulumi config set --secret ${keyConfigKey} <the key>`);
        } else {
            modelKeys[id] = value;
        }
    }
    const sshPrivateKey = settings.host.target.kind === "ssh" ? secretValue("sshPrivateKey", "the SSH private key") : undefined;
    if (settings.host.target.kind === "ssh" && sshPrivateKey === undefined) {
        problems.push(`config ${config.name}:sshPrivateKey: missing for the ssh host target: pulumi config set --secret sshPrivateKey < ~/.ssh/id_ed25519`);
    }
    let ingressTls: pulumi.Output<string> | undefined;
    if (settings.gateway.publish && settings.gateway.tls.certificate === "secret-config") {
        const plain = config.get(INGRESS_TLS_CONFIG_KEY);
        ingressTls = secretValue(INGRESS_TLS_CONFIG_KEY, "the endpoint's TLS key");
        const problem = plain === undefined ? "missing" : ingressTlsProblem(plain);
        if (problem) problems.push(`config ${config.name}:${INGRESS_TLS_CONFIG_KEY}: ${problem}; gateway.tls.certificate is 'secret-config': pulumi config set --secret ${INGRESS_TLS_CONFIG_KEY} -- "$(cat cert.pem key.pem)"`);
    }
    let alertWebhookUrl: pulumi.Output<string> | undefined;
    let alertMailPassword: pulumi.Output<string> | undefined;
    const webhook = settings.alerts.webhook;
    if (webhook) {
        const key = ALERT_SECRET_KEYS.webhookUrl;
        const plain = config.get(key);
        alertWebhookUrl = secretValue(key, "the webhook's URL");
        const problem = plain === undefined ? "missing" : webhookUrlProblem(plain, webhook.host);
        if (problem) problems.push(`config ${config.name}:${key}: ${problem}; alerts.webhook is set: pulumi config set --secret ${key} <the webhook's URL>`);
    }
    if (settings.alerts.mail) {
        const key = ALERT_SECRET_KEYS.mailPassword;
        alertMailPassword = secretValue(key, "the mail password");
        if (!alertMailPassword) problems.push(`config ${config.name}:${key}: missing; alerts.mail is set: pulumi config set --secret ${key} <the SMTP password of ${settings.alerts.mail.user}>`);
    }
    if (problems.length > 0) throw new SettingsError(problems);
    return { settings, settingsJson: JSON.stringify(raw), suppliedTokens, channelTokens, modelKeys, sshPrivateKey, ingressTls, alertWebhookUrl, alertMailPassword };
}
