import type { DeploymentSettings, RolloutStage } from "../settings/schema";
import type { Permission } from "../../policy/lib/permissions";
import { effectiveToolPolicy } from "../gateway/toolPolicy";
import { effectiveEgressAllowlist } from "../deployment/names";
import { execForm } from "./execForms";

/**
 * The permissions a deployment grants, by layer, each with the risk it brings: what `clawcage diff` prints
 * and the one-loosening guard counts. Derived from the effective policy (the stage's clamp applied), so a
 * withheld grant is no permission. The write tools come with a writable path and exec with its forms: each
 * path and each program is one permission, its forms the parts that may grow.
 */

const FILE_AND_RUN_TOOLS = new Set(["write", "edit", "apply_patch", "exec", "process", "code_execution"]);

const TOOL_RISK: Record<string, string> = {
    read: "every workspace file can reach the model, and with it any secret kept there",
    web_search: "queries leave through the search provider; results can carry instructions",
    web_fetch: "pages from the fetch domains come back into the conversation: a prompt-injection path",
    browser: "a browser the agent drives: pages can inject prompts and forms can post what it read",
};

const PROGRAM_RISK: Record<string, string> = {
    git: "reads history and diffs; where .git is writable its config and hooks run code, so keep repositories out of writable paths",
    npm: "runs package.json's scripts: any code the project holds runs with the gateway's files in reach",
};

/** What the deployment records on its host as in force (layout.deployedPermissions). */
export interface DeployedRecord {
    stage: RolloutStage;
    permissions: Permission[];
}

export const deployedRecord = (s: DeploymentSettings): DeployedRecord => ({ stage: s.rollout.stage, permissions: permissionsOf(s) });

export function permissionsOf(s: DeploymentSettings): Permission[] {
    const tools = effectiveToolPolicy(s);
    const usable = tools.usable.filter((t) => !FILE_AND_RUN_TOOLS.has(t));
    const out: Permission[] = [];
    const add = (p: Omit<Permission, "detail"> & { detail?: string[] }) => out.push({ detail: [], ...p });

    for (const t of usable) add({ key: `tool:${t}`, layer: "L4", what: `tool ${t}`, risk: TOOL_RISK[t] ?? `the agent may call ${t}` });
    for (const w of tools.writablePaths) add({ key: `write:${w}`, layer: "L4", what: `writes in ${w}`, risk: `the agent can create, change and delete files in ${w}` });
    const byProgram = new Map<string, string[]>();
    for (const text of tools.execForms) {
        const { program } = execForm(text);
        byProgram.set(program, [...(byProgram.get(program) ?? []), text]);
    }
    for (const [program, forms] of byProgram) {
        add({ key: `exec:${program}`, layer: "L4", what: `runs ${program}`, detail: forms, risk: PROGRAM_RISK[program] ?? `runs ${program} on the gateway with exactly these arguments` });
    }
    for (const d of s.tools.webFetch.enabled ? s.tools.webFetch.domains : []) add({ key: `fetch:${d}`, layer: "L5", what: `web_fetch reads ${d}`, risk: `pages of ${d} reach the agent` });
    for (const d of effectiveEgressAllowlist(s)) add({ key: `egress:${d}`, layer: "L5", what: `egress to ${d}`, risk: `requests, and whatever the agent puts in them, can reach ${d}` });
    for (const m of s.container.mounts) {
        add({ key: `mount:${m.containerPath}`, layer: "L1", what: `mount ${m.hostPath}`, detail: [m.readOnly ? "read" : "read-write"], risk: `the agent sees ${m.hostPath}${m.readOnly ? "" : " and can change it"}` });
    }
    const g = s.gateway;
    if (g.publish) add({ key: `publish:${g.publish.address}:${g.publish.port}`, layer: "L3", what: `endpoint on ${g.publish.address}:${g.publish.port}`, risk: `whoever reaches ${g.publish.address} meets the token prompt` });
    for (const c of g.ipAllowlist) add({ key: `client:${c}`, layer: "L3", what: `clients from ${c}`, risk: `machines in ${c} reach the published port` });
    for (const [name, t] of Object.entries(g.tokens)) add({ key: `token:${name}`, layer: "L3", what: `token ${name}`, detail: [...t.scopes].sort(), risk: `whoever holds '${name}' acts with its scopes` });
    if (g.controlUi.enabled) add({ key: "control-ui", layer: "L3", what: "Control UI", risk: "paired browsers drive the agent and read its sessions" });
    for (const [id, ch] of Object.entries(s.channels)) {
        if (!ch.enabled) continue;
        add({ key: `channel:${id}`, layer: "L3", what: `${id} messages`, detail: [...ch.allowFrom, ...ch.groupAllowFrom.map((g) => `group ${g}`)].sort(), risk: `the listed ${id} senders can instruct the agent` });
    }
    return out;
}
