import { MODEL_KEY_SHAPE, MODEL_RELAY_PORT, type ModelRelay } from "../deployment/modelProviders";

/** Pure renderer of the egress proxy's squid.conf (guide layer 5: the gateway's only way out). */

/** The logs go to the container's output (stdout for the access log, stderr for squid's own). */
export const CONTAINER_OUTPUT = "container-output";

export interface SquidConfInput {
    /** squid dstdomain entries, already validated: `host.example` or `.example.com`. */
    allowedDomains: readonly string[];
    port: number;
    /**
     * The gateways' internal networks (one, or a team member's each): the only clients served. The proxy also sits
     * on the egress network, where any other container (or the host) could otherwise use it as an open door to the allowlist.
     */
    clientSubnets: readonly string[];
    /**
     * Where access.log and cache.log go: a folder (on the logs volume), or the container's own output, where a
     * cluster's log collector (and `kubectl logs`) reads them and a replaced pod does not take them along.
     */
    logDir: string | typeof CONTAINER_OUTPUT;
    /** The model providers the relay serves, and the (secret) file that adds their keys. */
    relays: readonly ModelRelay[];
    keysFile: string;
    /** Where the alert watcher delivers (its webhook's host, its mail server and port), from its address alone. */
    alertDeliveries?: AlertDeliveries;
}

export interface AlertDeliveries {
    /** The pinned address of each gateway's watcher. */
    watcherAddresses: readonly string[];
    destinations: readonly { host: string; port: number }[];
}

/**
 * The alert watcher's way out: a CONNECT to each of its destinations on that destination's port, from its own
 * address, and nothing else from it. The destination's name is matched before its address is looked up.
 */
function alertLines(d: AlertDeliveries | undefined): string[] {
    if (!d || d.destinations.length === 0) return [];
    const lines = ["# Alert deliveries: the alert watcher alone, each destination on its own port.", `acl alert_watcher src ${d.watcherAddresses.join(" ")}`];
    d.destinations.forEach((dest, i) => {
        lines.push(`acl alert_dest_${i} dstdomain ${dest.host}`, `acl alert_port_${i} port ${dest.port}`, `http_access allow CONNECT alert_watcher alert_dest_${i} alert_port_${i} !forbidden_dst`);
    });
    lines.push("http_access deny alert_watcher");
    return lines;
}

/** Destinations a prompt-injected agent must never reach, even through an allowed name (DNS rebinding, SSRF). */
export const FORBIDDEN_DESTINATIONS = [
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.0.0.0/24", "192.168.0.0/16", "224.0.0.0/4", "240.0.0.0/4",
    "::1", "fc00::/7", "fe80::/10", "ff00::/8",
];

/** One JSON object per request, so the audit tooling reads proxy decisions like OpenClaw's own logs. */
const JSON_LOG_FORMAT =
    'logformat clawcage_json {"time":"%{%Y-%m-%dT%H:%M:%S}tl","client":"%>a","method":"%rm","url":"%ru","host":"%>rd","port":"%>rP","status":%>Hs,"action":"%Ss","bytes":%<st}';

/** squid refuses a dstdomain list where `.github.com` and `api.github.com` both appear: keep the wider one. */
function withoutCovered(entries: readonly string[]): string[] {
    const unique = [...new Set(entries)];
    const covers = (wide: string, d: string) => wide !== d && wide.startsWith(".") && (d === wide.slice(1) || d.endsWith(wide));
    return unique.filter((d) => !unique.some((wide) => covers(wide, d))).sort();
}

const relayAcl = (r: ModelRelay) => `model_${r.id.replace(/-/g, "_")}`;

/**
 * The model relay: OpenClaw reaches `model-<id>:443` through a CONNECT tunnel, which squid's own hosts file
 * points at this loopback-only accel port; there squid drops whatever key header the gateway sent, adds the
 * real one (from the secret include) and forwards to that provider's API, and to nothing else.
 */
function relayLines(relays: readonly ModelRelay[], keysFile: string): { setup: string[]; access: string[] } {
    if (relays.length === 0) return { setup: [], access: [] };
    const setup = [
        "# Model relay: the provider keys live here, never in the gateway (see modelProviders.ts).",
        `http_port 127.0.0.1:${MODEL_RELAY_PORT} accel vhost name=model_relay`,
        "acl model_relay_port myportname model_relay",
        `acl model_relays dstdomain ${relays.map((r) => r.relayHost).join(" ")}`,
        "never_direct allow model_relay_port",
        "request_header_access Authorization deny model_relay_port",
        "request_header_access X-Api-Key deny model_relay_port",
    ];
    for (const r of relays) {
        const u = r.upstream;
        setup.push(
            `acl ${relayAcl(r)} dstdomain ${r.relayHost}`,
            `cache_peer ${u.host} parent ${u.port} 0 no-query no-digest no-netdb-exchange originserver name=${relayAcl(r)}_peer forceddomain=${u.host}${u.tls ? " tls" : ""}`,
            `cache_peer_access ${relayAcl(r)}_peer allow model_relay_port ${relayAcl(r)}`,
            `cache_peer_access ${relayAcl(r)}_peer deny all`,
        );
    }
    setup.push(`include ${keysFile}`, "");
    // Before every deny: the relay names resolve to loopback inside this container, which the denies refuse.
    const access = ["http_access allow CONNECT model_relays tls_port !model_relay_port", "http_access allow model_relay_port model_relays", "http_access deny model_relay_port"];
    return { setup, access };
}

/** The secret include of the relay: one header per provider that takes a key. */
export function renderRelayKeys(relays: readonly ModelRelay[], keys: Readonly<Record<string, string>>): string {
    const lines = ["# Generated by clawcage from secret config: the model providers' keys. Mode 600, never shown."];
    for (const r of relays) {
        if (!r.keyConfigKey) continue;
        const key = keys[r.id];
        if (key === undefined) throw new Error(`no key for model provider '${r.id}' (secret config ${r.keyConfigKey})`);
        // A quote, a space or '%' (squid's logformat codes) would break out of the header value: never written.
        if (!MODEL_KEY_SHAPE.test(key)) throw new Error(`the key of model provider '${r.id}' holds characters no API key has (spaces, quotes, '%'); set secret config ${r.keyConfigKey} to the key alone`);
        lines.push(`request_header_add ${r.keyHeader} "${r.keyPrefix}${key}" model_relay_port ${relayAcl(r)}`);
    }
    return `${lines.join("\n")}\n`;
}

export function renderSquidConf(input: SquidConfInput): string {
    const domains = withoutCovered(input.allowedDomains);
    const relay = relayLines(input.relays, input.keysFile);
    const lines = [
        "# Generated by clawcage. Do not edit: change settings.egress.allowedDomains and redeploy.",
        `http_port ${input.port}`,
        "",
        "# A filtering proxy, not a cache: nothing is stored, nothing identifies the client upstream.",
        "cache deny all",
        "cache_mem 8 MB",
        "via off",
        "forwarded_for delete",
        "httpd_suppress_version_string on",
        "pid_filename none",
        "netdb_filename none",
        "coredump_dir /tmp",
        "# The pinger needs a raw socket (its setuid bit, stripped from the image): network measurement is not our job.",
        "pinger_enable off",
        "# Per-client statistics for squid's cache manager, which nothing here reads: measured, plain http one request at",
        "# a time went from 31% to 40% of direct requests/s without them (npm run bench -- egress, median of 3 runs).",
        "client_db off",
        "",
        "# Its own clients: the gateways' internal networks, and loopback (the model relay's hop from squid to itself).",
        `acl gateway_clients src ${input.clientSubnets.join(" ")} 127.0.0.1/32`,
        "acl tls_port port 443",
        "acl web_ports port 80 443",
        "acl CONNECT method CONNECT",
        `acl forbidden_dst dst ${FORBIDDEN_DESTINATIONS.join(" ")}`,
        "# Hosts written as IP literals skip the name allowlist, so they are refused by form.",
        "acl ip_literal dstdom_regex ^[0-9.]+$ ^\\[?[0-9a-fA-F:]+\\]?$",
        `acl allowed_domains dstdomain ${domains.join(" ")}`,
        "",
        ...relay.setup,
        "# Order matters: every deny comes before the single allow, and a stranger is refused before anything else.",
        "http_access deny !gateway_clients",
        ...relay.access,
        ...alertLines(input.alertDeliveries),
        "http_access deny !web_ports",
        "http_access deny CONNECT !tls_port",
        "http_access deny ip_literal",
        "# A name off the list is refused before forbidden_dst looks it up: that lookup alone would carry a",
        "# secret out in the name itself (DNS exfiltration), even for a request the proxy then refuses.",
        "http_access deny !allowed_domains",
        "http_access deny forbidden_dst",
        "http_access allow allowed_domains",
        "http_access deny all",
        "",
        JSON_LOG_FORMAT,
        ...(input.logDir === CONTAINER_OUTPUT
            ? ["access_log stdio:/dev/stdout clawcage_json", "cache_log /dev/stderr"]
            : [`access_log stdio:${input.logDir}/access.log clawcage_json`, `cache_log ${input.logDir}/cache.log`]),
        "logfile_rotate 0",
        "",
    ];
    return lines.join("\n");
}
