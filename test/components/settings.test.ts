import { strict as assert } from "node:assert";
import { parseSettings } from "../../components/settings/parse";
import * as fs from "node:fs";
import * as path from "node:path";
import { withSettingsReference } from "../../components/settings/reference";
import { problemsOf, refusalTests, type Refusal } from "../support/refusals";

const WORKSPACE = "/opt/openclaw/workspace";

/** Each refused setting, the field its message must name, a fragment of the fix, and a valid neighbour. */
const refusals: Refusal[] = [
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
        what: "a scope the pinned OpenClaw does not know",
        bad: { gateway: { tokens: { reader: { scopes: ["operator.reed"] } } } },
        field: "settings.gateway.tokens.reader.scopes[0]",
        says: /operator\.read/,
        neighbour: { gateway: { tokens: { reader: { scopes: ["operator.read"] } } } },
    },
    {
        what: "plain http published beyond loopback",
        bad: { gateway: { publish: { address: "192.0.2.10", port: 18789 }, ipAllowlist: ["192.0.2.0/24"], tls: { certificate: "off" } } },
        field: "settings.gateway.tls.certificate",
        says: /in the clear to 192\.0\.2\.10.*'generated'/,
        neighbour: { gateway: { publish: { address: "127.0.0.1", port: 18789 }, tls: { certificate: "off" } } },
    },
    {
        what: "the Control UI on a gateway that is not published",
        bad: { gateway: { controlUi: { enabled: true } } },
        field: "settings.gateway.controlUi.enabled",
        says: /set gateway\.publish/,
        neighbour: { gateway: { publish: { address: "127.0.0.1", port: 18789 }, controlUi: { enabled: true } } },
    },
    ...["sh", "bash", "zsh", "node", "python3", "python3.12", "perl", "ruby", "env", "xargs", "busybox"].map((shell) => ({
        what: `the interpreter ${shell} in the exec allowlist`,
        bad: { rollout: { stage: "git" }, tools: { exec: { allowCommands: ["git status", `${shell} -c true`] } } },
        field: "settings.tools.exec.allowCommands[1]",
        says: /shell or interpreter: any form of it runs any code; it runs only in the sandbox/,
        neighbour: { rollout: { stage: "git" as const }, tools: { exec: { allowCommands: ["git status", "ls *"] } } },
    })),
    {
        what: "exec switched on with no form",
        bad: { rollout: { stage: "git" }, tools: { exec: { enabled: true, allowCommands: [] } } },
        field: "settings.tools.exec.allowCommands",
        says: /list at least one \(e\.g\. 'git status'\), or omit the list to take the stage's/,
        neighbour: { rollout: { stage: "git" as const }, tools: { exec: { enabled: true } } },
    },
    {
        what: "a stage by its earlier name",
        bad: { rollout: { stage: "workspace-write" } },
        field: "settings.rollout.stage",
        says: /'workspace-write' is now called 'draft'/,
        neighbour: { rollout: { stage: "draft" as const } },
    },
    {
        what: "a writable path outside the allowed paths",
        bad: { rollout: { stage: "draft" }, filesystem: { writablePaths: ["/opt/projects/x"] } },
        field: "settings.filesystem.writablePaths[0]",
        says: /outside every allowed path/,
        neighbour: { rollout: { stage: "draft" as const }, filesystem: { writablePaths: ["/opt/openclaw/workspace/temp"] } },
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
        says: /lies in no writable path; set readOnly: true, or list a path holding it in filesystem.writablePaths/,
        neighbour: { filesystem: { writablePaths: ["/opt/openclaw/workspace/app"] }, container: { mounts: [{ hostPath: "/srv/app", containerPath: "/opt/openclaw/workspace/app", readOnly: false }] } },
    },
    {
        what: "a published 0.0.0.0 without IP allowlist",
        bad: { gateway: { publish: { address: "0.0.0.0", port: 18789 } } },
        field: "settings.gateway.publish.address",
        says: /ipAllowlist/,
        neighbour: { gateway: { publish: { address: "0.0.0.0", port: 18789 }, ipAllowlist: ["203.0.113.0/24"] } },
    },
    ...[
        ["1.2.3.4", /an IP literal, which bypasses the domain allowlist; allow the service's own domain instead/],
        ["[2001:db8::1]", /an IP literal/],
        [".com", /a public suffix, under which anyone can register a domain; allow the service's own domain/],
        ["com", /a public suffix/],
        ["*", /a wildcard/],
        ["*.github.com", /a wildcard/],
        [".", /a wildcard/],
    ].map(([entry, says]) => ({
        what: `the egress entry ${String(entry)}`,
        bad: { egress: { allowedDomains: [".anthropic.com", entry] } },
        field: "settings.egress.allowedDomains[1]",
        says: says as RegExp,
        neighbour: { egress: { allowedDomains: [".anthropic.com", ".github.com"] } },
    })),
    {
        what: "a writable path inside an allowed path but outside the workspace",
        bad: { rollout: { stage: "draft" }, filesystem: { allowedPaths: [WORKSPACE, "/data"], writablePaths: ["/data/out"] } },
        field: "settings.filesystem.writablePaths[0]",
        says: /outside the workspace \/opt\/openclaw\/workspace.*mount other data read-only/,
        neighbour: { rollout: { stage: "draft" as const }, filesystem: { allowedPaths: [WORKSPACE, "/data"], writablePaths: [`${WORKSPACE}/out`] } },
    },
    {
        what: "a mount point inside a credential folder",
        bad: { container: { mounts: [{ hostPath: "/srv/keys", containerPath: `${WORKSPACE}/.ssh` }] } },
        field: "settings.container.mounts[0].containerPath",
        says: /cannot be a mount point: it is a denied '\.ssh' folder/,
        neighbour: { container: { mounts: [{ hostPath: "/srv/keys", containerPath: `${WORKSPACE}/keys` }] } },
    },
    ...[
        ["0.0.0.0/0", "[0]", /'0\.0\.0\.0\/0' admits every IPv4 address, which is no allowlist; list your clients' networks/],
        ["::/0", "[0]", /admits every IPv6 address/],
        ["::ffff:0:0/96", "[0]", /admits every IPv4 address \(as IPv4-mapped/],
        ["::/1", "[0]", /admits every IPv4 address \(as IPv4-mapped/],
    ].map(([cidr, at, says]) => ({
        what: `the ip allowlist entry ${String(cidr)}`,
        bad: { gateway: { ipAllowlist: [cidr] } },
        field: `settings.gateway.ipAllowlist${String(at)}`,
        says: says as RegExp,
        neighbour: { gateway: { ipAllowlist: ["203.0.113.0/24", "2001:db8::/32"] } },
    })),
    ...[
        [["0.0.0.0/1", "128.0.0.0/1"], /together these entries admit every IPv4 address/],
        [["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/3", "224.0.0.0/3"], /every IPv4 address/],
    ].map(([cidrs, says]) => ({
        what: `an ip allowlist whose union is everyone (${String(cidrs)})`,
        bad: { gateway: { ipAllowlist: cidrs } },
        field: "settings.gateway.ipAllowlist",
        says: says as RegExp,
        neighbour: { gateway: { ipAllowlist: ["203.0.113.0/25", "203.0.113.128/25", "0.0.0.0/2"] } },
    })),
    ...[["192.168.1.10", []], ["10.0.0.5", ["0.0.0.0/0"]], ["2001:db8::5", []], ["::", ["::/1", "8000::/1"]]].map(([address, ipAllowlist]) => ({
        what: `a gateway published on ${String(address)} without a narrow ip allowlist`,
        bad: { gateway: { publish: { address, port: 18789 }, ipAllowlist } },
        field: "settings.gateway.publish.address",
        says: /set gateway\.ipAllowlist to your client CIDRs \(not one that admits everyone\) or publish on 127\.0\.0\.1/,
        neighbour: { gateway: { publish: { address: String(address), port: 18789 }, ipAllowlist: ["192.168.1.0/24", "2001:db8:1::/48"] } },
    })),
    ...["127.0.0.1", "127.0.0.2", "::1"].map((address) => ({
        what: `the allowlist rule on a loopback publish (${address} with an allow-all list)`,
        bad: { gateway: { publish: { address, port: 18789 }, ipAllowlist: ["0.0.0.0/0"] } },
        field: "settings.gateway.ipAllowlist[0]",
        says: /no allowlist/,
        neighbour: { gateway: { publish: { address, port: 18789 } } },
    })),
    ...[
        ["co.uk", /'co\.uk': a public suffix, under which anyone can register a domain/],
        [".co.uk", /public suffix/],
        ["github.io", /public suffix/],
        [".github.io", /'\.github\.io': a public suffix/],
        ["localhost", /'localhost': not a name of the public internet \(no public suffix/],
        ["foo.internal", /not a name of the public internet/],
        [".corp.internal", /not a name of the public internet/],
        ["nas.home.arpa", /special-use domain/],
        ["Api.Anthropic.com", /not a lowercase domain name; write 'api\.anthropic\.com'/],
    ].map(([entry, says]) => ({
        what: `the egress entry ${String(entry)} (no registrable public domain)`,
        bad: { egress: { allowedDomains: [".anthropic.com", entry] } },
        field: "settings.egress.allowedDomains[1]",
        says: says as RegExp,
        neighbour: { egress: { allowedDomains: [".anthropic.com", "api.anthropic.com", "user.github.io", ".example.co.uk"] } },
    })),
    {
        what: "a web_fetch domain that is a public suffix",
        bad: { tools: { webFetch: { enabled: true, domains: ["docs.python.org", ".github.io"] } } },
        field: "settings.tools.webFetch.domains[1]",
        says: /public suffix/,
        neighbour: { tools: { webFetch: { enabled: true, domains: ["docs.python.org", "user.github.io"] } } },
    },
    ...(["allowFrom", "groupAllowFrom"] as const).flatMap((key) =>
        ["*", " * "].map((wildcard) => ({
            what: `'${wildcard}' in a channel's ${key}`,
            bad: { channels: { telegram: { [key]: ["123456789", wildcard] } } },
            field: `settings.channels.telegram.${key}[1]`,
            says: /'\*' lets anyone .*, which is no allowlist; list the/,
            // requireMentionIn "*" is a restriction (mention gating in every group), not an allowlist.
            neighbour: { channels: { telegram: { allowFrom: ["42"], [key]: ["123456789", "987654321"], requireMentionIn: ["*"] } } },
        })),
    ),
    {
        what: "an open DM policy",
        bad: { channels: { telegram: { dmPolicy: "open" } } },
        field: "settings.channels.telegram.dmPolicy",
        says: /allowlist/,
        neighbour: { channels: { telegram: { dmPolicy: "allowlist", allowFrom: ["42"] } } },
    },
    {
        what: "a DM allowlist with nobody on it (OpenClaw drops every direct message)",
        bad: { channels: { telegram: { groupAllowFrom: ["-100"] } } },
        field: "settings.channels.telegram.allowFrom",
        says: /drops every direct message; list the sender ids .* or set dmPolicy 'pairing' or 'disabled'/,
        neighbour: { channels: { telegram: { dmPolicy: "pairing", groupAllowFrom: ["-100"] } } },
    },
    ...(["allow", "deny"] as const).flatMap((list) =>
        [
            ["raed", /'raed' is not a tool or group of OpenClaw 2026\.9\.6, which ignores names it does not know, so this entry would allow or deny nothing; did you mean 'read'\?/],
            ["group:file", /did you mean 'group:fs'\?/],
            ["bash", /write its canonical name 'exec'/],
            ["*", /'\*' is not a tool or group/],
        ].map(([name, says]) => ({
            what: `the unknown tool name '${String(name)}' in tools.${list}`,
            bad: { tools: { [list]: ["web_search", name] } },
            field: `settings.tools.${list}[1]`,
            says: says as RegExp,
            neighbour: { tools: { [list]: ["web_search", list === "allow" ? "read" : "group:nodes"] } },
        })),
    ),
    {
        what: "a guide key that OpenClaw does not have",
        bad: { gateway: { mentionGating: true } },
        field: "settings.gateway",
        says: /unknown field 'mentionGating'/,
        neighbour: { gateway: {} },
    },
];

describe("settings: refused before anything is deployed", () => {
    it("accepts no settings at all and applies the guide's defaults", () => {
        const s = parseSettings({});
        assert.equal(s.container.cpus, 2);
        assert.equal(s.container.memoryMb, 4096);
        assert.equal(s.rollout.stage, "observe");
        assert.deepEqual(s.egress.allowedDomains, [".anthropic.com", ".github.com", ".npmjs.com"]);
        assert.equal(s.logging.audit, true);
        assert.equal(s.gateway.auth, "token");
        assert.equal(s.tools.exec.enabled, undefined, "exec follows the stage");
        assert.equal(s.tools.browser, false);
    });

    refusalTests(refusals);

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
