import { strict as assert } from "node:assert";
import { policies } from "../../policy/api";
import { check, recorded, type CommittedStack } from "./fixtures";
import { NEGATIVE_CONTROLS } from "./negativeControls";

/** Advisories a committed stack leaves on purpose, with why: each must report, so the stack is its control too. */
const LEFT_ADVISORIES: Record<string, Record<string, string>> = {
    dev: { "container-sandbox-gvisor": "the dev stack runs on any Docker engine, gVisor or not" },
    team: { "container-sandbox-gvisor": "the team stack, like dev, runs on any Docker engine" },
};

/** The policies that read a pod, not a container: they have nothing to read on a Docker host. */
const KUBERNETES_ONLY = ["kubernetes-pod-security", "kubernetes-network-confined"];
/**
 * What the pack checks on a cluster: the OpenClaw config, the egress allowlist, the images, and the cluster's own
 * forms. Every other policy reads Docker's containers, networks or host steps, and must say it has nothing to read.
 */
const ON_A_CLUSTER = [
    ...KUBERNETES_ONLY,
    ...["openclaw-sandbox-on", "openclaw-token-auth", "openclaw-token-from-secret-ref", "openclaw-credentials-from-secret-ref", "openclaw-channel-allowlists", "openclaw-mention-gating"],
    ...["openclaw-tool-allowlist", "openclaw-exec-browser-restricted", "openclaw-workspace-only", "one-loosening-at-a-time", "openclaw-audit-log", "egress-allowlist-domains", "egress-proxy-clients", "images-pinned"],
];
const applies = (stack: CommittedStack, policy: string): boolean => (stack === "k8s" ? ON_A_CLUSTER.includes(policy) : !KUBERNETES_ONLY.includes(policy));

describe("policy pack: the committed stacks comply, and one changed property fails each policy", () => {
    for (const stack of ["dev", "prod", "team", "k8s"] as const) {
        for (const policy of policies) {
            if (!applies(stack, policy.name)) {
                it(`${stack}: ${policy.name} has nothing to read (not applicable)`, async () => {
                    const result = await check(policy, await recorded(stack));
                    assert.deepEqual([result.status, result.violations], ["n/a", []]);
                });
                continue;
            }
            const why = LEFT_ADVISORIES[stack]?.[policy.name];
            if (why) {
                it(`${stack}: ${policy.name} reports (left on purpose: ${why})`, async () => {
                    assert.equal(policy.enforcementLevel, "advisory");
                    const result = await check(policy, await recorded(stack));
                    assert.equal(result.status, "fail");
                });
                continue;
            }
            it(`${stack}: ${policy.name} passes`, async () => {
                const result = await check(policy, await recorded(stack));
                assert.deepEqual(result.violations, []);
                assert.equal(result.status, "pass", `expected pass, got ${result.status} (${result.notApplicable.join("; ")})`);
            });
        }
    }

    it("has a negative control for every policy (100% of the pack)", () => {
        const covered = new Set(NEGATIVE_CONTROLS.map((c) => c.policy));
        assert.deepEqual(policies.map((p) => p.name).filter((n) => !covered.has(n)), []);
        assert.deepEqual([...covered].filter((n) => !policies.some((p) => p.name === n)), []);
    });

    for (const control of NEGATIVE_CONTROLS) {
        it(`${control.stack} + ${control.change}: ${control.policy} FAILS`, async () => {
            const policy = policies.find((p) => p.name === control.policy);
            assert.ok(policy, `no policy ${control.policy}`);
            const result = await check(policy, control.apply(await recorded(control.stack)));
            assert.equal(result.status, "fail", `not detected: ${control.change}`);
            assert.ok(result.violations.length > 0);
        });
    }
});
