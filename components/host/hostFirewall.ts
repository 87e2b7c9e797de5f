import { isLoopback } from "../../policy/api";
import { shellQuote } from "./hostScript";
import { isUnspecified } from "../deployment/names";

/**
 * The published port's IP allowlist again, at the host firewall (guide layer 3 in depth): if the ingress proxy
 * were misconfigured, a client outside the allowlist would still not reach it. Docker's published ports bypass
 * ufw's INPUT rules; the DOCKER-USER chain, which Docker keeps first in FORWARD, does not. Packets there are
 * already translated to the container's address, so the rule matches the connection's original destination
 * port (conntrack), in the original direction only: answers to allowed clients pass.
 */

export interface PublishedPortFirewall {
    address: string;
    port: number;
    ipAllowlist: readonly string[];
}

/** Only a port beyond loopback is reachable through FORWARD; loopback never passes DOCKER-USER. */
export const needsHostFirewall = (publish: { address: string } | undefined): boolean => publish !== undefined && !isLoopback(publish.address);

/** One chain per published port (one port, one deployment): its rules are exactly this step's own. */
export const firewallChain = (port: number): string => `CLAWCAGE-${port}`;

const isIPv6 = (addressOrCidr: string): boolean => addressOrCidr.includes(":");

/** The tools for the published address's families: "::" takes both, as Docker publishes it on both. */
function families(address: string): { tool: "iptables" | "ip6tables"; v6: boolean; unspecified: boolean }[] {
    if (address === "::") return [{ tool: "iptables", v6: false, unspecified: true }, { tool: "ip6tables", v6: true, unspecified: true }];
    return [{ tool: isIPv6(address) ? "ip6tables" : "iptables", v6: isIPv6(address), unspecified: isUnspecified(address) }];
}

/** The DOCKER-USER match of the published port: new packets towards it, from any client. */
function jumpRule(f: PublishedPortFirewall, unspecified: boolean): string {
    const to = unspecified ? "" : ` --ctorigdst ${f.address}`;
    return `DOCKER-USER -p tcp -m conntrack --ctdir ORIGINAL --ctorigdstport ${f.port}${to} -j ${firewallChain(f.port)}`;
}

/** Converges on exactly these rules, however often it runs: the chain is replaced in one commit, the jump added once. */
export function renderFirewallCreateScript(f: PublishedPortFirewall): string {
    const chain = firewallChain(f.port);
    const lines = ["set -euo pipefail", `# clawcage: only the IP allowlist reaches ${f.address}:${f.port}, even past the ingress proxy. Safe to run again.`];
    for (const { tool, v6, unspecified } of families(f.address)) {
        const allowed = f.ipAllowlist.filter((c) => isIPv6(c) === v6);
        lines.push(
            `command -v ${tool} >/dev/null || { echo ${shellQuote(`${tool} is missing on the host; install it (Debian: apt-get install iptables) so the published port is firewalled`)} >&2; exit 1; }`,
            `${tool} -w -n -L DOCKER-USER >/dev/null 2>&1 || { echo ${shellQuote(`${tool} has no DOCKER-USER chain: Docker creates it when it manages the firewall (dockerd without --iptables=false), so start Docker first`)} >&2; exit 1; }`,
            `${tool}-restore -w --noflush <<'RULES'`,
            "*filter",
            `:${chain} - [0:0]`,
            ...allowed.map((cidr) => `-A ${chain} -s ${cidr} -j RETURN`),
            `-A ${chain} -j DROP`,
            "COMMIT",
            "RULES",
            `${tool} -w -C ${jumpRule(f, unspecified)} 2>/dev/null || ${tool} -w -I ${jumpRule(f, unspecified).replace("DOCKER-USER", "DOCKER-USER 1")}`,
        );
    }
    return lines.join("\n") + "\n";
}

/** Removes this step's jump and chain, and nothing else of DOCKER-USER. */
export function renderFirewallDeleteScript(f: PublishedPortFirewall): string {
    const chain = firewallChain(f.port);
    const lines = ["set -uo pipefail", `# clawcage: removes the firewall of ${f.address}:${f.port}. Safe to run again.`];
    for (const { tool, unspecified } of families(f.address)) {
        lines.push(
            `if command -v ${tool} >/dev/null; then`,
            `  while ${tool} -w -D ${jumpRule(f, unspecified)} 2>/dev/null; do :; done`,
            `  ${tool} -w -F ${chain} 2>/dev/null; ${tool} -w -X ${chain} 2>/dev/null`,
            "fi",
        );
    }
    lines.push("true");
    return lines.join("\n") + "\n";
}
