import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { namedTokenValue } from "../ingress/accessMaps";

export interface GatewayTokenSpec {
    /** "generated" makes a 256-bit random token; "secret-config" takes `supplied[name]` (`<name>.<secret>`). */
    source: "generated" | "secret-config";
    /** Changing it replaces this token alone (a keeper of its random resource). */
    rotation: string;
}

export interface GatewaySecretsArgs {
    tokens: Record<string, GatewayTokenSpec>;
    /** Secret values for tokens whose source is "secret-config". */
    supplied?: Record<string, pulumi.Input<string>>;
}

/** Minimum length of a token's secret part: the guide asks for ≥32 random characters. */
export const MIN_TOKEN_LENGTH = 32;

/** The command that sets a supplied token the way the ingress reads it: `<name>.` and 32 random bytes. */
export const suppliedTokenCommand = (name: string): string => `pulumi config set --secret token-${name} "${namedTokenValue(name, "$(openssl rand -hex 32)")}"`;

/** Why a supplied token cannot be used, or undefined: it reads `<name>.<at least 32 characters>`. */
export function suppliedTokenProblem(name: string, value: string): string | undefined {
    const prefix = namedTokenValue(name, "");
    if (!value.startsWith(prefix)) return `it must start with '${prefix}' (the ingress locks out guesses per token name): ${suppliedTokenCommand(name)}`;
    const secretLength = value.length - prefix.length;
    if (secretLength < MIN_TOKEN_LENGTH) return `${secretLength} characters after '${prefix}'; tokens need at least ${MIN_TOKEN_LENGTH} random characters (openssl rand -hex 32)`;
    return undefined;
}

/**
 * The deployment's access tokens (guide layer 3), always secret: one 256-bit random value per named client
 * token (`<name>.<hex>`), each rotated on its own so that revoking one leaked token leaves the others working,
 * and the gateway's own secret, which stays inside the gateway container (its local operator access).
 */
export class GatewaySecrets extends pulumi.ComponentResource {
    /** Token values by name; secret. */
    public readonly tokens: pulumi.Output<Record<string, string>>;
    /** The gateway's own secret (its local operator password, or token when unpublished); secret. */
    public readonly gatewayToken: pulumi.Output<string>;

    constructor(name: string, args: GatewaySecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        // Only the names reach the component's recorded inputs, never a value.
        super("clawcage:index:GatewaySecrets", name, { tokenNames: Object.keys(args.tokens) }, opts);
        const values: Record<string, pulumi.Output<string>> = {};
        for (const [tokenName, spec] of Object.entries(args.tokens)) {
            if (spec.source === "generated") {
                const bytes = new random.RandomBytes(
                    `${name}-${tokenName}`,
                    { length: 32, keepers: { rotation: spec.rotation } },
                    { parent: this, additionalSecretOutputs: ["hex", "base64"] },
                );
                values[tokenName] = pulumi.secret(bytes.hex.apply((hex) => namedTokenValue(tokenName, hex)));
            } else {
                const supplied = args.supplied?.[tokenName];
                if (supplied === undefined) {
                    throw new Error(`gateway.tokens.${tokenName}.source is 'secret-config' but no value was given: ${suppliedTokenCommand(tokenName)}`);
                }
                values[tokenName] = pulumi.secret(pulumi.output(supplied));
            }
        }
        this.tokens = pulumi.secret(pulumi.all(values));
        // "." cannot occur in a token name, so this never collides with a client token's resource.
        const own = new random.RandomBytes(`${name}.gateway`, { length: 32 }, { parent: this, additionalSecretOutputs: ["hex", "base64"] });
        this.gatewayToken = pulumi.secret(own.hex);
        this.registerOutputs({ tokens: this.tokens, gatewayToken: this.gatewayToken });
    }
}
