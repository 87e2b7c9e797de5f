import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ed25519KeyPair } from "./sshKeys";
import { sandboxKnownHosts } from "./sshdConfig";

/** The sandbox host's key and the gateway's key for it, from random seeds in the state (encrypted). */
export interface SandboxKeys {
    /** The sandbox host's private key; secret. */
    hostPrivateKey: pulumi.Output<string>;
    /** The gateway's private key for the sandbox host; secret. */
    clientPrivateKey: pulumi.Output<string>;
    /** The known_hosts line that pins the sandbox host's key (public). */
    knownHosts: pulumi.Output<string>;
    /** The sandbox host's authorized_keys: the gateway's public key (public). */
    authorizedKeys: pulumi.Output<string>;
}

/** Both key pairs, replaced together when `rotation` changes (the RandomBytes' keeper). */
export function sandboxKeys(name: string, rotation: string, parent: pulumi.Resource): SandboxKeys {
    const seed = (which: string) =>
        new random.RandomBytes(`${name}-${which}-key`, { length: 32, keepers: { rotation } }, { parent, additionalSecretOutputs: ["hex", "base64"] });
    const hostKey = seed("host").hex.apply((hex) => ed25519KeyPair(Buffer.from(hex, "hex"), "clawcage-sandbox-host"));
    const clientKey = seed("client").hex.apply((hex) => ed25519KeyPair(Buffer.from(hex, "hex"), "clawcage-gateway"));
    return {
        hostPrivateKey: pulumi.secret(hostKey.apply((k) => k.privateKey)),
        clientPrivateKey: pulumi.secret(clientKey.apply((k) => k.privateKey)),
        // Public halves: unwrapped from the secret pair, since they reveal nothing.
        knownHosts: pulumi.unsecret(hostKey.apply((k) => sandboxKnownHosts(k.publicKey))),
        authorizedKeys: pulumi.unsecret(clientKey.apply((k) => `${k.publicKey}\n`)),
    };
}
