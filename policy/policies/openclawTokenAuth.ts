import { areaTags } from "../lib/metadata";
import { openclawConfigPolicy } from "../lib/openclawConfig";
import { at, bool, list, str } from "../lib/values";
import { gatewayIntruders } from "../lib/kubernetesPods";

/** A trusted proxy must be one address: a wider entry believes identity headers from a whole network. */
const SINGLE_ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}(\/32)?|[0-9a-f:]+(\/128)?)$/i;

// Whoever reaches the port drives an agent with a shell: auth is never off (guide layer 3, must). Trusted-proxy
// auth counts only when the gateway believes one pinned proxy, for named users.
export const openclawTokenAuth = openclawConfigPolicy(
    {
        name: "openclaw-token-auth",
        displayName: "Token auth on, or trusted-proxy auth pinned to one proxy",
        description: "The gateway's openclaw.json sets gateway.auth.mode to \"token\", or to \"trusted-proxy\" with gateway.trustedProxies holding single addresses (on a cluster, a network whose pods NetworkPolicies keep from the gateway but the ingress proxy's), a userHeader, a non-empty allowUsers and no loopback proxy (never \"none\" or unset).",
        severity: "critical",
        enforcementLevel: "mandatory",
        tags: areaTags("identity", "layer-3"),
        remediationSteps: "Set gateway.auth { mode: \"token\", token: { source: \"env\", provider: \"default\", id: \"OPENCLAW_GATEWAY_TOKEN\" } }, or trusted-proxy auth behind an authenticating proxy with gateway.trustedProxies: [\"<its address>\"] and gateway.auth.trustedProxy { userHeader, allowUsers } (clawcage does this for a published gateway).",
    },
    (config, report, args) => {
        const mode = str(at(config, "gateway.auth.mode"));
        if (mode === "token") return;
        if (mode !== "trusted-proxy") {
            report(`gateway.auth.mode is ${mode === undefined ? "unset" : `'${mode}'`}, not 'token' or 'trusted-proxy'`);
            return;
        }
        const proxies = list(at(config, "gateway.trustedProxies")).map((p) => str(p) ?? "");
        if (proxies.length === 0) report("trusted-proxy auth with no gateway.trustedProxies: no proxy is pinned");
        const networks = proxies.filter((p) => !SINGLE_ADDRESS.test(p));
        // On a cluster no pod has a fixed address: the pod subnet may be trusted where the NetworkPolicies let no
        // pod but the ingress proxy's reach a gateway (and the cluster's network plugin enforces them).
        const intruders = networks.length > 0 ? gatewayIntruders(args.resources) : [];
        for (const p of networks) if (intruders.length > 0) report(`gateway.trustedProxies entry '${p}' is not one address, and the stack's NetworkPolicies do not confine the gateway to the ingress proxy (${intruders.slice(0, 3).join("; ")}): every host there could claim any identity`);
        if (!str(at(config, "gateway.auth.trustedProxy.userHeader"))) report("trusted-proxy auth without gateway.auth.trustedProxy.userHeader");
        if (list(at(config, "gateway.auth.trustedProxy.allowUsers")).length === 0) report("trusted-proxy auth with an empty gateway.auth.trustedProxy.allowUsers admits any identity the proxy names");
        if (bool(at(config, "gateway.auth.trustedProxy.allowLoopback")) === true) report("gateway.auth.trustedProxy.allowLoopback lets any local process claim an identity");
    },
);
