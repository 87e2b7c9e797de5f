import { strict as assert } from "node:assert";
import { parseSettings, SettingsError } from "../../components/settings/parse";
import { policies } from "../../policy/api";
import { change, check } from "./fixtures";
import { rawStack, SQUID_CONF } from "./rawStack";

/**
 * Allowlists that admit everyone are no allowlists, in the pack as in the settings: the published port's
 * proxy ACL and the egress proxy's dstdomain list, each with a compliant neighbour; and the settings,
 * which judge with the pack's functions, refuse exactly what the pack flags in the rendered proxy config.
 */

const policy = (name: string) => {
    const found = policies.find((p) => p.name === name);
    if (!found) throw new Error(`no policy ${name}`);
    return found;
};

const haproxy = (cidrs: string) => `frontend gateway\n    bind :18789\n    acl allowed_clients src ${cidrs}\n    tcp-request connection reject unless allowed_clients\n`;
const nginx = (allow: string) => `server {\n  listen 18789;\n  allow ${allow};\n  deny all;\n}\n`;

/** The raw stack's front proxy published on `ip`, with `config` (if any) uploaded into it. */
function front(ip: string, config?: string) {
    return change(rawStack(), "front", (p) => {
        p.ports = [{ internal: 18789, external: 18789, ip }];
        if (config !== undefined) p.uploads = [{ file: "/usr/local/etc/haproxy/haproxy.cfg", content: config }];
    });
}

describe("published-port-allowlisted: any address but loopback needs a narrow allowlist", () => {
    const cases: [string, string, string | undefined, RegExp | undefined][] = [
        ["a LAN address, no allowlist", "192.168.1.10", undefined, /publishes 192\.168\.1\.10:18789 beyond loopback with no IP allowlist in front; list your clients' networks/],
        ["a LAN address behind a narrow haproxy ACL", "192.168.1.10", haproxy("192.168.1.0/24"), undefined],
        ["a public IPv6 address, no allowlist", "2001:db8::5", undefined, /2001:db8::5:18789/],
        ["0.0.0.0 behind 0.0.0.0/0", "0.0.0.0", haproxy("0.0.0.0/0"), /is none \(it admits every IPv4 address \(0\.0\.0\.0\/0\)\)/],
        ["0.0.0.0 behind 0.0.0.0/1 + 128.0.0.0/1", "0.0.0.0", haproxy("0.0.0.0/1 128.0.0.0/1"), /every IPv4 address/],
        ["0.0.0.0 behind ::/0", "0.0.0.0", haproxy("::/0"), /every IPv6 address/],
        ["0.0.0.0 behind an ACL read from a file", "0.0.0.0", haproxy("-f /etc/haproxy/clients.lst"), /in a file \(-f\)/],
        ["0.0.0.0 behind two narrow ranges", "0.0.0.0", haproxy("203.0.113.0/25 203.0.113.128/25 2001:db8::/32"), undefined],
        ["0.0.0.0 behind nginx 'allow all'", "0.0.0.0", nginx("all"), /allow all/],
        ["0.0.0.0 behind nginx allow 0.0.0.0/0", "0.0.0.0", nginx("0.0.0.0/0"), /every IPv4 address/],
        ["0.0.0.0 behind a narrow nginx allow", "0.0.0.0", nginx("198.51.100.7"), undefined],
        ["loopback 127.0.0.2, no allowlist", "127.0.0.2", undefined, undefined],
        ["loopback ::1, no allowlist", "::1", undefined, undefined],
    ];
    for (const [what, ip, config, refused] of cases) {
        it(`${refused ? "refuses" : "accepts"} ${what}`, async () => {
            const result = await check(policy("published-port-allowlisted"), front(ip, config));
            if (!refused) return assert.deepEqual(result.violations, []);
            assert.equal(result.status, "fail");
            assert.match(result.violations.map((v) => v.message).join("\n"), refused);
        });
    }
});

/** The raw stack's squid with `conf` uploaded as its squid.conf. */
const squid = (conf: string) => change(rawStack(), "squid", (p) => void (p.uploads = [{ file: "/etc/squid/squid.conf", content: conf }]));
const withDomains = (domains: string) => SQUID_CONF.replace(/dstdomain .*/, `dstdomain ${domains}`);

describe("egress-allowlist-domains: squid.conf allows registrable public domains only", () => {
    const cases: [string, string, RegExp | undefined][] = [
        [".com", withDomains(".anthropic.com .com"), /dstdomain '\.com' is a public suffix/],
        ["co.uk", withDomains("co.uk"), /public suffix/],
        [".github.io", withDomains(".github.io"), /public suffix/],
        ["localhost", withDomains("localhost"), /'localhost' is not a name of the public internet/],
        ["foo.internal", withDomains(".foo.internal"), /not a name of the public internet/],
        ["an IP literal", withDomains("203.0.113.9"), /IP literal/],
        ["a domain file the stack does not show", withDomains('"/etc/squid/domains.txt"'), /a file the stack does not show/],
        ["http_access allow all", SQUID_CONF.replace("http_access deny all", "http_access allow all"), /'http_access allow all' lets every request out/],
        ["a dstdom_regex allow", `${SQUID_CONF}acl any_host dstdom_regex .\nhttp_access allow any_host\n`, /dstdom_regex\) cannot be judged/],
        ["user.github.io and .anthropic.com", withDomains("user.github.io .anthropic.com -i Api.GitHub.com"), undefined],
        // A dst ACL resolves the name: before the unlisted names are refused, a refused request still sends its name to DNS.
        ["a destination check before the allowlist refuses", SQUID_CONF.replace("http_access deny !allowed_domains", "acl private_dst dst 10.0.0.0/8\nhttp_access deny private_dst\nhttp_access deny !allowed_domains"), /'http_access deny private_dst' looks up every name asked \(acl private_dst is dst\)/],
        ["a destination check after it", SQUID_CONF.replace("http_access deny !allowed_domains", "http_access deny !allowed_domains\nacl private_dst dst 10.0.0.0/8\nhttp_access deny private_dst"), undefined],
        ["a destination check behind the allowlist in its own rule", SQUID_CONF.replace("http_access deny !allowed_domains\n", "acl private_dst dst 10.0.0.0/8\n").replace("http_access allow allowed_domains", "http_access allow allowed_domains !private_dst"), undefined],
    ];
    for (const [what, conf, refused] of cases) {
        it(`${refused ? "refuses" : "accepts"} ${what}`, async () => {
            const result = await check(policy("egress-allowlist-domains"), squid(conf));
            if (!refused) return assert.equal(result.status, "pass");
            assert.equal(result.status, "fail");
            assert.match(result.violations.map((v) => v.message).join("\n"), refused);
        });
    }

    it("a deny rule's ACL is no allowlist: a public suffix denied is fine", async () => {
        const conf = SQUID_CONF.replace("http_access deny !allowed_domains", "acl blocked dstdomain .onion .com\nhttp_access deny blocked");
        assert.equal((await check(policy("egress-allowlist-domains"), squid(conf))).status, "pass");
    });

    it("an unlabelled squid is judged once named in proxyContainers; unnamed, the policy does not apply", async () => {
        const unlabelled = change(squid(withDomains(".com")), "squid", (p) => void (p.labels = []));
        assert.equal((await check(policy("egress-allowlist-domains"), unlabelled)).status, "n/a");
        const named = await check(policy("egress-allowlist-domains"), unlabelled, { "egress-allowlist-domains": { proxyContainers: ["squid"] } });
        assert.equal(named.status, "fail");
    });
});

/** The settings' problem for `field` when parsing `raw`, or undefined when the settings accept it. */
function settingsProblem(raw: unknown, field: string): string | undefined {
    try {
        parseSettings(raw);
        return undefined;
    } catch (e) {
        assert.ok(e instanceof SettingsError, String(e));
        return e.problems.find((p) => p.startsWith(`${field}:`) || p.startsWith(`${field}[`));
    }
}

describe("the settings refuse what the pack flags, and accept what it passes", () => {
    it("egress entries: the settings' egress.allowedDomains against the pack's squid.conf dstdomain", async () => {
        const corpus = [".com", "com", "co.uk", ".co.uk", "github.io", ".github.io", "user.github.io", ".user.github.io", "localhost", "foo.internal", "nas.home.arpa", "x.onion", "foo.test", "example.local", "api.anthropic.com", ".anthropic.com", ".npmjs.com", "s3.amazonaws.com", "bucket.s3.amazonaws.com", ".example.co.uk", "1.2.3.4", "[2001:db8::1]", "*", "*.github.com", ".", "a_b.com", "xn--bcher-kva.com"];
        const disagree: string[] = [];
        for (const d of corpus) {
            const bySettings = settingsProblem({ egress: { allowedDomains: [d] } }, "settings.egress.allowedDomains");
            const byPack = (await check(policy("egress-allowlist-domains"), squid(withDomains(d)))).violations;
            if ((bySettings === undefined) !== (byPack.length === 0)) disagree.push(`${d}: settings ${bySettings ?? "accept"}, pack ${byPack.length ? "flags" : "passes"}`);
        }
        assert.deepEqual(disagree, []);
    });

    it("IP allowlists: the settings' gateway.ipAllowlist against the pack's haproxy ACL on 0.0.0.0", async () => {
        const lists = [["0.0.0.0/0"], ["::/0"], ["0.0.0.0/1", "128.0.0.0/1"], ["0.0.0.0/1"], ["::ffff:0:0/96"], ["::/1", "8000::/1"], ["203.0.113.0/24"], ["::ffff:0.0.0.0/97", "::ffff:128.0.0.0/97"], ["2001:db8::/32", "10.0.0.0/8"]];
        const disagree: string[] = [];
        for (const l of lists) {
            const bySettings = settingsProblem({ gateway: { publish: { address: "0.0.0.0", port: 18789 }, ipAllowlist: l } }, "settings.gateway.ipAllowlist");
            const byPack = (await check(policy("published-port-allowlisted"), front("0.0.0.0", haproxy(l.join(" "))))).violations;
            if ((bySettings === undefined) !== (byPack.length === 0)) disagree.push(`${l.join(" ")}: settings ${bySettings ?? "accept"}, pack ${byPack.length ? "flags" : "passes"}`);
        }
        assert.deepEqual(disagree, []);
    });
});
