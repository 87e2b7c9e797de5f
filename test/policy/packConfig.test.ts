import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { blocking, evaluatePack } from "../../cli/check/evaluate";
import { resourceArgs } from "../../cli/check/policyInputs";
import { policies } from "../../policy/api";
import { REPO_ROOT } from "../../cli/record/program";
import { change, changeConfig, check, recorded } from "./fixtures";
import { rawStack } from "./rawStack";

// The SDK's sentinel for an unknown string (@pulumi/policy proxy.js, internal): what a preview sends.
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const policy = (name: string) => {
    const found = policies.find((p) => p.name === name);
    if (!found) throw new Error(`no policy ${name}`);
    return found;
};

describe("policy pack: metadata, levels, config and preview unknowns", () => {
    it("every policy carries name, description, severity, level, remediation and a checklist area", () => {
        for (const p of policies) {
            assert.ok(p.description && p.severity && p.enforcementLevel && p.remediationSteps && p.displayName, p.name);
            assert.ok(p.tags?.some((t) => t.startsWith("checklist:")), p.name);
        }
        assert.equal(new Set(policies.map((p) => p.name)).size, policies.length);
    });

    it("the pack folder is a nodejs policy pack named clawcage-openclaw with pinned dependencies", () => {
        const dir = path.join(REPO_ROOT, "policy");
        assert.equal((parseYaml(fs.readFileSync(path.join(dir, "PulumiPolicy.yaml"), "utf8")) as { runtime: string }).runtime, "nodejs");
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { dependencies: Record<string, string> };
        assert.deepEqual(pkg.dependencies, { "@pulumi/docker": "5.2.0", "@pulumi/policy": "1.21.0", "@pulumi/pulumi": "3.270.0", "fastest-levenshtein": "1.0.16", "tldts": "7.5.5" });
        assert.match(fs.readFileSync(path.join(dir, "index.ts"), "utf8"), /new PolicyPack\("clawcage-openclaw", \{\s*policies,/);
    });

    it("config overrides the level: an advisory finding becomes blocking, a mandatory one can be disabled", async () => {
        const inputs = changeConfig(await recorded("dev"), (c) => void (c.logging.audit.enabled = false));
        assert.equal(blocking(await evaluatePack(policies, inputs, "dev")).length, 0);
        const strict = await evaluatePack(policies, inputs, "dev", { "openclaw-audit-log": { enforcementLevel: "mandatory" } });
        assert.deepEqual(blocking(strict).map((r) => r.policy.name), ["openclaw-audit-log"]);
        // Everything mandatory: the dev stack's one advisory left on purpose (its sandbox on runc) blocks too.
        const all = await evaluatePack(policies, inputs, "dev", { all: "mandatory" });
        assert.deepEqual(blocking(all).map((r) => r.policy.name), ["openclaw-audit-log", "container-sandbox-gvisor"]);
        const off = await check(policy("container-non-root-user"), change(await recorded("dev"), "openclaw-gateway-container", (p) => void (p.user = "0")), { "container-non-root-user": "disabled" });
        assert.equal(off.status, "disabled");
    });

    it("config properties reach the policy (allowlistedContainers declares a firewall the stack cannot show)", async () => {
        const open = change(rawStack(), "front", (p) => void (p.ports = [{ internal: 18789, external: 18789, ip: "0.0.0.0" }]));
        assert.equal((await check(policy("published-port-allowlisted"), open)).status, "fail");
        const declared = await check(policy("published-port-allowlisted"), open, { "published-port-allowlisted": { allowlistedContainers: ["front"] } });
        assert.equal(declared.status, "pass");
    });

    it("prod's 0.0.0.0 port passes only because the haproxy allowlist is visible; without it, it fails", async () => {
        // The rendered haproxy.cfg without its ACL, wherever the command carries it (its stdin).
        const withoutAcl = (text: unknown) => String(text).replace(/.*allowed_clients.*\n/g, "");
        const stripped = change(await recorded("prod"), "openclaw-ingress-conf", (p) => {
            p.stdin = withoutAcl(p.stdin);
        });
        const result = await check(policy("published-port-allowlisted"), stripped);
        assert.equal(result.status, "fail");
        assert.match(result.violations[0].message, /openclaw-ingress: publishes 0\.0\.0\.0:18789/);
    });

    it("an unknown value during preview is advisory ('can't run during preview'), not a violation", async () => {
        const preview = change(rawStack(), "openclaw", (p) => void (p.envs = [UNKNOWN_STRING, "HTTPS_PROXY=http://squid:3128"]));
        const result = await check(policy("no-plaintext-secret-env"), preview);
        assert.equal(result.status, "unknown");
        assert.deepEqual(result.violations, []);
        assert.match(result.notes[0], /can't be known during preview/);
        // The unknown token does not stop the container policies from recognising and checking the gateway.
        assert.equal((await check(policy("container-read-only-root"), preview)).status, "pass");
        const user = change(rawStack(), "openclaw", (p) => void (p.user = UNKNOWN_STRING));
        assert.equal((await check(policy("container-non-root-user"), user)).status, "unknown");
    });

    it("under the engine (secrets unwrapped) a generated token passes through its dependency, a literal does not", async () => {
        const unwrapped = change(rawStack(), "openclaw", (p) => void (p.envs = (p.envs as { value: string[] }).value));
        assert.equal((await check(policy("no-plaintext-secret-env"), unwrapped)).status, "fail");
        const token = { type: "random:index/randomBytes:RandomBytes", name: "gateway-token", custom: true, inputs: { length: 32 }, state: {} };
        const generated = [...unwrapped, token].map((r) => (r.name === "openclaw" ? { ...r, propertyDependencies: { envs: ["gateway-token"] } } : r));
        assert.equal((await check(policy("no-plaintext-secret-env"), generated)).status, "pass");
    });

    it("resource arguments have the @pulumi/policy 1.21 shape (notApplicable, stackTags)", () => {
        const args = resourceArgs(rawStack()[0], "dev", {});
        assert.equal(typeof args.notApplicable, "function");
        assert.ok(args.stackTags instanceof Map);
        assert.throws(() => args.notApplicable("because"), /because/);
    });
});
