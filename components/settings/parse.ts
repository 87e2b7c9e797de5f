import { z } from "zod";
import { deploymentSettingsSchema, type DeploymentSettings, type DeploymentSettingsInput } from "./schema";

/** A refused setting: one line per problem, each naming the field, what is wrong and the fix. */
export class SettingsError extends Error {
    constructor(public readonly problems: string[]) {
        super(`clawcage settings are invalid; nothing was deployed:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "SettingsError";
    }
}

function fieldName(path: readonly PropertyKey[]): string {
    return path.reduce<string>(
        (acc, key) => (typeof key === "number" ? `${acc}[${key}]` : `${acc}.${String(key)}`),
        "settings",
    );
}

/** Fields that moved, and where to: an old stack file gets the way to the new one. */
const MOVED_FIELDS: Record<string, string> = {
    webhookUrl: "'webhookUrl' is now alerts.webhook.host, with the whole URL in secret config clawcage:alert-webhook-url (a webhook's URL is its credential)",
};

function describe(issue: z.core.$ZodIssue): string {
    const moved = issue.code === "unrecognized_keys" ? issue.keys.find((k) => k in MOVED_FIELDS) : undefined;
    if (moved) return MOVED_FIELDS[moved];
    if (issue.code === "unrecognized_keys") {
        return `unknown field ${issue.keys.map((k) => `'${k}'`).join(", ")}: check the spelling against the settings reference in the README (the guide's YAML keys are not OpenClaw's)`;
    }
    return issue.message;
}

/** Validates raw settings (stack config or code) and applies the secure defaults. */
export function parseSettings(raw: unknown): DeploymentSettings {
    const result = deploymentSettingsSchema.safeParse(raw ?? {});
    if (result.success) return result.data;
    throw new SettingsError(result.error.issues.map((i) => `${fieldName(i.path)}: ${describe(i)}`));
}

/** Parses settings given as a JSON document (the component's analyzer-friendly argument). */
export function parseSettingsJson(text: string): DeploymentSettings {
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch (e) {
        throw new SettingsError([`settings: not valid JSON (${(e as Error).message}); pass JSON.stringify(settings)`]);
    }
    return parseSettings(raw);
}

/**
 * The typed way for TypeScript callers to write OpenClawDeployment's `settings`: the compiler checks field names
 * and types (and the editor completes them), the rules run at once, and the result is the JSON document the
 * component takes. The argument itself stays a string so that Pulumi's component analyzer, and with it every
 * other language, can use the component.
 */
export function settingsDocument(settings: DeploymentSettingsInput): string {
    parseSettings(settings);
    return JSON.stringify(settings);
}
