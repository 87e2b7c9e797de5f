import type { DeploymentSettings } from "../settings/schema";
import { expandToolNames, OPENCLAW_TOOL_IDS } from "../../policy/api";
import { stageGrants } from "../rollout/stages";

/**
 * The tool policy the gateway actually gets (guide layer 4), from the user's lists and the rollout
 * stage's grants (rollout/stages.ts): the write tools only with a writable path, exec only with exec
 * forms. Denials always win over allows in OpenClaw, so every withheld permission is also denied
 * explicitly.
 */
export interface ToolPolicy {
    allow: string[];
    deny: string[];
    /**
     * Every core tool of the pinned OpenClaw that is not granted, by exact name (so nothing depends on
     * how OpenClaw expands groups there): gateway.tools.deny holds on every surface, /tools/invoke included.
     */
    gatewayDeny: string[];
    /** The tools the agent can really call: the allowed ones, groups expanded, minus the denied; sorted. */
    usable: string[];
    execMode: "deny" | "allowlist";
    /** The exec forms granted (rollout/execForms.ts), sorted. */
    execForms: string[];
    /** Writable paths granted, in the container. */
    writablePaths: string[];
    webFetch: boolean;
    browser: boolean;
    /** Whether the sandbox sees the workspace read-write. */
    workspaceWritable: boolean;
}

const WRITE_TOOLS = ["write", "edit", "apply_patch"];
const RUNTIME_TOOLS = ["exec", "process", "code_execution"];

export function effectiveToolPolicy(s: DeploymentSettings): ToolPolicy {
    const grants = stageGrants(s);
    const canWrite = grants.writablePaths.length > 0;
    const canExec = grants.execForms.length > 0;
    const withheld = new Set<string>();
    if (!canWrite) WRITE_TOOLS.forEach((t) => withheld.add(t));
    if (!canExec) withheld.add("group:runtime");
    else ["process", "code_execution"].forEach((t) => withheld.add(t));
    if (!s.tools.browser) withheld.add("browser");
    if (!s.tools.webFetch.enabled) withheld.add("web_fetch");

    const granted = new Set(s.tools.allow.filter((t) => !withheld.has(t) && !RUNTIME_TOOLS.includes(t)));
    if (canWrite) WRITE_TOOLS.forEach((t) => granted.add(t));
    if (canExec) granted.add("exec");
    if (s.tools.browser) granted.add("browser");
    if (s.tools.webFetch.enabled) granted.add("web_fetch");

    const allow = [...granted].sort();
    const deny = [...new Set([...s.tools.deny, ...withheld])].sort();
    const denied = new Set(expandToolNames(deny));
    const usable = [...new Set(expandToolNames(allow))].filter((t) => !denied.has(t)).sort();
    return {
        allow,
        deny,
        gatewayDeny: OPENCLAW_TOOL_IDS.filter((t) => !usable.includes(t)),
        usable,
        execMode: canExec ? "allowlist" : "deny",
        execForms: [...grants.execForms].sort(),
        writablePaths: grants.writablePaths,
        webFetch: s.tools.webFetch.enabled,
        browser: s.tools.browser,
        workspaceWritable: canWrite,
    };
}
