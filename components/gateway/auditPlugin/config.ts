import { z } from "zod";
import { ALERT_ACTIONS, ALERT_RULE_KINDS } from "../../settings/constants";

/**
 * The audit plugin's settings (`plugins.entries.clawcage-audit.config`), rendered by the gateway's config and
 * checked by OpenClaw against the manifest's configSchema, which is this schema as JSON Schema (a unit test
 * holds them equal). The plugin itself only imports the types: the gateway image has no zod.
 */
export const auditPluginConfigSchema = z.strictObject({
    /** The JSON-lines file on the logs volume. */
    file: z.string().min(1),
    /** Rotate past this size, keeping `keepFiles` older files. */
    maxFileBytes: z.int().min(1),
    keepFiles: z.int().min(1),
    /** Below this much free room on the logs volume tool calls are refused: nothing runs unrecorded. */
    minFreeBytes: z.int().min(0),
    rules: z.array(z.strictObject({ name: z.string().min(1), kind: z.enum(ALERT_RULE_KINDS), pattern: z.string().min(1), action: z.enum(ALERT_ACTIONS) })),
    /** Files whose contents are secrets the gateway holds (its token, the sandbox key): masked in every record. */
    secretFiles: z.array(z.string().min(1)),
    /** The pause flag: while it exists every tool call is refused (a block-and-pause rule writes it, `clawcage resume` removes it). */
    pauseFile: z.string().min(1),
    /** Keep each prompt in the record (the guide's prompt logging). */
    prompts: z.boolean(),
});

export type AuditPluginConfig = z.infer<typeof auditPluginConfigSchema>;
export type AlertRule = AuditPluginConfig["rules"][number];
