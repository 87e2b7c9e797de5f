import type { PolicyInput } from "../../cli/check/policyInputs";
import { SECRET_SIG, SECRET_SIG_KEY } from "../../cli/record/program";

/**
 * A hand-written OpenClaw deployment with plain @pulumi/docker resources and no clawcage component:
 * the upstream image, openclaw.json uploaded into the container, a squid proxy labelled as the egress
 * proxy with its squid.conf uploaded, and the port published on 127.0.0.1. Recorded format: inputs, and state = outputs.
 */
const secret = (value: unknown) => ({ [SECRET_SIG_KEY]: SECRET_SIG, value });

const OPENCLAW_JSON = {
    gateway: { mode: "local", auth: { mode: "token", token: { source: "env", provider: "default", id: "OPENCLAW_GATEWAY_TOKEN" } } },
    channels: { whatsapp: { dmPolicy: "allowlist", allowFrom: ["+15550001111"], groupPolicy: "disabled" } },
    browser: { enabled: false },
    tools: { allow: ["read"], deny: ["browser", "group:runtime"], exec: { mode: "deny" }, elevated: { enabled: false }, fs: { workspaceOnly: true } },
    agents: { defaults: { sandbox: { mode: "all", docker: { network: "none" } } } },
    logging: { file: "/home/node/logs/openclaw.log", audit: { enabled: true, messages: "all" } },
};

/** The squid proxy's allowlist: the gateway's only way out. */
export const SQUID_CONF = [
    "http_port 3128",
    "acl gateway_clients src 172.30.0.0/24",
    "http_access deny !gateway_clients",
    "acl allowed_domains dstdomain .anthropic.com api.github.com",
    "http_access deny !allowed_domains",
    "http_access allow allowed_domains",
    "http_access deny all",
    "",
].join("\n");

function resource(type: string, name: string, inputs: Record<string, unknown>): PolicyInput {
    return { type, name, custom: true, inputs, state: { ...inputs } };
}

export function rawStack(): PolicyInput[] {
    const hardened = { user: "1000:1000", readOnly: true, securityOpts: ["no-new-privileges:true"], capabilities: { drops: ["ALL"] }, memory: 2048, memorySwap: 2048, cpus: "1.5" };
    return [
        resource("docker:index/network:Network", "internal", { name: "oc-internal", internal: true }),
        resource("docker:index/network:Network", "outside", { name: "oc-outside", internal: false }),
        resource("docker:index/remoteImage:RemoteImage", "openclaw-image", { name: "ghcr.io/openclaw/openclaw:2026.9.6" }),
        resource("docker:index/container:Container", "openclaw", {
            ...hardened,
            name: "openclaw",
            image: "ghcr.io/openclaw/openclaw:2026.9.6",
            networkMode: "oc-internal",
            networksAdvanced: [{ name: "oc-internal" }],
            envs: secret([`OPENCLAW_GATEWAY_TOKEN=${"f".repeat(64)}`, "HTTPS_PROXY=http://squid:3128"]),
            volumes: [{ hostPath: "/srv/openclaw/workspace", containerPath: "/home/node/workspace", readOnly: true }],
            uploads: [{ file: "/home/node/.openclaw/openclaw.json", content: JSON.stringify(OPENCLAW_JSON) }],
        }),
        resource("docker:index/container:Container", "squid", {
            ...hardened,
            name: "squid",
            image: "ubuntu/squid:6.10-24.10_beta",
            labels: [{ label: "clawcage.role", value: "egress-proxy" }],
            networkMode: "oc-internal",
            networksAdvanced: [{ name: "oc-internal" }, { name: "oc-outside" }],
            uploads: [{ file: "/etc/squid/squid.conf", content: SQUID_CONF }],
        }),
        resource("docker:index/container:Container", "front", {
            ...hardened,
            name: "front",
            image: "haproxy:3.0.5",
            labels: [{ label: "clawcage.role", value: "ingress-proxy" }],
            networkMode: "oc-outside",
            networksAdvanced: [{ name: "oc-outside" }, { name: "oc-internal" }],
            ports: [{ internal: 18789, external: 18789, ip: "127.0.0.1" }],
        }),
        // @pulumi/docker has no pids limit: the engine sets it.
        resource("command:local:Command", "pids-limits", { create: "docker update --pids-limit 256 openclaw squid front" }),
        // Not OpenClaw: the pack must leave it alone.
        resource("docker:index/container:Container", "unrelated-db", { name: "postgres", image: "postgres", privileged: true }),
    ];
}
