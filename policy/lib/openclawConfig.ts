import type { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { isGateway } from "./openclaw";
import { CONTAINER, STACK, props } from "./stack";
import { at, list, plain, record, str } from "./values";

/**
 * Where a stack shows the gateway's rendered openclaw.json: clawcage's program exports it as the stack
 * output `openclawConfig` (a team's, each member's as `team.<member>.openclawConfig`); a hand-written stack that
 * uploads the file into the gateway container (docker.Container `uploads` to a path ending in openclaw.json) is
 * read too. An empty output shows none.
 */
export interface VisibleConfig {
    /** Where it was found, for messages. */
    source: string;
    urn: string;
    /** The parsed document, or the reason it could not be read. */
    config: Record<string, unknown> | { unreadable: string };
}

export function visibleConfigs(resources: PolicyResource[]): VisibleConfig[] {
    const found: VisibleConfig[] = [];
    for (const r of resources) {
        if (r.type === STACK && props(r).openclawConfig !== undefined && plain(props(r).openclawConfig) !== "") {
            found.push({ source: "stack output openclawConfig", urn: r.urn, config: parse(props(r).openclawConfig) });
        }
        if (r.type === STACK) {
            for (const [member, gateway] of Object.entries(record(props(r).team) ?? {})) {
                const config = record(gateway)?.openclawConfig;
                if (config !== undefined) found.push({ source: `stack output team.${member}.openclawConfig`, urn: r.urn, config: parse(config) });
            }
        }
        if (r.type === CONTAINER && isGateway(props(r))) {
            for (const upload of list(props(r).uploads)) {
                const file = str(record(upload)?.file) ?? "";
                if (file.endsWith("openclaw.json")) found.push({ source: `${r.name} upload ${file}`, urn: r.urn, config: parse(record(upload)?.content) });
            }
        }
    }
    return found;
}

function parse(value: unknown): VisibleConfig["config"] {
    const v = plain(value);
    if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
    if (typeof v !== "string") return { unreadable: "not a JSON document" };
    try {
        const parsed = JSON.parse(v) as unknown;
        return record(parsed) ?? { unreadable: "not a JSON object" };
    } catch (e) {
        return { unreadable: `not valid JSON (${(e as Error).message})` };
    }
}

export type ConfigCheck = (config: Record<string, unknown>, report: (message: string) => void, args: StackValidationArgs) => void;

/** A stack policy over every OpenClaw configuration the stack shows; not applicable when it shows none. */
export function openclawConfigPolicy(policy: Omit<StackValidationPolicy, "validateStack">, check: ConfigCheck): StackValidationPolicy {
    return {
        ...policy,
        validateStack: (args, reportViolation: ReportViolation) => {
            const configs = visibleConfigs(args.resources);
            if (configs.length === 0) {
                args.notApplicable("the stack shows no openclaw.json: export it as the stack output `openclawConfig` (clawcage does) or upload it into the gateway container");
            }
            for (const found of configs) {
                const report = (message: string) => reportViolation(`${found.source}: ${message}`, found.urn);
                if ("unreadable" in found.config) report(`cannot be checked: ${String(found.config.unreadable)}`);
                else check(found.config, report, args);
            }
        },
    };
}

/** The channels of an openclaw.json that are not switched off, with their settings. */
export function enabledChannels(config: Record<string, unknown>): [string, Record<string, unknown>][] {
    return Object.entries(record(at(config, "channels")) ?? {})
        .map(([id, value]): [string, Record<string, unknown>] => [id, record(value) ?? {}])
        .filter(([, channel]) => channel.enabled !== false);
}
