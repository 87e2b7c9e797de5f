import { unregistrableDomainReason } from "../../policy/api";

/**
 * Why `entry` cannot be an egress allowlist entry, or undefined when it is a valid squid dstdomain:
 * `api.example.com` allows that host only, `.example.com` it and every subdomain. The judge is the policy
 * pack's (registrable domains of the public internet, by the Public Suffix List), so the settings refuse
 * exactly the entries the pack would flag at preview; the settings add the fix and ask for lowercase, the
 * spelling squid.conf is rendered in.
 */
export function invalidDomainReason(entry: string): string | undefined {
    if (entry !== entry.toLowerCase()) return `not a lowercase domain name; write '${entry.toLowerCase()}'`;
    const why = unregistrableDomainReason(entry);
    return why && `${why}; allow the service's own domain instead, e.g. '.anthropic.com' (it and its subdomains) or 'api.anthropic.com' (that host only)`;
}
