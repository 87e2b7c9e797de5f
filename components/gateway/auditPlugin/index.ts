/**
 * clawcage-audit, an OpenClaw plugin loaded by the rendered config (`plugins.load.paths`, `plugins.allow`): it
 * records every tool call the agent makes with its arguments and decision in a JSON-lines file on the logs
 * volume, and refuses a call that a `block-and-notify` alert rule matches before the tool runs; a `block-and-pause`
 * rule's match also pauses every tool call after it, until the operator runs `clawcage resume`. The hooks
 * are OpenClaw's typed plugin hooks (docs/plugins/hooks.md); only the fields used here are typed.
 */
import * as fs from "node:fs";
import { AuditFile } from "./auditFile";
import { type Actor, type AuditPluginConfig, AUDIT_PLUGIN_ID, blockingMatch, matchRules, NO_ROOM_REFUSAL, type Pause, parsePause, pausedRefusal, refusingLayer, ruleRefusal, secretValues, subjectsOf } from "./record";

interface ToolContext {
    agentId?: string;
    sessionKey?: string;
    runId?: string;
    toolCallId?: string;
    requester?: { channel?: string; senderId?: string };
}
interface BeforeToolCall {
    toolName: string;
    params: Record<string, unknown>;
    toolCallId?: string;
    derivedPaths?: readonly string[];
}
interface AfterToolCall {
    toolName: string;
    params: Record<string, unknown>;
    toolCallId?: string;
    error?: string;
    durationMs?: number;
}
interface AgentContext {
    agentId?: string;
    sessionKey?: string;
    channelId?: string;
    senderId?: string;
}
interface LlmInput {
    prompt: string;
}
interface PluginApi {
    pluginConfig?: Record<string, unknown>;
    logger: { warn: (message: string) => void };
    on(hook: "before_tool_call", handler: (event: BeforeToolCall, ctx: ToolContext) => { block: true; blockReason: string } | undefined, opts: { priority: number }): void;
    on(hook: "after_tool_call", handler: (event: AfterToolCall, ctx: ToolContext) => void): void;
    on(hook: "llm_input", handler: (event: LlmInput, ctx: AgentContext) => void): void;
}

const toolActor = (ctx: ToolContext): Actor => ({ session: ctx.sessionKey, agent: ctx.agentId, channel: ctx.requester?.channel, sender: ctx.requester?.senderId });
const now = (): string => new Date().toISOString();

/** A secret file's contents; none when the deployment has no such secret (no channel, say). */
function readIfPresent(file: string): string[] {
    try {
        return [fs.readFileSync(file, "utf8")];
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw e;
    }
}

/** The pause flag's contents, or none when the agent's tools are not paused. */
function readPause(file: string): Pause | undefined {
    try {
        return parsePause(fs.readFileSync(file, "utf8"));
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        return parsePause("");
    }
}

const writePause = (file: string, pause: Pause): void => fs.writeFileSync(file, `${JSON.stringify(pause)}\n`, { mode: 0o600 });

export default {
    id: AUDIT_PLUGIN_ID,
    name: "clawcage audit",
    description: "Records every tool call with its arguments and decision; blocks what a block-and-notify rule matches; pauses the agent's tools on a block-and-pause rule.",
    register(api: PluginApi): void {
        // OpenClaw has checked it against the manifest's configSchema (the zod schema's JSON Schema) before this.
        const config = api.pluginConfig as unknown as AuditPluginConfig;
        const secrets = secretValues(config.secretFiles.flatMap(readIfPresent));
        const audit = new AuditFile(config, secrets);

        // Highest priority: the rules decide before any other plugin rewrites the call.
        api.on(
            "before_tool_call",
            (event, ctx) => {
                const subjects = subjectsOf(event.params, event.derivedPaths);
                const alerts = matchRules(config.rules, subjects);
                const block = blockingMatch(alerts);
                const base = { time: now(), source: "gateway" as const, event: "tool_call" as const, actor: toolActor(ctx), tool: event.toolName, toolCallId: event.toolCallId ?? ctx.toolCallId, params: event.params, subjects, alerts };
                if (!audit.hasRoom()) {
                    // Nothing runs unrecorded: a full logs volume stops the agent's tools, not the audit.
                    api.logger.warn(`${AUDIT_PLUGIN_ID}: the logs volume is below its free-room floor; refusing ${event.toolName}`);
                    return { block: true, blockReason: NO_ROOM_REFUSAL };
                }
                // Read at every call: `clawcage resume` removes the flag while the gateway runs, and it survives restarts.
                const paused = readPause(config.pauseFile);
                if (paused) {
                    audit.write({ ...base, decision: "denied", layer: `paused by alert rule ${paused.rule}` });
                    return { block: true, blockReason: pausedRefusal(paused) };
                }
                if (block) {
                    if (block.action === "block-and-pause") writePause(config.pauseFile, { rule: block.rule, time: base.time, subject: block.subject });
                    audit.write({ ...base, decision: "denied", layer: `alert rule ${block.rule}`, reason: `matched ${block.kind} ${JSON.stringify(block.subject)}` });
                    return { block: true, blockReason: ruleRefusal(block) };
                }
                audit.write({ ...base, decision: "allowed" });
                return undefined;
            },
            { priority: 1000 },
        );

        // The outcome, and when a layer refused the call, which one: OpenClaw's own refusals reach the hook as errors.
        api.on("after_tool_call", (event, ctx) => {
            const layer = event.error ? refusingLayer(event.error) : undefined;
            audit.write({
                time: now(),
                source: "gateway",
                event: "tool_result",
                actor: toolActor(ctx),
                tool: event.toolName,
                toolCallId: event.toolCallId ?? ctx.toolCallId,
                decision: layer ? "denied" : event.error ? "failed" : "allowed",
                layer,
                reason: event.error,
                durationMs: event.durationMs,
            });
        });

        if (config.prompts) {
            api.on("llm_input", (event, ctx) => {
                audit.write({ time: now(), source: "gateway", event: "prompt", actor: { session: ctx.sessionKey, agent: ctx.agentId, channel: ctx.channelId, sender: ctx.senderId }, decision: "allowed", prompt: event.prompt });
            });
        }
    },
};
