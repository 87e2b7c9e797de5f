import type { RunResult } from "../live/docker";
import type { DeploymentSettings } from "../../components/settings/schema";
import type { HostLayout } from "../../components/host/layout";
import type { ContainerRole } from "../../components/settings/constants";

/** What a check may touch: the live deployment, reached the way an operator would. */
export interface LiveDeployment {
    /** The team member whose gateway this is; undefined for a deployment's one gateway. */
    member?: string;
    settings: DeploymentSettings;
    layout: HostLayout;
    gateway: string;
    egressProxy: string;
    /** The proxy's name on the internal network (what HTTP(S)_PROXY points at). */
    egressProxyHost: string;
    ingressProxy?: string;
    /** The alert watcher, when alerts go somewhere. */
    alertWatcher?: string;
    /** Where the agent's sandboxed commands run. */
    sandboxHost: string;
    /** Base URL of the published gateway as this machine reaches it, e.g. http://127.0.0.1:18789. */
    endpoint: string;
    /** Base URL as published on the deployment's host (where a client container runs): a team member's own name. */
    publishedEndpoint: string;
    token: string;
    /** Runs a shell script as root on the host (the real one, or the stand-in of the tests), with optional stdin. */
    onHost: (script: string, input?: string) => Promise<RunResult>;
    /** The outside address the "ping 8.8.8.8" check tries (the guide's; tests point it at a stub). */
    outsideAddress?: string;
    /** Test fixtures on the egress side (stub upstreams); absent on a real deployment. */
    fixtures?: EgressFixtures;
}

/** Every container of the deployment, with its role (the runtime setting's name for it). */
export function deploymentRoles(d: LiveDeployment): { container: string; role: ContainerRole }[] {
    return [
        { container: d.gateway, role: "gateway" },
        { container: d.egressProxy, role: "proxies" },
        ...(d.ingressProxy ? [{ container: d.ingressProxy, role: "proxies" as const }] : []),
        { container: d.sandboxHost, role: "sandbox" },
        ...(d.alertWatcher ? [{ container: d.alertWatcher, role: "watcher" as const }] : []),
    ];
}

/** Every container of the deployment. */
export function deploymentContainers(d: LiveDeployment): string[] {
    return deploymentRoles(d).map((r) => r.container);
}

export interface EgressFixtures {
    /** Allowlisted name served by a stub, e.g. api.anthropic.com. */
    allowedHost: string;
    /** A name served by a stub but not allowlisted. */
    blockedHost: string;
    /** The stub's address on the egress network (an IP literal). */
    stubAddress: string;
    /** An allowlisted name that resolves to a private address (DNS rebinding). */
    privateAllowedHost: string;
}

export interface Observation {
    observed: string;
    pass: boolean;
    /** The mechanism the check proves is absent on this host (as the issue allows, e.g. a kernel without AppArmor): what could be read still passed. */
    skipped?: true;
}

export interface Check {
    layer: "L1" | "L2" | "L3" | "L4" | "L5";
    /** The guide's verification item this check proves. */
    name: string;
    expected: string;
    run: (d: LiveDeployment) => Promise<Observation>;
    /** It probes names that only the test harness's stub upstreams serve: never the real internet. */
    needsStubUpstreams?: true;
    /** It changes the host as `pulumi up` would (re-runs a host script), so it would repair the drift a routine reports. */
    mutatesHost?: true;
    /** It leaves the caller's address locked out at the ingress for the lockout period. */
    locksCallerOut?: true;
}

/** A group of checks by key: code names a check by its key, never by matching its text. */
export function checkGroup<K extends string>(checks: Record<K, Check>): Record<K, Check> {
    return checks;
}

export interface CheckResult {
    layer: string;
    name: string;
    expected: string;
    observed: string;
    pass: boolean;
    skipped?: true;
}

/** A check on any target: a Docker deployment (Check), or what a cluster's verification reads. */
export type Probe<Target> = Pick<Check, "layer" | "name" | "expected"> & { run: (t: Target) => Promise<Observation> };

export async function runChecks<Target>(checks: readonly Probe<Target>[], d: Target): Promise<CheckResult[]> {
    const results: CheckResult[] = [];
    for (const c of checks) {
        let o: Observation;
        try {
            o = await c.run(d);
        } catch (e) {
            o = { observed: `error: ${(e as Error).message}`, pass: false };
        }
        results.push({ layer: c.layer, name: c.name, expected: c.expected, observed: o.observed, pass: o.pass, ...(o.skipped ? { skipped: o.skipped } : {}) });
    }
    return results;
}

/** A result's verdict: FAIL, SKIP (what could be read passed; the mechanism is absent on this host) or PASS. */
export const verdictOf = (r: CheckResult): "PASS" | "SKIP" | "FAIL" => (!r.pass ? "FAIL" : r.skipped ? "SKIP" : "PASS");

/** The results as a fixed-width table: layer / check / expected / observed / pass. */
export function formatTable(results: CheckResult[]): string {
    const rows = [["layer", "check", "expected", "observed", "pass"], ...results.map((r) => [r.layer, r.name, r.expected, r.observed.replace(/\s+/g, " ").slice(0, 70), verdictOf(r)])];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join(" | ")).join("\n");
}
