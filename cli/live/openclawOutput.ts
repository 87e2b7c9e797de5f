import type { z } from "zod";

/**
 * The JSON document an `openclaw ... --json` command printed (after any banner lines), checked against the
 * shape clawcage reads. A document of another shape is an error that names the command and the fields, never
 * a silent zero: it usually means the gateway runs another OpenClaw version than the pinned one.
 */
export function parseOpenClawJson<T>(command: string, output: string, schema: z.ZodType<T>): T {
    const start = output.indexOf("{");
    let raw: unknown;
    try {
        raw = JSON.parse(start < 0 ? output : output.slice(start));
    } catch (e) {
        throw new Error(`${command} printed no JSON document (${(e as Error).message}): ${output.trim().slice(0, 200)}`);
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(document)"}: ${i.message}`).join("; ");
        throw new Error(`${command} answered in a shape clawcage does not read (${problems}); is the gateway running the pinned OpenClaw version?`);
    }
    return parsed.data;
}
