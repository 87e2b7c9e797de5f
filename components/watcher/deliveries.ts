import { watcherAddress } from "../deployment/names";
import { gatewaySubnets } from "../deployment/team";
import type { AlertDeliveries } from "../egress/squidConf";
import type { DeploymentSettings } from "../settings/schema";

/** The secret config keys of the deliveries' credentials: a webhook's URL is its credential. */
export const ALERT_SECRET_KEYS = { webhookUrl: "alert-webhook-url", mailPassword: "alert-mail-password" } as const;

/** The webhook's port: the URL is secret, the proxy's rule that lets the watcher reach it is not, so it is fixed. */
export const WEBHOOK_PORT = 443;

/** Where the alert watchers (one per gateway) deliver, from their pinned addresses; none when alerts go nowhere (then no watcher runs). */
export function alertDeliveries(s: DeploymentSettings): AlertDeliveries | undefined {
    const destinations = [...(s.alerts.webhook ? [{ host: s.alerts.webhook.host, port: WEBHOOK_PORT }] : []), ...(s.alerts.mail ? [{ host: s.alerts.mail.host, port: s.alerts.mail.port }] : [])];
    return destinations.length > 0 ? { watcherAddresses: gatewaySubnets(s).map(watcherAddress), destinations } : undefined;
}

/** What is wrong with the webhook URL from secret config, given the host the settings name; undefined when nothing. */
export function webhookUrlProblem(value: string, host: string): string | undefined {
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        return "not a URL; paste the whole webhook URL (https://hooks.slack.com/services/...)";
    }
    if (url.protocol !== "https:") return `the URL is ${url.protocol.replace(":", "")}, not https: the URL is the webhook's credential and must not travel in clear`;
    if (url.hostname !== host) return `the URL's host is not alerts.webhook.host (${host}): the egress proxy lets the watcher reach that host alone; set alerts.webhook.host to the URL's host`;
    if (url.port !== "" && Number(url.port) !== WEBHOOK_PORT) return `the URL names port ${url.port}: the watcher reaches its webhook on ${WEBHOOK_PORT} alone`;
    return undefined;
}
