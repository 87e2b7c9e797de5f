import { isIPv4, isIPv6 } from "node:net";

/**
 * Whether a list of client CIDRs admits every address: then it is no allowlist at all. clawcage's settings
 * refuse such a gateway.ipAllowlist with this same function, imported through api.ts (the pack imports
 * nothing from the library, so it can be deployed on its own).
 */

type Family = "IPv4" | "IPv6";
interface Range {
    family: Family;
    first: bigint;
    last: bigint;
}

const BITS: Record<Family, number> = { IPv4: 32, IPv6: 128 };

function v4Value(address: string): bigint {
    return address.split(".").reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function v6Value(address: string): bigint {
    // An embedded dotted quad (::ffff:1.2.3.4) is two groups.
    const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address)?.[1];
    const quad = dotted === undefined ? 0n : v4Value(dotted);
    const text = dotted === undefined ? address : `${address.slice(0, -dotted.length)}${(quad >> 16n).toString(16)}:${(quad & 0xffffn).toString(16)}`;
    const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
    const groups = (s: string) => (s === "" ? [] : s.split(":"));
    const left = groups(head);
    const right = tail === undefined ? [] : groups(tail);
    const all = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
    return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** The addresses a CIDR (or a bare address) covers, or undefined when it is neither. */
export function cidrRange(cidr: string): Range | undefined {
    const [address, prefixText] = cidr.trim().split("/");
    const family: Family | undefined = isIPv4(address) ? "IPv4" : isIPv6(address) ? "IPv6" : undefined;
    if (!family) return undefined;
    const bits = BITS[family];
    const prefix = prefixText === undefined ? bits : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) return undefined;
    const value = family === "IPv4" ? v4Value(address) : v6Value(address);
    const hostBits = BigInt(bits - prefix);
    const first = (value >> hostBits) << hostBits;
    return { family, first, last: first + (1n << hostBits) - 1n };
}

// IPv4 clients are matched against IPv6 entries as ::ffff:a.b.c.d (haproxy does so), so that part of
// an IPv6 entry admits IPv4 clients too.
const MAPPED_V4 = { first: 0xffffn << 32n, last: (0xffffn << 32n) | 0xffffffffn };

function asIPv4(r: Range): Range | undefined {
    if (r.family === "IPv4") return r;
    const first = r.first > MAPPED_V4.first ? r.first : MAPPED_V4.first;
    const last = r.last < MAPPED_V4.last ? r.last : MAPPED_V4.last;
    return first <= last ? { family: "IPv4", first: first - MAPPED_V4.first, last: last - MAPPED_V4.first } : undefined;
}

function coversAll(ranges: Range[], family: Family): boolean {
    const end = (1n << BigInt(BITS[family])) - 1n;
    let next = 0n;
    for (const r of [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0))) {
        if (r.first > next) return false;
        if (r.last + 1n > next) next = r.last + 1n;
        if (next > end) return true;
    }
    return false;
}

/** "every IPv4 address" / "every IPv6 address" when the CIDRs together admit a whole family, else undefined. */
export function admitsEveryone(cidrs: readonly string[]): string | undefined {
    const ranges = cidrs.map(cidrRange).filter((r): r is Range => r !== undefined);
    if (coversAll(ranges.filter((r) => r.family === "IPv6"), "IPv6")) return "every IPv6 address";
    if (coversAll(ranges.filter((r) => r.family === "IPv4"), "IPv4")) return "every IPv4 address";
    const mapped = ranges.map(asIPv4).filter((r): r is Range => r !== undefined);
    if (coversAll(mapped, "IPv4")) return "every IPv4 address (as IPv4-mapped ::ffff:0:0/96)";
    return undefined;
}

/** True for an address on the host's loopback interface (127.0.0.0/8, ::1, ::ffff:127.x.y.z). */
export function isLoopback(address: string): boolean {
    const r = cidrRange(address);
    const v4 = r && asIPv4(r);
    if (v4) return v4.first >> 24n === 127n;
    return r !== undefined && r.family === "IPv6" && r.first === 1n;
}

/** True when two CIDRs of one family share an address (two networks that would clash on one host). */
export function cidrsOverlap(a: string, b: string): boolean {
    const x = cidrRange(a);
    const y = cidrRange(b);
    return x !== undefined && y !== undefined && x.family === y.family && x.first <= y.last && y.first <= x.last;
}

/** True when every address of `inner` (a CIDR or one address) lies in `outer`, both of one family. */
export function cidrContains(outer: string, inner: string): boolean {
    const o = cidrRange(outer);
    const i = cidrRange(inner);
    return o !== undefined && i !== undefined && o.family === i.family && o.first <= i.first && i.last <= o.last;
}

/** The address `n` places into an IPv4 CIDR (from its last address when `n` is negative), or undefined when it has no such place. */
export function ipv4At(cidr: string, n: number): string | undefined {
    const r = cidrRange(cidr);
    if (r?.family !== "IPv4") return undefined;
    const value = n >= 0 ? r.first + BigInt(n) : r.last + BigInt(n) + 1n;
    if (value < r.first || value > r.last) return undefined;
    return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join(".");
}
