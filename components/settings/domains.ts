import { isIP } from "node:net";

/**
 * Why `entry` cannot be an egress allowlist entry, or undefined when it is a valid squid dstdomain.
 * `example.com` allows that host only; `.example.com` allows it and every subdomain.
 */
export function invalidDomainReason(entry: string): string | undefined {
    const host = entry.startsWith(".") ? entry.slice(1) : entry;
    if (entry.includes("*") || entry === "." || entry === "") {
        return "wildcards match everything; write '.example.com' to allow a domain and its subdomains";
    }
    if (isIP(host.replace(/^\[|\]$/g, "")) !== 0) {
        return "IP literals bypass the domain allowlist; allow the service's domain name instead";
    }
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(host)) {
        if (/^[a-z0-9-]+$/.test(host)) return "a bare top-level domain allows a whole TLD; name the service's domain, e.g. '.anthropic.com'";
        return "not a lowercase domain name such as 'api.anthropic.com' or '.github.com'";
    }
    return undefined;
}
