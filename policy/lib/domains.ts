import { isIP } from "node:net";
import { parse } from "tldts";

/** Top-level domains in the Public Suffix List that name no public service: .arpa (home.arpa, reverse DNS) and .onion (Tor). */
const SPECIAL_USE = ["arpa", "onion"];

/**
 * Why a squid dstdomain entry is no domain allowlist entry, or undefined when it names one registrable
 * domain of the public internet (`host.example.com`, or `.example.com` with its subdomains). clawcage's
 * settings judge egress entries with this same function, imported through api.ts (the pack imports
 * nothing from the library, so it can be deployed on its own). squid compares names case-insensitively, so case is no reason here.
 */
export function unregistrableDomainReason(entry: string): string | undefined {
    const lower = entry.toLowerCase();
    const host = lower.startsWith(".") ? lower.slice(1) : lower;
    if (lower.includes("*") || lower === "." || lower === "") return "a wildcard, which matches everything";
    if (isIP(host.replace(/^\[|\]$/g, "")) !== 0) return "an IP literal, which bypasses the domain allowlist";
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(host)) return "not a domain name";
    // The Public Suffix List, private section included: under a public suffix (com, co.uk, github.io)
    // anyone can register a domain, so allowing the suffix allows strangers' hosts.
    const name = parse(host, { allowPrivateDomains: true });
    if (!name.isIcann && !name.isPrivate) return "not a name of the public internet (no public suffix: local, internal or made up)";
    if (name.domain === null) return "a public suffix, under which anyone can register a domain";
    if (SPECIAL_USE.includes(host.slice(host.lastIndexOf(".") + 1))) return "under a special-use domain (home networks, reverse DNS, Tor)";
    return undefined;
}
