import type { z } from "zod";
import type { DeploymentSettings } from "./schema";
import { admitsEveryone, cidrsOverlap, isLoopback, unknownToolNameReason, unregistrableDomainReason } from "../../policy/api";
import { declaredProviders, providerKind, splitModelRef } from "../deployment/modelProviders";
import { CONTAINER_WORKSPACE } from "./constants";
import { invalidDomainReason } from "./domains";
import { deniedExposure, isWithin } from "./paths";
import { execFormProblem, parseExecForm } from "../rollout/execForms";
import { stageGrants } from "../rollout/stages";

/**
 * Cross-field rules of the guide that a field's own type cannot express. Each message says what is
 * wrong and how to fix it; the path names the field.
 */

type Ctx = z.RefinementCtx<DeploymentSettings>;

function fail(ctx: Ctx, path: (string | number)[], message: string): void {
    ctx.addIssue({ code: "custom", path, message });
}

export function refineDeployment(s: DeploymentSettings, ctx: Ctx): void {
    checkAccess(s, ctx);
    checkTools(s, ctx);
    checkFilesystem(s, ctx);
    checkEgress(s, ctx);
    checkChannels(s, ctx);
    checkModels(s, ctx);
    checkTeam(s, ctx);
    if (s.target === "kubernetes") checkKubernetes(s, ctx);
    s.alerts.rules.forEach((rule, i) => {
        try {
            new RegExp(rule.pattern);
        } catch (e) {
            fail(ctx, ["alerts", "rules", i, "pattern"], `not a valid regular expression (${(e as Error).message}); escape special characters such as '.' and '|'`);
        }
    });
}

function checkAccess(s: DeploymentSettings, ctx: Ctx): void {
    const g = s.gateway;
    if (g.auth === "none") {
        fail(ctx, ["gateway", "auth"], "'none' lets anyone who reaches the port drive the agent; remove the field (token auth is the default)");
    }
    const names = Object.keys(g.tokens);
    if (names.length === 0) {
        fail(ctx, ["gateway", "tokens"], "at least one token is required; add e.g. `admin: {}` to generate a 256-bit token");
    }
    g.ipAllowlist.forEach((cidr, i) => {
        const everyone = admitsEveryone([cidr]);
        if (everyone) fail(ctx, ["gateway", "ipAllowlist", i], `'${cidr}' admits ${everyone}, which is no allowlist; list your clients' networks, e.g. '203.0.113.0/24' (an office) or '198.51.100.7/32' (one host)`);
    });
    const together = g.ipAllowlist.some((cidr) => admitsEveryone([cidr])) ? undefined : admitsEveryone(g.ipAllowlist);
    if (together) fail(ctx, ["gateway", "ipAllowlist"], `together these entries admit ${together} (e.g. 0.0.0.0/1 + 128.0.0.0/1), which is no allowlist; list only your clients' networks`);
    const pub = g.publish;
    // Any address but loopback is reachable from some network (the LAN, a VPN, the internet): only the
    // ingress proxy's allowlist then keeps strangers off the token prompt.
    if (pub && !isLoopback(pub.address) && (g.ipAllowlist.length === 0 || admitsEveryone(g.ipAllowlist))) {
        const reach = pub.address === "0.0.0.0" || pub.address === "::" ? "every network" : `every network that reaches ${pub.address}`;
        fail(ctx, ["gateway", "publish", "address"], `publishing on ${pub.address} exposes the gateway to ${reach}; set gateway.ipAllowlist to your client CIDRs (not one that admits everyone) or publish on 127.0.0.1`);
    }
    // Tokens cross the network in a header: in the clear only where no other machine can listen.
    if (pub && g.tls.certificate === "off" && !isLoopback(pub.address)) {
        fail(ctx, ["gateway", "tls", "certificate"], `'off' sends every token in the clear to ${pub.address}; keep the default 'generated' (clients pin the certificate) or supply one with 'secret-config'`);
    }
    if (g.controlUi.enabled && !pub) {
        fail(ctx, ["gateway", "controlUi", "enabled"], "the Control UI is reached through the published endpoint; set gateway.publish (e.g. { address: 127.0.0.1, port: 18789 }) or leave it off");
    }
}

function checkTools(s: DeploymentSettings, ctx: Ctx): void {
    for (const list of ["allow", "deny"] as const) {
        s.tools[list].forEach((tool, i) => {
            const why = unknownToolNameReason(tool);
            if (why) fail(ctx, ["tools", list, i], why);
        });
    }
    const exec = s.tools.exec;
    (exec.allowCommands ?? []).forEach((text, i) => {
        const form = parseExecForm(text);
        const why = typeof form === "string" ? form : execFormProblem(form, exec.denyCommands);
        if (why) fail(ctx, ["tools", "exec", "allowCommands", i], why);
    });
    if (exec.enabled === true && exec.allowCommands?.length === 0) {
        fail(ctx, ["tools", "exec", "allowCommands"], "exec runs only allowlisted forms; list at least one (e.g. 'git status'), or omit the list to take the stage's");
    }
    const allowsRuntime = s.tools.allow.some((t) => t === "exec" || t === "group:runtime" || t === "process" || t === "code_execution");
    if (allowsRuntime) {
        fail(ctx, ["tools", "allow"], "shell tools are governed by tools.exec; remove exec/process/code_execution/group:runtime from tools.allow and set tools.exec.enabled");
    }
    if (s.tools.allow.includes("browser") && !s.tools.browser) {
        fail(ctx, ["tools", "allow"], "'browser' is off; set tools.browser: true to allow it");
    }
    s.tools.webFetch.domains.forEach((d, i) => {
        const why = invalidDomainReason(d);
        if (why) fail(ctx, ["tools", "webFetch", "domains", i], `'${d}': ${why}`);
    });
    if (s.tools.webFetch.enabled && s.tools.webFetch.domains.length === 0) {
        fail(ctx, ["tools", "webFetch", "domains"], "web_fetch is on but no domain is listed; list the domains it may read");
    }
}

function checkFilesystem(s: DeploymentSettings, ctx: Ctx): void {
    const fs = s.filesystem;
    (fs.writablePaths ?? []).forEach((w, i) => {
        const at = ["filesystem", "writablePaths", i];
        if (!fs.allowedPaths.some((a) => isWithin(w, a))) {
            fail(ctx, at, `'${w}' is outside every allowed path; writable paths lie inside the workspace ${CONTAINER_WORKSPACE} (e.g. ${CONTAINER_WORKSPACE}/out)`);
        } else if (!isWithin(w, CONTAINER_WORKSPACE)) {
            // The host layout creates writable folders only below the workspace: granting another path would
            // grant the write tools and mount nothing writable.
            fail(ctx, at, `'${w}' lies outside the workspace ${CONTAINER_WORKSPACE}, the only place writes are granted; move it below the workspace (e.g. ${CONTAINER_WORKSPACE}/out) and mount other data read-only with container.mounts`);
        }
    });
    // Checked whatever the stage: a writable mount must lie in a path the stack grants from the draft stage on
    // (the stage clamps it to read-only before then, so `stage back` never makes the settings invalid).
    const writable = stageGrants(s, "build").writablePaths;
    const hostRootWhy = deniedExposure(s.host.root, fs.deniedPaths);
    if (hostRootWhy) fail(ctx, ["host", "root"], `'${s.host.root}' cannot be the deployment root: ${hostRootWhy}. Use a folder of its own such as /opt/openclaw or /srv/openclaw`);
    s.container.mounts.forEach((m, i) => {
        const at = ["container", "mounts", i];
        const hostWhy = deniedExposure(m.hostPath, fs.deniedPaths);
        if (hostWhy) fail(ctx, [...at, "hostPath"], `'${m.hostPath}' cannot be mounted: ${hostWhy}. Mount only project folders`);
        const containerWhy = deniedExposure(m.containerPath, fs.deniedPaths);
        if (containerWhy) fail(ctx, [...at, "containerPath"], `'${m.containerPath}' cannot be a mount point: ${containerWhy}. Mount project folders at a plain path below the workspace`);
        if (!fs.allowedPaths.some((a) => isWithin(m.containerPath, a))) {
            fail(ctx, [...at, "containerPath"], `'${m.containerPath}' is outside every allowed path; mount it under one of filesystem.allowedPaths or add one`);
        }
        if (!m.readOnly && !writable.some((w) => isWithin(m.containerPath, w))) {
            fail(ctx, [...at, "readOnly"], `'${m.containerPath}' is mounted writable but lies in no writable path; set readOnly: true, or list a path holding it in filesystem.writablePaths (granted from the draft stage on)`);
        }
    });
}

function checkEgress(s: DeploymentSettings, ctx: Ctx): void {
    s.egress.allowedDomains.forEach((d, i) => {
        const why = invalidDomainReason(d);
        if (why) fail(ctx, ["egress", "allowedDomains", i], `'${d}': ${why}`);
    });
}

// OpenClaw reads an entry that is "*" once trimmed as "everyone" (channels/allow-from normalisation).
const isWildcard = (entry: string) => entry.trim() === "*";

function checkChannels(s: DeploymentSettings, ctx: Ctx): void {
    for (const [id, ch] of Object.entries(s.channels)) {
        if (ch.dmPolicy === "open") {
            fail(ctx, ["channels", id, "dmPolicy"], "'open' answers direct messages from anyone; use 'allowlist' with allowFrom (or 'pairing')");
        }
        if (ch.dmPolicy === "allowlist" && ch.allowFrom.length === 0) {
            fail(ctx, ["channels", id, "allowFrom"], `dmPolicy 'allowlist' with no allowFrom drops every direct message; list the sender ids that may message the agent (e.g. your numeric ${id} user id), or set dmPolicy 'pairing' or 'disabled'`);
        }
        if (ch.groupPolicy === "open") {
            fail(ctx, ["channels", id, "groupPolicy"], "'open' answers in any group; use 'allowlist' with groupAllowFrom");
        }
        ch.allowFrom.forEach((entry, i) => {
            if (isWildcard(entry)) fail(ctx, ["channels", id, "allowFrom", i], `'*' lets anyone message the agent, which is no allowlist; list the sender ids that may (e.g. your numeric ${id} user id), or use dmPolicy 'pairing'`);
        });
        ch.groupAllowFrom.forEach((entry, i) => {
            if (isWildcard(entry)) fail(ctx, ["channels", id, "groupAllowFrom", i], `'*' lets anyone in any group reach the agent, which is no allowlist; list the ids allowed in groups, or set groupPolicy 'disabled'`);
        });
    }
}

function checkModels(s: DeploymentSettings, ctx: Ctx): void {
    const providers = declaredProviders(s);
    if (s.models.default) {
        const { provider } = splitModelRef(s.models.default);
        if (!providers[provider]) {
            fail(ctx, ["models", "default"], `provider '${provider}' is not in models.providers; declare models.providers.${provider} (kind and baseUrl), or use an 'anthropic/...' or 'openai/...' model`);
        }
    } else if (Object.keys(providers).length > 0) {
        fail(ctx, ["models", "default"], "model providers are declared but no default model; set models.default to '<provider>/<model>'");
    }
    for (const [id, p] of Object.entries(s.models.providers)) {
        const at = ["models", "providers", id];
        if (!providerKind(id, p)) fail(ctx, [...at, "kind"], `the kind of provider '${id}' is unknown; set kind: anthropic, openai or openai-compatible`);
        if (!p.baseUrl) {
            if (p.kind === "openai-compatible") fail(ctx, [...at, "baseUrl"], "an openai-compatible provider needs its baseUrl, e.g. https://llm.example.com/v1 or http://192.168.1.20:11434/v1");
            continue;
        }
        const url = new URL(p.baseUrl);
        const host = url.hostname.replace(/^\[|\]$/g, "");
        if (url.username || url.password || url.search || url.hash) {
            fail(ctx, [...at, "baseUrl"], "write the base URL alone, with no credentials, query or fragment; the key comes from secret config `model-" + id + "`");
        } else if (host === "localhost" || isLoopback(host)) {
            fail(ctx, [...at, "baseUrl"], `'${host}' is the egress proxy's own loopback, not this machine's; use the server's address on your network and set privateNetwork: true`);
        } else if (unregistrableDomainReason(host) && !p.privateNetwork) {
            fail(ctx, [...at, "privateNetwork"], `'${host}' is not a public domain name (a private address, an IP literal or a local name); if it is a model server on your own network, set privateNetwork: true, the exception only this provider's relay uses`);
        } else if (url.protocol === "http:" && !p.privateNetwork) {
            fail(ctx, [...at, "baseUrl"], `plain http would send the key to '${host}' unencrypted across the internet; use https (plain http is for servers on your own network, with privateNetwork: true)`);
        }
    }
}

/** The pinned addresses (ingress, watcher) sit at the top of a gateway network: /29 still leaves room below them. */
const GATEWAY_PREFIXES = { min: 8, max: 29 };

/** A team's gateways each keep a network, a sandbox and a workspace of their own; nothing shared may join them. */
function checkTeam(s: DeploymentSettings, ctx: Ctx): void {
    const members = Object.entries(s.team.members);
    if (members.length === 0) return;
    const others = [
        ["network", "egressSubnet", s.network.egressSubnet],
        ["network", "ingressSubnet", s.network.ingressSubnet],
    ].filter((o): o is [string, string, string] => o[2] !== undefined);
    members.forEach(([member, m], i) => {
        const at = ["team", "members", member, "internalSubnet"];
        const prefix = Number(m.internalSubnet.split("/")[1]);
        if (prefix < GATEWAY_PREFIXES.min || prefix > GATEWAY_PREFIXES.max) fail(ctx, at, `'${m.internalSubnet}': use a prefix between /${GATEWAY_PREFIXES.min} and /${GATEWAY_PREFIXES.max}, so the network has room for the gateway, its watcher and the proxies`);
        const clash = members.slice(0, i).find(([, o]) => cidrsOverlap(o.internalSubnet, m.internalSubnet));
        if (clash) fail(ctx, at, `'${m.internalSubnet}' overlaps member '${clash[0]}''s ${clash[1].internalSubnet}; give each member a subnet of its own (e.g. 10.89.41.0/27, 10.89.41.32/27, ...)`);
        for (const [section, field, cidr] of others) {
            if (cidrsOverlap(cidr, m.internalSubnet)) fail(ctx, at, `'${m.internalSubnet}' overlaps ${section}.${field} ${cidr}; the proxies join both networks, so they must not share addresses`);
        }
    });
    for (const [tokenName, t] of Object.entries(s.gateway.tokens)) {
        if (t.source === "secret-config") fail(ctx, ["gateway", "tokens", tokenName, "source"], "a team's members each get their own value of every token name; use source 'generated' (one secret-config value cannot belong to every member)");
    }
    for (const id of Object.keys(s.channels)) {
        if (s.channels[id as keyof typeof s.channels]?.enabled) fail(ctx, ["channels", id, "enabled"], `one ${id} bot cannot be polled by every member's gateway; disable the channel in a team (or deploy that member as a stack of its own)`);
    }
    s.container.mounts.forEach((m, i) => {
        if (!m.readOnly) fail(ctx, ["container", "mounts", i, "readOnly"], `'${m.hostPath}' mounted writable into every member's gateway would let one member's agent change what another's reads; set readOnly: true`);
    });
}

/** What a cluster deployment cannot honour yet, or would honour unsafely: refused by name, before anything is deployed. */
function checkKubernetes(s: DeploymentSettings, ctx: Ctx): void {
    const k = s.kubernetes;
    if (!k.registry) fail(ctx, ["kubernetes", "registry"], "a cluster pulls clawcage's images from a registry; set kubernetes.registry (e.g. registry.example.com/openclaw) and `docker login` to it");
    const everyone = admitsEveryone([k.podSubnet]);
    if (everyone) fail(ctx, ["kubernetes", "podSubnet"], `'${k.podSubnet}' admits ${everyone}: the gateway trusts identity headers from the pod subnet; give the cluster's pod CIDR (e.g. 10.244.0.0/16)`);
    if (k.ingressService !== "ClusterIP" && (s.gateway.ipAllowlist.length === 0 || admitsEveryone(s.gateway.ipAllowlist))) {
        fail(ctx, ["kubernetes", "ingressService"], `a ${k.ingressService} Service exposes the gateway beyond the cluster; set gateway.ipAllowlist to your client CIDRs (the ingress proxy and its NetworkPolicy enforce it) or keep ClusterIP`);
    }
    if (k.ingressService !== "ClusterIP" && s.gateway.tls.certificate === "off") fail(ctx, ["gateway", "tls", "certificate"], `'off' sends every token in the clear through a ${k.ingressService} Service; keep the default 'generated'`);
    if (s.host.target.kind !== "local") fail(ctx, ["host", "target"], "host steps do not run on a cluster (the pods' users and volumes replace the host account and folders); remove host.target");
    s.container.mounts.forEach((_, i) => fail(ctx, ["container", "mounts", i], "a cluster mounts no host folder into the gateway (its node is not your machine); put the project in the workspace volume"));
    for (const field of ["webhook", "mail"] as const) {
        if (s.alerts[field]) fail(ctx, ["alerts", field], "the alert watcher is not deployed on a cluster yet; remove it (the audit plugin's blocks still apply inside the gateway)");
    }
    s.alerts.rules.forEach((rule, i) => {
        if (rule.action === "block-and-pause") fail(ctx, ["alerts", "rules", i, "action"], "`clawcage resume` does not reach a cluster yet; use block-and-notify");
    });
    for (const [id, p] of Object.entries(s.models.providers)) {
        if (p.privateNetwork) fail(ctx, ["models", "providers", id, "privateNetwork"], "the egress proxy's NetworkPolicy opens no private address on a cluster; reach the model server by a public name, or deploy on Docker");
    }
    for (const id of Object.keys(s.channels)) {
        if (s.channels[id as keyof typeof s.channels]?.enabled) fail(ctx, ["channels", id, "enabled"], `a channel's bot token is not yet delivered to a cluster's gateway; disable ${id} on a cluster`);
    }
}
