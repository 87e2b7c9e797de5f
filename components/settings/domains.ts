import { isIP } from "node:net";
import { parse } from "tldts";

/** Top-level domains in the Public Suffix List that name no public service: .arpa (home.arpa, reverse DNS) and .onion (Tor). */
const SPECIAL_USE = ["arpa", "onion"];

/**
 * Why `entry` cannot be an egress allowlist entry, or undefined when it is a valid squid dstdomain.
 * `example.com` allows that host only; `.example.com` allows it and every subdomain. The policy pack
 * judges squid.conf's dstdomain entries the same way with its own copy; a test holds both to the same answers.
 */
export function invalidDomainReason(entry: string): string | undefined {
    const host = entry.startsWith(".") ? entry.slice(1) : entry;
    if (entry.includes("*") || entry === "." || entry === "") {
        return "wildcards match everything; write '.example.com' to allow a domain and its subdomains";
    }
    if (isIP(host.replace(/^\[|\]$/g, "")) !== 0) {
        return "IP literals bypass the domain allowlist; allow the service's domain name instead";
    }
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(host)) {
        return "not a lowercase domain name such as 'api.anthropic.com' or '.github.com'";
    }
    // The Public Suffix List, private section included, is the judge of who owns a name: under a public
    // suffix (com, co.uk, github.io) anyone can register a domain, so allowing it allows strangers' hosts.
    const name = parse(host, { allowPrivateDomains: true });
    if (!name.isIcann && !name.isPrivate) {
        return `'${host}' does not end in a public suffix, so it is not a name of the public internet (local, internal or made up); allow the public domain of the service, e.g. '.anthropic.com'`;
    }
    if (name.domain === null) {
        return host.includes(".")
            ? `'${host}' is a public suffix: anyone can register a domain under it; name the service's own domain, e.g. '.user.github.io' or '.example.co.uk'`
            : "a bare top-level domain allows a whole TLD; name the service's domain, e.g. '.anthropic.com'";
    }
    const tld = host.slice(host.lastIndexOf(".") + 1);
    if (SPECIAL_USE.includes(tld)) {
        return `'${host}' is under .${tld}, a special-use domain (home networks, reverse DNS, Tor) and no service of the public internet; allow the service's public domain`;
    }
    return undefined;
}
