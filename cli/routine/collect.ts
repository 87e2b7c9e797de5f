import * as path from "node:path";
import { shellQuote } from "../../components/host/hostScript";
import { runChecks, type Check, type LiveDeployment } from "../verify/check";
import { hostChecks } from "../verify/host";
import { docker, dockerOk } from "../live/docker";
import { openclawRpc } from "../live/openclawClient";
import { inspect } from "../live/probe";
import { runProcess } from "../live/process";
import {
    evaluateAuditLedger,
    evaluateConfigBackup,
    evaluateContainerLoad,
    evaluateDeploymentSize,
    evaluateImageAge,
    evaluateLogRoom,
    evaluateOpenclawVersion,
    evaluateTokenAge,
    evaluateUnauthorisedAttempts,
    fromCheckResult,
    parseAuditPage,
    type RoutineItem,
} from "./evaluate";

/** The I/O side of the runtime checklist: reads the live deployment the way an operator would, then evaluates. */

/** Runs a host script as root; a non-zero exit is an error quoting stderr, so the item fails with the reason. */
async function onHostOk(d: LiveDeployment, script: string): Promise<string> {
    const r = await d.onHost(script);
    if (r.code !== 0) throw new Error(`host script failed (${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
    return r.stdout;
}

function containersOf(d: LiveDeployment): string[] {
    return [d.gateway, d.egressProxy, ...(d.ingressProxy ? [d.ingressProxy] : [])];
}

/** Where the audit trail is written: the gateway's JSON log and squid's access log. */
export async function collectLogRoom(d: LiveDeployment): Promise<RoutineItem> {
    return evaluateLogRoom(await onHostOk(d, `df -Pk ${shellQuote(d.layout.gatewayLogs)} ${shellQuote(d.layout.egressLogs)}`));
}

/** A stopped container is left out of `docker stats` (which would print zeros for it), so it shows as missing. */
export async function collectContainerLoad(d: LiveDeployment): Promise<RoutineItem> {
    const cpuLimits: Record<string, number> = {};
    const running: string[] = [];
    for (const c of containersOf(d)) {
        const i = await inspect(c);
        cpuLimits[c] = i.HostConfig.NanoCpus / 1e9;
        if (i.State.Running) running.push(c);
    }
    const stats = running.length > 0 ? await dockerOk(["stats", "--no-stream", "--format", "{{json .}}", ...running], { timeoutMs: 60_000 }) : "";
    return evaluateContainerLoad(stats, cpuLimits);
}

export async function collectDeploymentSize(d: LiveDeployment, warnAboveMb: number): Promise<RoutineItem> {
    return evaluateDeploymentSize(await onHostOk(d, `du -sk ${shellQuote(d.layout.root)}`), warnAboveMb);
}

/** haproxy logs to stdout (docker keeps it); `--since` keeps a weekly run to the past week. */
async function ingressLog(d: LiveDeployment, since: Date): Promise<string | undefined> {
    if (!d.ingressProxy) return undefined;
    const r = await docker(["logs", "--since", since.toISOString(), d.ingressProxy], { timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`docker logs ${d.ingressProxy}: ${r.stderr.trim()}`);
    return `${r.stdout}\n${r.stderr}`;
}

/**
 * squid never rotates access.log, so only candidate lines cross over (grep exits 1 when there are none);
 * countEgressDenials then matches them exactly and applies the time window.
 */
async function egressDenialLines(d: LiveDeployment): Promise<string> {
    const log = shellQuote(path.posix.join(d.layout.egressLogs, "access.log"));
    return onHostOk(d, `grep -F DENIED ${log}; rc=$?; [ "$rc" -le 1 ]`);
}

export async function collectUnauthorisedAttempts(d: LiveDeployment, since: Date): Promise<RoutineItem> {
    return evaluateUnauthorisedAttempts(await ingressLog(d, since), await egressDenialLines(d), since);
}

/**
 * When each named token got its value. `clawcage rotate-token` writes the time into the token's rotation
 * keeper, so that is exact; a keeper that is not a time falls back to the last write of the ingress map, which
 * every rotation rewrites (so the token is at least that old). The host holds no client token to date itself.
 */
export async function collectTokenAge(d: LiveDeployment, now: Date, maxAgeDays: number): Promise<RoutineItem> {
    const file = d.ingressProxy ? d.layout.ingressClientTokenMap : d.layout.gatewayTokenFile;
    const written = new Date(Number((await onHostOk(d, `stat -c %Y ${shellQuote(file)}`)).trim()) * 1000);
    const issued = Object.fromEntries(
        Object.entries(d.settings.gateway.tokens).map(([name, t]) => {
            const keeper = /^\d{4}-\d\d-\d\dT/.test(t.rotation) ? new Date(t.rotation) : undefined;
            return [name, keeper && !Number.isNaN(keeper.getTime()) ? keeper : written];
        }),
    );
    return evaluateTokenAge(issued, now, maxAgeDays);
}

/** The registry's latest OpenClaw, or undefined when it cannot be asked (offline host, no npm). */
export async function latestOpenclawVersion(): Promise<string | undefined> {
    const r = await runProcess("npm", ["view", "openclaw", "version"], { timeoutMs: 15_000 }).catch(() => undefined);
    const version = r?.code === 0 ? r.stdout.trim() : "";
    return version === "" ? undefined : version;
}

export async function collectOpenclawVersion(d: LiveDeployment): Promise<RoutineItem> {
    return evaluateOpenclawVersion(d.settings.image.openclawVersion, await latestOpenclawVersion());
}

export async function collectImageAge(d: LiveDeployment, now: Date, maxAgeDays: number): Promise<RoutineItem> {
    const images = new Set<string>();
    for (const c of containersOf(d)) images.add((await inspect(c)).Config.Image);
    const created: Record<string, Date> = {};
    for (const image of images) created[image] = new Date((await dockerOk(["image", "inspect", "--format", "{{.Created}}", image])).trim());
    return evaluateImageAge(created, now, maxAgeDays);
}

/**
 * Archived on the host, where the config lives: it holds the token files and maps, so umask 077 keeps the
 * archive (and a folder the script creates) to root.
 */
export async function collectConfigBackup(d: LiveDeployment, outDir: string, now: Date): Promise<RoutineItem> {
    const archive = path.posix.join(outDir, `clawcage-config-${now.toISOString().replace(/[:.]/g, "-")}.tar.gz`);
    const folders = [d.layout.gatewayConfig, d.layout.egressConfig, d.layout.ingressConfig].map((f) => shellQuote(path.posix.relative("/", f)));
    const out = await onHostOk(d, `set -e; umask 077; mkdir -p ${shellQuote(outDir)}; tar -czf ${shellQuote(archive)} -C / ${folders.join(" ")}; stat -c %s ${shellQuote(archive)}`);
    return evaluateConfigBackup(archive, Number(out.trim()));
}

/** The gateway's own CLI reads its activity ledger from the running gateway (see openclawRpc). */
export async function collectAuditLedger(d: LiveDeployment, since: Date): Promise<RoutineItem> {
    const r = await openclawRpc(d, ["audit", "--json", "--after", since.toISOString(), "--limit", "500"]);
    if (r.code !== 0) throw new Error(`openclaw audit: ${(r.stderr || r.stdout).trim().slice(0, 200)}`);
    return evaluateAuditLedger(parseAuditPage(r.stdout));
}

/**
 * The read-only host checks. Checks that change the host are left out: re-running the create script re-applies
 * owners and modes, which would repair drift (and wipe its evidence) during what should be a look.
 */
export const DRIFT_CHECKS: Check[] = Object.values(hostChecks).filter((c) => !c.mutatesHost);

export async function collectPermissionDrift(d: LiveDeployment, checks: Check[] = DRIFT_CHECKS): Promise<RoutineItem[]> {
    return (await runChecks(checks, d)).map(fromCheckResult);
}
