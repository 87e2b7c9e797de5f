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
}

/** True when the text looks like a squid configuration (it has access rules). */
export function isSquidConf(text: string): boolean {
    return /^\s*http_access\s+(allow|deny)\b/m.test(text);
}

export function squidRules(text: string): SquidRules {
    const acls = new Map<string, SquidAcl>();
    const allows: AllowRule[] = [];
    for (const raw of text.split("\n")) {
        const line = raw.replace(/#.*$/, "").trim();
        const words = line.split(/\s+/);
        if (words[0] === "acl" && words.length >= 3) {
            // Repeated `acl name type ...` lines add to one ACL; flags (-i, -n) are not values.
            const [, name, type, ...values] = words;
            const acl = acls.get(name) ?? { type, values: [] };
            acl.values.push(...values.filter((v) => !v.startsWith("-")));
            acls.set(name, acl);
        } else if (words[0] === "http_access" && words[1] === "allow") {
            allows.push({ line, acls: words.slice(2).filter((w) => !w.startsWith("!")) });
        }
    }
    return { allows, acls };
}
