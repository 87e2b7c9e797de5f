import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { renderExecApprovals, renderOpenClawConfig } from "../../components/gateway/openclawConfig";
import { renderSquidConf } from "../../components/egress/squidConf";
import { EGRESS_PROXY_URL } from "../../components/egress/egressProxy";
import { renderHaproxyCfg } from "../../components/ingress/haproxyCfg";
import { accountIdentity, renderAccountCreateScript, renderAccountDeleteScript } from "../../components/host/hostScript";
import { hostLayout } from "../../components/host/layout";
import { effectiveToolPolicy } from "../../components/gateway/toolPolicy";
import { parseSettings } from "../../components/settings/parse";
import { invalidDomainReason } from "../../components/settings/domains";
import { PINNED_OPENCLAW_VERSION, ROLLOUT_STAGES } from "../../components/settings/constants";
import { expandToolNames, OPENCLAW_TOOL_IDS, OPENCLAW_TOOLS_VERSION, unknownToolNameReason } from "../../policy/api";

const GOLDEN = path.join(__dirname, "golden");

/** Compares with the committed golden file; UPDATE_GOLDEN=1 rewrites it (review the diff before committing). */
function golden(file: string, actual: string): void {
    const target = path.join(GOLDEN, file);
    if (process.env.UPDATE_GOLDEN === "1") fs.writeFileSync(target, actual);
    assert.equal(actual, fs.readFileSync(target, "utf8"), `${file} differs from its golden copy`);
}

const defaults = parseSettings({});

describe("renderers: golden output for the default settings", () => {
    it("openclaw.json", () => golden("openclaw.default.json", JSON.stringify(renderOpenClawConfig(defaults, EGRESS_PROXY_URL), null, 2) + "\n"));
    it("exec-approvals.json", () => golden("exec-approvals.default.json", JSON.stringify(renderExecApprovals(defaults), null, 2) + "\n"));
    it("squid.conf", () => golden("squid.default.conf", renderSquidConf({ allowedDomains: defaults.egress.allowedDomains, port: 3128, clientSubnets: [defaults.network.internalSubnet], logDir: "/var/log/clawcage", relays: [], keysFile: "/etc/clawcage/model-keys.conf" })));
    it("haproxy.cfg", () => golden("haproxy.allowlist.cfg", renderHaproxyCfg({
        listenPort: 18789,
        routes: [{ upstreamHost: "openclaw-gateway", internalSubnet: defaults.network.internalSubnet }],
        upstreamPort: 18789,
        ipAllowlist: ["203.0.113.0/24"],
        rateLimit: { maxAttempts: 5, windowSeconds: 60, lockoutSeconds: 300 },
        clientTokenMap: "/etc/clawcage/tokens.map",
        scopes: { admin: ["operator.admin", "operator.read"], reader: ["operator.read"] },
        certificate: "/etc/clawcage/ingress.pem",
    })));
    it("host account create script", () => golden("host-create.default.sh", renderAccountCreateScript(accountIdentity(defaults), hostLayout(defaults))));
    it("host account delete script", () => golden("host-delete.default.sh", renderAccountDeleteScript(accountIdentity(defaults), hostLayout(defaults), false)));
});

const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);
const domainArb = fc.tuple(fc.boolean(), fc.array(label, { minLength: 1, maxLength: 2 }), fc.constantFrom("com", "org", "io", "dev")).map(([wide, parts, tld]) => `${wide ? "." : ""}${parts.join(".")}.${tld}`)
    // Some generated names are public suffixes themselves (us.org, js.org): valid settings never hold them.
    .filter((d) => invalidDomainReason(d) === undefined);
const settingsArb = fc
    .record({
        stage: fc.constantFrom(...ROLLOUT_STAGES),
        exec: fc.boolean(),
        commands: fc.uniqueArray(fc.constantFrom("git status", "git log *", "npm test", "yarn test", "pytest tests", "ls *", "make test"), { minLength: 1, maxLength: 4 }),
        browser: fc.boolean(),
        writable: fc.boolean(),
        domains: fc.uniqueArray(domainArb, { minLength: 1, maxLength: 6 }),
        allow: fc.uniqueArray(fc.constantFrom("read", "web_search", "write", "edit", "exec", "browser", "memory_search"), { maxLength: 5 }),
    })
    .map((r) =>
        parseSettings({
            rollout: { stage: r.stage },
            tools: {
                allow: r.allow.filter((t) => t !== "exec" && (t !== "browser" || r.browser)),
                browser: r.browser,
                exec: { enabled: r.exec, allowCommands: r.commands },
            },
            filesystem: { writablePaths: r.writable ? ["/opt/openclaw/workspace/temp"] : [] },
            egress: { allowedDomains: r.domains },
        }),
    );

/** The parts of openclaw.json that close what the pinned OpenClaw leaves open by default. */
interface RenderedDefaults {
    tools: { allow: string[]; deny: string[]; exec: { safeBins: string[] } };
    gateway: { tools: { deny: string[] }; nodes: { pairing: { autoApproveLocal: boolean } } };
    browser: { enabled: boolean };
}

describe("renderers: properties over generated valid settings", () => {
    it("never allows a tool that the rollout stage withholds; deny always covers it", () => {
        fc.assert(
            fc.property(settingsArb, (s) => {
                const cfg = renderOpenClawConfig(s, EGRESS_PROXY_URL) as { tools: { allow: string[]; deny: string[]; exec: { mode: string } } };
                const t = cfg.tools;
                for (const tool of t.allow) assert.ok(!t.deny.includes(tool), `${tool} both allowed and denied`);
                if (s.rollout.stage === "observe" || s.filesystem.writablePaths?.length === 0) {
                    for (const w of ["write", "edit", "apply_patch"]) assert.ok(t.deny.includes(w));
                }
                if (s.rollout.stage === "observe" || s.rollout.stage === "draft" || !s.tools.exec.enabled) {
                    assert.equal(t.exec.mode, "deny");
                    assert.ok(t.deny.includes("group:runtime"));
                    assert.deepEqual(effectiveToolPolicy(s).execForms, []);
                }
                if (!s.tools.browser) assert.ok(t.deny.includes("browser"));
            }),
        );
    });

    it("names only tools of the pinned OpenClaw, and denies every core tool it does not grant by exact name at the gateway", () => {
        fc.assert(
            fc.property(settingsArb, (s) => {
                const cfg = renderOpenClawConfig(s, EGRESS_PROXY_URL) as unknown as RenderedDefaults;
                for (const name of [...cfg.tools.allow, ...cfg.tools.deny]) assert.equal(unknownToolNameReason(name), undefined);
                const usable = expandToolNames(cfg.tools.allow).filter((t) => !expandToolNames(cfg.tools.deny).includes(t));
                assert.deepEqual([...cfg.gateway.tools.deny, ...usable].sort(), [...OPENCLAW_TOOL_IDS]);
                assert.equal(cfg.browser.enabled, s.tools.browser);
                assert.deepEqual(cfg.tools.exec.safeBins, []);
                assert.equal(cfg.gateway.nodes.pairing.autoApproveLocal, false);
            }),
        );
    });

    it("the tool catalogue is the pinned version's (regenerate it with scripts/tool-catalog.mjs after a bump)", () => {
        assert.equal(OPENCLAW_TOOLS_VERSION, PINNED_OPENCLAW_VERSION);
        // Negative control for the name check: a near miss is refused, its correction is not.
        assert.match(unknownToolNameReason("web_serch") ?? "", /did you mean 'web_search'/);
        assert.ok(OPENCLAW_TOOL_IDS.includes("read") && OPENCLAW_TOOL_IDS.includes("exec"));
    });

    it("squid.conf: every deny precedes the one allow, which lists every allowed domain, and ends with deny all", () => {
        fc.assert(
            fc.property(settingsArb, (s) => {
                const conf = renderSquidConf({ allowedDomains: s.egress.allowedDomains, port: 3128, clientSubnets: [s.network.internalSubnet], logDir: "/x", relays: [], keysFile: "/x/keys.conf" });
                const rules = conf.split("\n").filter((l) => l.startsWith("http_access"));
                assert.equal(rules.filter((r) => r.startsWith("http_access allow")).length, 1);
                assert.equal(rules.at(-2), "http_access allow allowed_domains");
                assert.equal(rules.at(-1), "http_access deny all");
                const listed = /acl allowed_domains dstdomain (.*)/.exec(conf)?.[1].split(" ") ?? [];
                for (const d of s.egress.allowedDomains) {
                    assert.ok(listed.some((l) => l === d || (l.startsWith(".") && (d === l.slice(1) || d.endsWith(l)))), `${d} not covered`);
                }
                for (const l of listed) assert.equal(invalidDomainReason(l), undefined);
            }),
        );
    });

    it("host script: creates every folder of the layout with an explicit owner and mode, idempotently", () => {
        fc.assert(
            fc.property(settingsArb, (s) => {
                const layout = hostLayout(s);
                const script = renderAccountCreateScript(accountIdentity(s), layout);
                for (const f of layout.folders) {
                    assert.ok(script.includes(`install -d -o 'clawuser' -g 'openclaw' -m ${f.mode} '${f.path}'`), f.path);
                }
                // Every creation is guarded, so a second run changes nothing.
                assert.match(script, /getent group 'openclaw' >\/dev\/null \|\| groupadd/);
                assert.match(script, /id -u 'clawuser' >\/dev\/null 2>&1 \|\| useradd/);
            }),
        );
    });
});
