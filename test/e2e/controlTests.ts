import { strict as assert } from "node:assert";
import { runChecks, type Check } from "../../cli/verify";
import type { Environment } from "./harness";
import { negativeControls } from "./negative";

/** One test per check: the negative control that covers it weakens the deployment, and there the check must fail. */
export function negativeControlTests(envOf: () => Environment, checks: Check[]): void {
    const controls = negativeControls(envOf);
    for (const check of checks) {
        it(`${check.layer} fails on a weakened deployment: ${check.name}`, async () => {
            const control = controls.find((c) => c.checks.includes(check));
            assert.ok(control, `no negative control covers "${check.name}"`);
            const weakened = await control.weaken();
            try {
                const [r] = await runChecks([check], weakened);
                assert.equal(r.pass, false, `still passes when ${control.what}: ${r.observed}`);
            } finally {
                await control.restore?.();
            }
        });
    }
}
