import { z } from "zod";

/**
 * The settings of a team: one isolated gateway per member, behind the deployment's one egress proxy and one
 * ingress proxy. Part of the settings schema (schema.ts); its cross-field rules are in rules.ts.
 */

const memberName = z
    .string()
    .regex(/^[a-z][a-z0-9]{0,19}$/, "use lowercase letters and digits, starting with a letter (max 20): it becomes a host name label and part of container names");

/** A DNS name of one or more labels, `localhost` included (which names no public domain). */
const domainName = z
    .string()
    .regex(/^(?=.{1,200}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/, "give a domain name such as localhost or openclaw.example.com, lower case, no scheme, port or path");

const member = z.strictObject({
    internalSubnet: z
        .cidrv4()
        .describe("This member's gateway network (internal: no route out), its own and no one else's; fixed, because the gateway trusts identities only from the ingress proxy's pinned address in it."),
});

export const teamSettings = z
    .strictObject({
        domain: domainName
            .default("localhost")
            .describe("Each member's gateway answers at `https://<member>.<domain>:<publish port>`; the ingress proxy routes by that name. Browsers and curl resolve every `*.localhost` name to loopback (RFC 6761); any other domain needs a wildcard DNS record pointing at the host."),
        members: z
            .record(memberName, member)
            .default({})
            .describe("One gateway per member, each with its own internal and sandbox networks, sandbox host, tokens, workspace, host folders and containers (`openclaw-<member>-…`), sharing the one egress proxy and the one ingress proxy. Empty: one gateway, on network.internalSubnet. A member's tokens are the names of gateway.tokens with values of its own; its tools, limits and allowlists are the deployment's."),
    })
    .prefault({});
