import * as fs from "node:fs";
import * as path from "node:path";
import { isMap, parseDocument } from "yaml";
import { parseSettings } from "../components/settings/parse";
import type { DeploymentSettings } from "../components/settings/schema";

/** Which stack a command works on: a name, or an explicit Pulumi.<stack>.yaml. */
export interface StackRef {
    stack: string;
    /** A Pulumi.<stack>.yaml anywhere; wins over the name. */
    stackFile?: string;
}

/** No stack file where the command looked: a usage problem (exit 2), not a failed check. */
export class StackNotFoundError extends Error {
    constructor(public readonly lookedFor: string[]) {
        super(`no stack file found: looked for ${lookedFor.join(" and ")}; give --stack <name> of (stacks/)Pulumi.<name>.yaml or --stack-file <path>`);
        this.name = "StackNotFoundError";
    }
}

/**
 * The places a stack named NAME is looked for, relative to the folder the command runs in: the
 * project's stacks/ folder first (Pulumi.yaml sets stackConfigDir: stacks), then the folder itself
 * (Pulumi's default). Relative to the working folder, never to the package, so an installed CLI reads
 * the user's project and not its own copy.
 */
export function stackFileCandidates(stack: string, cwd: string = process.cwd()): string[] {
    const name = `Pulumi.${stack}.yaml`;
    return [path.resolve(cwd, "stacks", name), path.resolve(cwd, name)];
}

/** The Pulumi.<stack>.yaml that declares the target: the one lookup every subcommand uses. */
export function stackFilePath(ref: StackRef, cwd: string = process.cwd()): string {
    const candidates = ref.stackFile ? [path.resolve(cwd, ref.stackFile)] : stackFileCandidates(ref.stack, cwd);
    const found = candidates.find((file) => fs.existsSync(file));
    if (!found) throw new StackNotFoundError(candidates);
    return found;
}

/** The stack a Pulumi.<stack>.yaml is for, by Pulumi's naming; undefined for a file named otherwise. */
export function stackNameOf(file: string): string | undefined {
    return /^Pulumi\.(.+)\.yaml$/.exec(path.basename(file))?.[1];
}

/** The config key that holds a stack's clawcage settings. */
export const SETTINGS_KEY = "clawcage:settings";

/** A stack file's settings, validated (a refusal names the fields). */
export function readStackSettings(file: string): DeploymentSettings {
    const plain = parseDocument(fs.readFileSync(file, "utf8")).toJS() as { config?: Record<string, unknown> } | null;
    return parseSettings(plain?.config?.[SETTINGS_KEY] ?? {});
}

/**
 * Sets one settings field in a stack file, keeping its comments and layout, after checking that the settings
 * still parse with it: a refused edit writes nothing. Returns the settings as edited.
 */
export function editStackSetting(file: string, field: string[], value: unknown): DeploymentSettings {
    const doc = parseDocument(fs.readFileSync(file, "utf8"));
    const node = doc.getIn(["config", SETTINGS_KEY]);
    if (node !== undefined && !isMap(node)) throw new Error(`${file}: config.${SETTINGS_KEY} is not a YAML mapping; set ${field.join(".")} by hand`);
    doc.setIn(["config", SETTINGS_KEY, ...field], value);
    const edited = parseSettings((doc.toJS() as { config: Record<string, unknown> }).config[SETTINGS_KEY]);
    fs.writeFileSync(file, doc.toString());
    return edited;
}
