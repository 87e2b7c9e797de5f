import { strict as assert } from "node:assert";
import { parseSettings, SettingsError } from "../../components/settings/parse";
import type { DeploymentSettingsInput } from "../../components/settings/schema";
import * as fs from "node:fs";
import * as path from "node:path";
import { withSettingsReference } from "../../components/settings/reference";

/** Each refused setting, the field its message must name, a fragment of the fix, and a valid neighbour. */
const refusals: { what: string; bad: unknown; field: string; says: RegExp; neighbour: DeploymentSettingsInput }[] = [
    { what: "auth none", bad: { gateway: { auth: "none" } }, field: "settings.gateway.auth", says: /token auth is the default/, neighbour: { gateway: { auth: "token" } } },
    { what: "no token at all", bad: { gateway: { tokens: {} } }, field: "settings.gateway.tokens", says: /at least one token/, neighbour: { gateway: { tokens: { ops: {} } } } },
    {
        what: "a token written in config",
        bad: { gateway: { tokens: { admin: { value: "0123456789abcdef0123456789abcdef" } } } },
        field: "settings.gateway.tokens.admin.value",
        says: /pulumi config set --secret/,
        neighbour: { gateway: { tokens: { admin: { source: "secret-config" } } } },
    },
    {
        what: "narrower token scopes than OpenClaw can enforce",
        bad: { gateway: { tokens: { chat: { scopes: ["operator.read"] } } } },
        field: "settings.gateway.tokens.chat.scopes",
        says: /every operator scope/,
        neighbour: { gateway: { tokens: { chat: {} } } },
    },
    ...["sh", "bash", "zsh", "node", "python3", "python3.12", "perl", "ruby", "env", "xargs", "busybox"].map((shell) => ({
        what: `the interpreter ${shell} in the exec allowlist`,
        bad: { rollout: { stage: "exec-allowlist" }, tools: { exec: { enabled: true, allowCommands: ["git", shell] } } },
        field: "settings.tools.exec.allowCommands[1]",
        says: /shell or interpreter/,
        neighbour: { rollout: { stage: "exec-allowlist" as const }, tools: { exec: { enabled: true, allowCommands: ["git", "pytest"] } } },
    })),
    {
        what: "a command both allowed and denied",
        bad: { rollout: { stage: "exec-allowlist" }, tools: { exec: { enabled: true, allowCommands: ["git", "mkfs"] } } },
        field: "settings.tools.exec.allowCommands[1]",
        says: /both allowed and denied/,
        neighbour: { rollout: { stage: "exec-allowlist" as const }, tools: { exec: { enabled: true, allowCommands: ["git", "make"] } } },
    },
    {
        what: "exec before its rollout stage",
        bad: { tools: { exec: { enabled: true, allowCommands: ["git"] } } },
        field: "settings.tools.exec.enabled",
        says: /rollout\.stage to 'exec-allowlist'/,
        neighbour: { rollout: { stage: "exec-allowlist" as const }, tools: { exec: { enabled: true, allowCommands: ["git"] } } },
    },
    {
        what: "a writable path outside the allowed paths",
        bad: { rollout: { stage: "workspace-write" }, filesystem: { writablePaths: ["/opt/projects/x"] } },
        field: "settings.filesystem.writablePaths[0]",
        says: /outside every allowed path/,
        neighbour: { rollout: { stage: "workspace-write" as const }, filesystem: { writablePaths: ["/opt/openclaw/workspace/temp"] } },
    },
    ...["/home/alice/.ssh", "/home/alice/.aws/credentials", "/srv/.config", "/etc", "/root", "/", "/home/alice", "/var/run/docker.sock", "/run"].map((hostPath) => ({
        what: `a mount of ${hostPath}`,
        bad: { container: { mounts: [{ hostPath, containerPath: "/opt/openclaw/workspace/project" }] } },
        field: "settings.container.mounts[0].hostPath",
        says: /cannot be mounted/,
        neighbour: { container: { mounts: [{ hostPath: "/srv/projects/app", containerPath: "/opt/openclaw/workspace/project" }] } },
    })),
    {
        what: "a writable mount not granted",
        bad: { container: { mounts: [{ hostPath: "/srv/app", containerPath: "/opt/openclaw/workspace/app", readOnly: false }] } },
        field: "settings.container.mounts[0].readOnly",
        says: /writablePaths/,
        neighbour: { container: { mounts: [{ hostPath: "/srv/app", containerPath: "/opt/openclaw/workspace/app", readOnly: true }] } },
    },
    {
        what: "a published 0.0.0.0 without IP allowlist",
        bad: { gateway: { publish: { address: "0.0.0.0", port: 18789 } } },
        field: "settings.gateway.publish.address",
        says: /ipAllowlist/,
        neighbour: { gateway: { publish: { address: "0.0.0.0", port: 18789 }, ipAllowlist: ["203.0.113.0/24"] } },
    },
    ...[
        ["1.2.3.4", /IP literals/],
        ["[2001:db8::1]", /IP literals/],
        [".com", /bare top-level domain/],
        ["com", /bare top-level domain/],
        ["*", /wildcards/],
        ["*.github.com", /wildcards/],
        [".", /wildcards/],
    ].map(([entry, says]) => ({
        what: `the egress entry ${String(entry)}`,
        bad: { egress: { allowedDomains: [".anthropic.com", entry] } },
        field: "settings.egress.allowedDomains[1]",
        says: says as RegExp,
        neighbour: { egress: { allowedDomains: [".anthropic.com", ".github.com"] } },
    })),
    {
        what: "an open DM policy",
        bad: { channels: { telegram: { dmPolicy: "open" } } },
        field: "settings.channels.telegram.dmPolicy",
        says: /allowlist/,
        neighbour: { channels: { telegram: { dmPolicy: "allowlist", allowFrom: ["42"] } } },
    },
    {
        what: "a guide key that OpenClaw does not have",
        bad: { gateway: { mentionGating: true } },
        field: "settings.gateway",
        says: /unknown field 'mentionGating'/,
        neighbour: { gateway: {} },
    },
];

function problemsOf(raw: unknown): string[] {
    try {
        parseSettings(raw);
    } catch (e) {
        assert.ok(e instanceof SettingsError, `expected SettingsError, got ${String(e)}`);
        return e.problems;
    }
    return [];
}

describe("settings: refused before anything is deployed", () => {
    it("accepts no settings at all and applies the guide's defaults", () => {
        const s = parseSettings({});
        assert.equal(s.container.cpus, 2);
        assert.equal(s.container.memoryMb, 4096);
        assert.equal(s.rollout.stage, "read-only");
        assert.deepEqual(s.egress.allowedDomains, [".anthropic.com", ".github.com", ".npmjs.com"]);
        assert.equal(s.logging.audit, true);
        assert.equal(s.gateway.auth, "token");
        assert.equal(s.tools.exec.enabled, false);
        assert.equal(s.tools.browser, false);
    });

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

    it("lists every problem at once, not only the first", () => {
        const problems = problemsOf({ gateway: { auth: "none" }, egress: { allowedDomains: ["*"] } });
        assert.equal(problems.length, 2);
    });

    it("says nothing was deployed", () => {
        assert.throws(() => parseSettings({ gateway: { auth: "none" } }), /nothing was deployed/);
    });
});

describe("settings reference in the README", () => {
    it("is the one generated from the schema (run `npm run docs` after changing the schema)", () => {
        const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
        assert.equal(readme, withSettingsReference(readme));
    });
});
