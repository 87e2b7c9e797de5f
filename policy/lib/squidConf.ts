/**
 * What a squid.conf lets through: the `http_access allow` rules and the ACLs they require. Only ACLs a
 * rule requires (not negated) narrow it; a deny rule's ACLs say nothing about what is allowed.
 */
export interface AllowRule {
    line: string;
    /** The ACL names the rule requires, in order. */
    acls: string[];
}

export interface SquidAcl {
    type: string;
    values: string[];
}

export interface SquidRules {
    allows: AllowRule[];
    acls: Map<string, SquidAcl>;
    /** Every `http_access` rule in order, its ACL names as written (`!` kept). */
    rules: { line: string; action: "allow" | "deny"; acls: string[] }[];
}

/** True when the text looks like a squid configuration (it has access rules). */
export function isSquidConf(text: string): boolean {
    return /^\s*http_access\s+(allow|deny)\b/m.test(text);
}

export function squidRules(text: string): SquidRules {
    const acls = new Map<string, SquidAcl>();
    const allows: AllowRule[] = [];
    const rules: SquidRules["rules"] = [];
    for (const raw of text.split("\n")) {
        const line = raw.replace(/#.*$/, "").trim();
        const words = line.split(/\s+/);
        if (words[0] === "acl" && words.length >= 3) {
            // Repeated `acl name type ...` lines add to one ACL; flags (-i, -n) are not values.
            const [, name, type, ...values] = words;
            const acl = acls.get(name) ?? { type, values: [] };
            acl.values.push(...values.filter((v) => !v.startsWith("-")));
            acls.set(name, acl);
        } else if (words[0] === "http_access" && (words[1] === "allow" || words[1] === "deny")) {
            rules.push({ line, action: words[1], acls: words.slice(2) });
            if (words[1] === "allow") allows.push({ line, acls: words.slice(2).filter((w) => !w.startsWith("!")) });
        }
    }
    return { allows, acls, rules };
}

/**
 * The first rule that looks up a name the allowlist does not hold: a `dst` ACL (a destination address, so
 * squid resolves the name) met before `http_access deny !<dstdomain ACL>` has refused the names off the list,
 * and not behind a dstdomain ACL of its own rule (squid stops at a rule's first ACL that does not match).
 * Such a lookup sends the name out to DNS even for a request squid then refuses: a channel for a secret
 * written into the name. Undefined when no rule does.
 */
export function lookupBeforeAllowlist({ rules, acls }: SquidRules): { line: string; acl: string } | undefined {
    const typeOf = (name: string) => acls.get(name.replace(/^!/, ""))?.type;
    for (const rule of rules) {
        if (rule.action === "deny" && rule.acls.length === 1 && rule.acls[0].startsWith("!") && typeOf(rule.acls[0]) === "dstdomain") return undefined;
        for (const name of rule.acls) {
            if (!name.startsWith("!") && typeOf(name) === "dstdomain") break;
            if (typeOf(name) === "dst") return { line: rule.line, acl: name.replace(/^!/, "") };
        }
    }
    return undefined;
}

/** Source values that match every client. */
const EVERY_CLIENT = new Set(["all", "0.0.0.0/0", "0/0", "::/0", "0.0.0.0/0.0.0.0"]);

/**
 * Why the proxy would serve a client from anywhere, or undefined when its first rule refuses every client outside
 * a `src` ACL (`http_access deny !<src acl>`) that does not itself match every address.
 */
export function servesAnyClient({ rules, acls }: SquidRules): string | undefined {
    const first = rules[0];
    if (!first) return "it has no http_access rule";
    const [only, ...more] = first.acls;
    const acl = only?.startsWith("!") ? acls.get(only.slice(1)) : undefined;
    if (first.action !== "deny" || more.length > 0 || acl?.type !== "src") return `its first rule '${first.line}' does not refuse the clients outside a src ACL`;
    const every = acl.values.find((v) => EVERY_CLIENT.has(v));
    return every ? `its clients' ACL ${only.slice(1)} holds ${every}, every address` : undefined;
}
