import { strict as assert } from "node:assert";
import { parseSettings, SettingsError } from "../../components/settings/parse";
import type { DeploymentSettingsInput } from "../../components/settings/schema";

/** A refused setting, the field its message must name, a fragment of the fix, and a valid neighbour. */
export interface Refusal {
    what: string;
    bad: unknown;
    field: string;
    says: RegExp;
    neighbour: DeploymentSettingsInput;
}

/** The problems parseSettings reports for raw settings; none when it accepts them. */
export function problemsOf(raw: unknown): string[] {
    try {
        parseSettings(raw);
    } catch (e) {
        assert.ok(e instanceof SettingsError, `expected SettingsError, got ${String(e)}`);
        return e.problems;
    }
    return [];
}

/** Two tests per refusal: refused naming its field, and its neighbour accepted (the refusal's negative control). */
export function refusalTests(refusals: Refusal[]): void {
    for (const r of refusals) {
        it(`refuses ${r.what}, naming ${r.field}`, () => {
            const problems = problemsOf(r.bad);
            const hit = problems.find((p) => p.startsWith(`${r.field}:`));
            assert.ok(hit, `no problem for ${r.field}; got ${JSON.stringify(problems)}`);
            assert.match(hit, r.says);
        });
        it(`accepts the valid neighbour of ${r.what}`, () => {
            assert.deepEqual(problemsOf(r.neighbour), []);
        });
    }
}
