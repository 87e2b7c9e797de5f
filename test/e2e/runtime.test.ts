import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { accessChecks, ALL_CHECKS, runChecks, formatTable, type Check, type CheckResult } from "../../cli/verify";
import { deployForTest, reopenDoor, tearDownEnvironment, type Environment } from "./harness";
import { catalogDifferences, configsToValidate, secretsAuditInImage, TOOL_CATALOG_FILE, toolCatalogInImage, validateInImage, type ToolCatalog } from "./validate";
import { channelTokenPath, GATEWAY_PATHS } from "../../components/host/layout";
import { hostDeleteCheck } from "./hostDelete";
import { negativeControlTests } from "./controlTests";
import { assistantTests } from "./assistant";
import { sandboxTests } from "./sandbox";
import { clientTests, tokenLogScan } from "./clients";
import { operationsTests } from "./operations";
import { vpsTests } from "./vpsTests";
import { rolloutTests } from "./rollout";
import { hostileTests } from "./hostile/suite";
import { alertTests } from "./alerts";
import { clusterProbeTests } from "./clusterProbes";
import { clusterEgressTests } from "./clusterEgress";
import { TEST_CHANNEL_TOKEN } from "../../cli/record/program";

const log = (line: string) => console.log(`    · ${line}`);

/** Every check, the rate-limit one (which locks the caller out) last. */
const RUNTIME_CHECKS: Check[] = ALL_CHECKS;
const ACCESS_CHECKS: Check[] = Object.values(accessChecks);

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
            // Each access check meets a fresh door: none inherits another's failed attempts from this address.
            if (ACCESS_CHECKS.includes(check)) await reopenDoor(env);
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

    it("L4 the tool catalogue that tool names are checked against is the gateway image's own", async () => {
        assert.ok(env);
        const committed = JSON.parse(fs.readFileSync(TOOL_CATALOG_FILE, "utf8")) as ToolCatalog;
        const differences = catalogDifferences(committed, await toolCatalogInImage(env.gatewayImage));
        const observed = differences.length === 0 ? "identical" : differences.join(", ");
        results.push({ layer: "L4", name: "tool catalogue = the pinned package's", expected: "identical", observed, pass: differences.length === 0 });
        assert.deepEqual(differences, [], "regenerate policy/lib/openclaw-tools.json with scripts/tool-catalog.mjs");
        // Negative control: a catalogue that lost a tool is told apart.
        const lost = { ...committed, groups: { ...committed.groups, "group:fs": committed.groups["group:fs"].filter((t) => t !== "read") } };
        assert.deepEqual(catalogDifferences(lost, committed), ["extra group:fs/read"]);
    });

    it("L3 the prod stack's Telegram bot token reaches OpenClaw through its file SecretRef", async () => {
        assert.ok(env);
        const prod = (await configsToValidate()).find((c) => c.label === "stack prod");
        assert.ok(prod && /"botToken"/.test(prod.json), "the prod stack enables telegram");
        const files = { [GATEWAY_PATHS.tokenFile]: "g".repeat(64), [channelTokenPath("telegram")]: TEST_CHANNEL_TOKEN };
        const observed = await secretsAuditInImage(env.gatewayImage, prod.json, files);
        results.push({ layer: "L3", name: "prod config: every SecretRef resolves (gateway + telegram)", expected: "plaintext 0, unresolved 0 of 2 refs", observed, pass: observed === "plaintext 0, unresolved 0 of 2 refs" });
        assert.equal(observed, "plaintext 0, unresolved 0 of 2 refs");
        // Negative control: without the token file the bot token does not resolve.
        const { [channelTokenPath("telegram")]: _missing, ...withoutBotToken } = files;
        assert.equal(await secretsAuditInImage(env.gatewayImage, prod.json, withoutBotToken), "plaintext 0, unresolved 1 of 2 refs [REF_UNRESOLVED:channels.telegram.botToken]");
    });

    const deployed = () => {
        assert.ok(env);
        return env;
    };
    describe("the assistant at work", () => assistantTests(deployed, results));
    describe("the sandbox host at work (exec stage)", () => sandboxTests(deployed, results));
    describe("the staged rollout: diff, one step, the way back, exec forms", () => rolloutTests(deployed, results, log));
    describe("OpenClaw's own clients through the ingress", () => clientTests(deployed, results));
    describe("the hostile model suite: the guide's attacks and known ones, through OpenClaw's own agent loop", () => hostileTests(deployed, log));
    describe("the alert watcher: a burst, restarts, a webhook down; its cage", () => alertTests(deployed, log));

    describe("negative controls: a weakened part makes each check fail", () => negativeControlTests(deployed, RUNTIME_CHECKS));
    describe("the in-pod probes of `clawcage verify --kubernetes`, through docker exec", () => clusterProbeTests(deployed, results));
    describe("the cluster's egress proxy workload, run on Docker as its pod spec says", () => clusterEgressTests(deployed));


    describe("the VPS: reached over SSH alone, its host key pinned, its published port firewalled", () => vpsTests(deployed, results, log));
    describe("the clawcage command on the live deployment, over SSH", () => operationsTests(deployed, log));

    describe("the named tokens, looked for in every log at the end of the run", () => tokenLogScan(deployed, results));

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
