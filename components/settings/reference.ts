import { z } from "zod";
import { deploymentSettingsSchema } from "./schema";

/** The settings reference table of the README, generated from the schema so the two never disagree. */

interface JsonSchema {
    type?: string | string[];
    enum?: unknown[];
    const?: unknown;
    default?: unknown;
    description?: string;
    properties?: Record<string, JsonSchema>;
    items?: JsonSchema;
    anyOf?: JsonSchema[];
    oneOf?: JsonSchema[];
    additionalProperties?: JsonSchema | boolean;
    propertyNames?: JsonSchema;
    format?: string;
}

function typeOf(s: JsonSchema): string {
    if (s.enum) return s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(" \\| ");
    if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
    const alternatives = s.anyOf ?? s.oneOf;
    const kinds = alternatives?.map((a) => a.properties?.kind?.const).filter((k) => k !== undefined) ?? [];
    if (alternatives && kinds.length === alternatives.length) return `object, kind ${kinds.map((k) => `\`${JSON.stringify(k)}\``).join(" \\| ")}`;
    if (alternatives) return alternatives.map(typeOf).join(" \\| ");
    if (s.type === "array") return `${s.items ? typeOf(s.items) : "any"}[]`;
    if (s.type === "object" && typeof s.additionalProperties === "object") return `map of ${typeOf(s.additionalProperties)}`;
    if (s.type === "object") return "object";
    if (s.format && s.type === "string" && !["starts_with"].includes(s.format)) return `string (${s.format})`;
    return Array.isArray(s.type) ? s.type.join(" \\| ") : (s.type ?? "any");
}

function isObject(s: JsonSchema | boolean | undefined): boolean {
    return typeof s === "object" && s.type === "object" && s.properties !== undefined;
}

/** Long defaults (the alert rules, the token map) would swamp the table: the schema has them in full. */
function shownDefault(value: unknown): string {
    if (value === undefined) return "";
    const text = JSON.stringify(value);
    return text.length > 70 ? "(see schema.ts)" : `\`${text}\``;
}

function rows(s: JsonSchema, path: string, out: string[][]): void {
    const variants = (s.oneOf ?? s.anyOf ?? []).filter(isObject);
    if (isObject(s) || variants.length > 0 || (s.type === "array" && isObject(s.items)) || isObject(s.additionalProperties)) {
        // A section row only when it says something beyond its fields.
        if (path && (s.description || !(isObject(s) && JSON.stringify(s.default) === "{}"))) out.push([`\`${path}\``, typeOf(s), shownDefault(s.default), s.description ?? ""]);
        if (isObject(s)) for (const [key, child] of Object.entries(s.properties ?? {})) rows(child, path ? `${path}.${key}` : key, out);
        for (const v of variants) {
            const kind = v.properties?.kind?.const;
            for (const [key, child] of Object.entries(v.properties ?? {})) rows(child, `${path}${kind ? `(${String(kind)})` : ""}.${key}`, out);
        }
        if (s.type === "array" && s.items && isObject(s.items)) rows(s.items, `${path}[]`, out);
        if (typeof s.additionalProperties === "object" && isObject(s.additionalProperties)) rows(s.additionalProperties, `${path}.<name>`, out);
        return;
    }
    out.push([`\`${path}\``, typeOf(s), shownDefault(s.default), s.description ?? ""]);
}

export const REFERENCE_START = "<!-- settings-reference:start (generated: npm run docs) -->";
export const REFERENCE_END = "<!-- settings-reference:end -->";

/** The README with its settings reference replaced by the current one. */
export function withSettingsReference(readme: string): string {
    const start = readme.indexOf(REFERENCE_START);
    const end = readme.indexOf(REFERENCE_END);
    if (start < 0 || end < start) throw new Error("README has no settings reference markers");
    return `${readme.slice(0, start + REFERENCE_START.length)}\n${renderSettingsReference()}\n${readme.slice(end)}`;
}

export function renderSettingsReference(): string {
    const schema = z.toJSONSchema(deploymentSettingsSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
    const out: string[][] = [];
    rows(schema, "", out);
    const escape = (cell: string) => cell.replace(/\n/g, " ").replace(/(?<!\\)\|/g, "\\|");
    return [
        "| setting | type | default | what it is for |",
        "|---|---|---|---|",
        ...out.map((r) => `| ${r.map(escape).join(" | ")} |`),
    ].join("\n");
}
