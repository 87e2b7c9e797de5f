import * as fs from "node:fs";
import type { EnforcementLevel } from "@pulumi/policy";
import { z } from "zod";
import type { PackConfig } from "./evaluate";

/**
 * A user's policy pack config (`--policy-config`, the JSON `pulumi preview --policy-pack-config` takes),
 * checked before use: a misspelt level or policy name would otherwise be ignored and the check would
 * report on a config nobody wrote.
 */

const LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const satisfies readonly EnforcementLevel[];
const LEVEL_LIST = LEVELS.join(", ");

const level = z.enum(LEVELS, { error: (issue) => `expected one of ${LEVEL_LIST}, got ${JSON.stringify(issue.input)}` });
/** An entry's shape, before its level is read: a bare level, or an object with one and the policy's own properties. */
const entryShape = z.union([z.string(), z.looseObject({})], {
    error: () => `expected a level (${LEVEL_LIST}) or an object {"enforcementLevel": ..., <the policy's properties>}`,
});
const document = z.record(z.string(), entryShape, { error: () => "expected a JSON object keyed by policy name (or \"all\")" });
const objectEntry = z.looseObject({ enforcementLevel: level.optional() });

/** The config is unreadable or does not fit; the message names the file and the field. Exit 2. */
export class PackConfigError extends Error {
    constructor(file: string, problems: string[]) {
        super(`--policy-config ${file} is refused:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "PackConfigError";
    }
}

const fieldOf = (path: readonly PropertyKey[]): string => (path.length === 0 ? "(top level)" : path.map(String).join("."));

type Checked = { config: PackConfig; problems: string[] };

/** Checks a parsed config against the pack's policy names: the config as the evaluator reads it, and every problem found. */
export function checkPackConfig(value: unknown, policyNames: readonly string[]): Checked {
    const shape = document.safeParse(value);
    if (!shape.success) return { config: {}, problems: shape.error.issues.map((i) => `${fieldOf(i.path)}: ${i.message}`) };
    const known = new Set(["all", ...policyNames]);
    const checked: Checked = { config: {}, problems: [] };
    for (const [name, entry] of Object.entries(shape.data)) {
        if (!known.has(name)) {
            checked.problems.push(`${name}: no policy of that name in clawcage-openclaw (a typo would silently change nothing)`);
            continue;
        }
        const parsed = typeof entry === "string" ? level.safeParse(entry) : objectEntry.safeParse(entry);
        if (parsed.success) checked.config[name] = parsed.data;
        else checked.problems.push(...parsed.error.issues.map((i) => `${fieldOf([name, ...i.path])}: ${i.message}`));
    }
    return checked;
}

/** Reads and checks a --policy-config file. */
export function readPackConfig(file: string, policyNames: readonly string[]): PackConfig {
    let value: unknown;
    try {
        value = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new PackConfigError(file, [e instanceof Error ? e.message : String(e)]);
    }
    const { config, problems } = checkPackConfig(value, policyNames);
    if (problems.length > 0) throw new PackConfigError(file, problems);
    return config;
}
