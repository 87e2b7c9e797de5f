import * as fs from "node:fs";
import * as path from "node:path";
import { docker } from "../../cli/live/docker";
import { parseOpenClawJson } from "../../cli/live/openclawOutput";
import { secretsAudit, secretsAuditSummary } from "../../cli/verify/tools";
import { DEPLOYMENT_NAME } from "../../components/deployment/names";
import { gatewayPlans, type GatewayPlan } from "../../components/deployment/team";
import { clusterResourceName } from "../../components/kubernetes/clusterDeployment";
import { configMapName } from "../../components/kubernetes/clusterManifests";
import { clusterNames } from "../../components/kubernetes/clusterPlan";
import { EGRESS_PROXY_URL } from "../../components/egress/egressProxy";
import { GATEWAY_PATHS } from "../../components/host/layout";
import { byName, reveal, runStack, stackConfig, stackNames, type ProgramRun } from "../../cli/record/program";
import { parseSettings } from "../../components/settings/parse";
import { renderOpenClawConfig } from "../../components/gateway/openclawConfig";
import { ROLLOUT_STAGES } from "../../components/settings/constants";
import type { DeploymentSettings, DeploymentSettingsInput } from "../../components/settings/schema";

/** Each rollout stage as its preset, the last one opened up as far as settings allow (web_fetch besides). */
const STAGE_SETTINGS: Record<(typeof ROLLOUT_STAGES)[number], DeploymentSettingsInput> = {
    observe: {},
    draft: { rollout: { stage: "draft" } },
    git: { rollout: { stage: "git" } },
    build: { rollout: { stage: "build" }, tools: { webFetch: { enabled: true, domains: [".github.com"] } } },
};

/** A gateway's openclaw.json as the program hands it over: a host step's input on Docker, a ConfigMap's data on a cluster. */
function gatewayConfigOf(run: ProgramRun, plan: GatewayPlan, s: DeploymentSettings): string {
    if (s.target !== "kubernetes") return (reveal(byName(run, `${plan.names.gateway}-config`).inputs) as { stdin: string }).stdin;
    const configMap = clusterResourceName(DEPLOYMENT_NAME, "ConfigMap", configMapName(clusterNames(DEPLOYMENT_NAME).gateway(plan.prefix)));
    return (reveal(byName(run, configMap).inputs) as { data: Record<string, string> }).data[path.posix.basename(GATEWAY_PATHS.configFile)];
}

/** openclaw.json of every gateway of every committed stack (as the program writes it) and of every rollout stage. */
export async function configsToValidate(): Promise<{ label: string; json: string }[]> {
    const configs: { label: string; json: string }[] = [];
    for (const stack of stackNames()) {
        const run = await runStack(stack);
        const settings = parseSettings(stackConfig(stack)["clawcage:settings"]);
        for (const plan of gatewayPlans(DEPLOYMENT_NAME, settings)) {
            configs.push({ label: `stack ${stack}${plan.member ? ` (${plan.member})` : ""}`, json: gatewayConfigOf(run, plan, settings) });
        }
    }
    for (const stage of ROLLOUT_STAGES) {
        configs.push({ label: `stage ${stage}`, json: JSON.stringify(renderOpenClawConfig(parseSettings(STAGE_SETTINGS[stage]), EGRESS_PROXY_URL)) });
    }
    return configs;
}

/**
 * Runs `openclaw <command>` in a throwaway container of the gateway image, with `json` as its openclaw.json
 * where the gateway reads it and the given secret files (600, owned by the image's user) beside it.
 */
function openclawInImage(image: string, json: string, command: string, files: Record<string, string> = {}) {
    const writes = Object.entries(files).map(([file, content]) => `printf %s '${content}' > '${file}'`);
    const script = [`mkdir -p '${GATEWAY_PATHS.config}'`, "umask 077", `cat > '${GATEWAY_PATHS.configFile}'`, ...writes, `openclaw ${command}`].join(" && ");
    const env = ["-e", `OPENCLAW_CONFIG_PATH=${GATEWAY_PATHS.configFile}`, "-e", "OPENCLAW_STATE_DIR=/tmp/state"];
    return docker(["run", "--rm", "-i", "--network", "none", "--entrypoint", "sh", ...env, image, "-c", script], { input: json, timeoutMs: 120_000 });
}

/** Runs the pinned OpenClaw's own validator in the gateway image: "valid", or what it refused. */
export async function validateInImage(image: string, json: string): Promise<string> {
    const r = await openclawInImage(image, json, "config validate --json");
    if (r.code === 0 && /"valid":\s*true/.test(r.stdout)) return "valid";
    return `refused (${r.code}): ${(r.stdout + r.stderr).replace(/\s+/g, " ").slice(0, 300)}`;
}

/** The committed tool catalogue the settings and the pack check names against. */
export const TOOL_CATALOG_FILE = path.join(__dirname, "..", "..", "policy", "lib", "openclaw-tools.json");
const GENERATOR = path.join(__dirname, "..", "..", "scripts", "tool-catalog.mjs");

export interface ToolCatalog {
    openclaw: string;
    groups: Record<string, string[]>;
}

/** The tool catalogue of the openclaw package installed in the gateway image, by scripts/tool-catalog.mjs. */
export async function toolCatalogInImage(image: string): Promise<ToolCatalog> {
    const r = await docker(["run", "--rm", "-i", "--network", "none", "--entrypoint", "node", image, "--input-type=module", "-"], {
        input: fs.readFileSync(GENERATOR, "utf8"),
        timeoutMs: 120_000,
    });
    if (r.code !== 0) throw new Error(`tool-catalog.mjs in ${image} failed (${r.code}): ${r.stderr.slice(0, 300)}`);
    return JSON.parse(r.stdout) as ToolCatalog;
}

/** Each tool or group one catalogue has and the other lacks, and a version that differs. */
export function catalogDifferences(expected: ToolCatalog, actual: ToolCatalog): string[] {
    const entries = (c: ToolCatalog) => new Set(Object.entries(c.groups).flatMap(([g, ids]) => [g, ...ids.map((id) => `${g}/${id}`)]));
    const [want, have] = [entries(expected), entries(actual)];
    return [
        ...(expected.openclaw === actual.openclaw ? [] : [`version ${expected.openclaw} vs ${actual.openclaw}`]),
        ...[...want].filter((e) => !have.has(e)).map((e) => `missing ${e}`),
        ...[...have].filter((e) => !want.has(e)).map((e) => `extra ${e}`),
    ];
}

/** `openclaw secrets audit` in the gateway image on a rendered openclaw.json and its secret files, as the live check reads it. */
export async function secretsAuditInImage(image: string, json: string, files: Record<string, string>): Promise<string> {
    const r = await openclawInImage(image, json, "secrets audit --json", files);
    return secretsAuditSummary(parseOpenClawJson("openclaw secrets audit --json", r.stdout, secretsAudit)).observed;
}
