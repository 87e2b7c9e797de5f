import * as crypto from "node:crypto";
import { parseClientTokenMap, withoutTokens } from "../../components/ingress/accessMaps";
import { editStackSetting, readStackSettings } from "../stackFile";
import type { DeploymentSettings, TokenSettings } from "../../components/settings/schema";
import { docker } from "../live/docker";
import { accountIdentity, renderFileWriteScript, shellQuote } from "../../components/host/hostScript";
import type { LiveDeployment } from "../verify/check";

/**
 * Token rotation and revocation, one named token at a time (guide: a leaked token is revoked alone, the
 * others keep working). The stack file is the record: rotating bumps the token's `rotation` keeper, and the
 * next `pulumi up` replaces that token's random value and nothing else. Revoking also takes effect at once on
 * the live ingress proxy, before anyone has run `pulumi up`.
 */

export interface RotationEdit {
    token: string;
    previous: string;
    next: string;
}

/** The named token's settings; an unknown name is refused with the names there are. */
function requireToken(settings: DeploymentSettings, name: string): TokenSettings {
    const token = settings.gateway.tokens[name];
    if (!token) throw new Error(`settings.gateway.tokens has no token '${name}' (known: ${Object.keys(settings.gateway.tokens).join(", ")}); give one of those names`);
    return token;
}

/** Sets `gateway.tokens.<name>.rotation` in a Pulumi.<stack>.yaml to a new value, keeping its comments. */
export function bumpRotation(stackFile: string, name: string, now: Date = new Date()): RotationEdit {
    const token = requireToken(readStackSettings(stackFile), name);
    const next = now.toISOString();
    editStackSetting(stackFile, ["gateway", "tokens", name, "rotation"], next);
    return { token: name, previous: token.rotation, next };
}

/**
 * Removes one named token from the live ingress proxy's map and restarts the proxy, so that token is refused
 * from now on while every other token keeps working. The gateway itself is not touched.
 */
export async function revokeLive(d: LiveDeployment, name: string): Promise<string> {
    if (!d.ingressProxy) throw new Error("the deployment is not published (settings.gateway.publish): no client token reaches it, nothing to revoke");
    requireToken(d.settings, name);
    const file = d.layout.ingressClientTokenMap;
    const read = await d.onHost(`cat ${shellQuote(file)}`);
    if (read.code !== 0) throw new Error(`cannot read ${file} (run as root): ${read.stderr.trim()}`);
    // A team member's tokens alone: the others' lines of the shared map stay as they are.
    const live = [...parseClientTokenMap(read.stdout, d.member).values()];
    if (!live.includes(name)) throw new Error(`token '${name}' is not in the live map ${file} (live: ${live.join(", ") || "none"}); already revoked?`);
    await rewriteOnHost(d, file, withoutTokens(read.stdout, d.member, name));
    await restartIngress(d.ingressProxy);
    return `${live.length - 1} of ${live.length} tokens still admitted`;
}

/**
 * Emergency: no named token is admitted any more, and the gateway's own secret is replaced (read by the
 * gateway at its next start). Returns what it did.
 */
export async function revokeAllLive(d: LiveDeployment): Promise<string> {
    const fresh = crypto.randomBytes(32).toString("hex");
    await rewriteOnHost(d, d.layout.gatewayTokenFile, fresh);
    if (!d.ingressProxy) return "gateway token replaced (not published: no client tokens)";
    const file = d.layout.ingressClientTokenMap;
    const read = await d.onHost(`cat ${shellQuote(file)}`);
    if (read.code !== 0) throw new Error(`cannot read ${file} (run as root): ${read.stderr.trim()}`);
    // A team member's tokens alone: the other members keep working.
    await rewriteOnHost(d, file, withoutTokens(read.stdout, d.member));
    await restartIngress(d.ingressProxy);
    return "every named token refused; gateway's own secret replaced (not shown); `pulumi up` after `clawcage rotate-token` issues new ones";
}

/** Rewrites a credential file the way `pulumi up` writes it: the same script, owner and mode 600. */
async function rewriteOnHost(d: LiveDeployment, file: string, content: string): Promise<void> {
    const r = await d.onHost(renderFileWriteScript(accountIdentity(d.settings), file, "600"), content);
    if (r.code !== 0) throw new Error(`cannot rewrite ${file} (run as root): ${r.stderr.trim()}`);
}

/** haproxy reads its maps at start; a restart takes a few hundred milliseconds. */
async function restartIngress(container: string): Promise<void> {
    const r = await docker(["restart", "--time", "5", container], { timeoutMs: 60_000 });
    if (r.code !== 0) throw new Error(`restarting ${container} failed: ${r.stderr.trim()}`);
}
