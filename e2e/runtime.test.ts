import { strict as assert } from "node:assert";
import { runChecks, formatTable, type Check, type CheckResult } from "../verify/check";
import { containerChecks } from "../verify/checks/container";
import { hostChecks } from "../verify/checks/host";
import { toolChecks } from "../verify/checks/tools";
import { networkChecks } from "../verify/checks/network";
import { accessChecks } from "../verify/checks/access";
import { deployForTest, tearDownEnvironment, type Environment } from "./harness";
import { configsToValidate, validateInImage } from "./validate";
import { hostDeleteCheck } from "./hostDelete";
import { negativeControls } from "./negative";

const log = (line: string) => console.log(`    · ${line}`);

/** Access checks run last: the rate-limit check locks the ingress address out for a minute. */
export const RUNTIME_CHECKS: Check[] = [...containerChecks, ...hostChecks, ...toolChecks, ...networkChecks, ...accessChecks];

describe("runtime proof: the declared deployment on a real Docker engine", function () {
    this.timeout(30 * 60 * 1000);
    let env: Environment | undefined;
    const results: CheckResult[] = [];

    before(async () => {
        env = await deployForTest(log);
    });

    after(async () => {
        if (results.length > 0) console.log(`\n${formatTable(results)}\n`);
        if (env) await tearDownEnvironment(env, log);
    });

    for (const check of RUNTIME_CHECKS) {
        it(`${check.layer} ${check.name}`, async () => {
            assert.ok(env, "deployment is up");
            const [r] = await runChecks([check], env.live);
            results.push(r);
            assert.ok(r.pass, `expected ${r.expected || "pass"}, observed ${r.observed}`);
        });
    }

    it("L4 `openclaw config validate` accepts every stack in stacks/ and every rollout stage", async () => {
        assert.ok(env);
        const configs = await configsToValidate();
        for (const c of configs) {
            const observed = await validateInImage(env.gatewayImage, c.json);
            results.push({ layer: "L4", name: `config validate: ${c.label}`, expected: "valid", observed, pass: observed === "valid" });
            assert.equal(observed, "valid", c.label);
        }
        // Negative control: a guide key that OpenClaw does not have must be refused.
        const guideKey = await validateInImage(env.gatewayImage, JSON.stringify({ ...JSON.parse(configs[0].json), mentionGating: true }));
        assert.notEqual(guideKey, "valid");
    });

    describe("negative controls: a weakened part makes each check fail", () => {
        const controls = negativeControls(() => {
            assert.ok(env);
            return env;
        });
        for (const check of RUNTIME_CHECKS) {
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
    });


    // Destructive, so it runs after every other check (mocha runs nested suites in order).
    describe("host teardown", () => {
        it("L2 the delete script cleans up (account, group, config and state gone; evidence kept)", async () => {
            assert.ok(env);
            const [r] = await runChecks([hostDeleteCheck], env.live);
            results.push(r);
            assert.ok(r.pass, r.observed);
        });
    });
});
