import * as crypto from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

/**
 * A digest of the files a program reads once at start (squid, haproxy, sshd, the gateway's openclaw.json): put in a
 * container's label or a pod template's annotation, it makes `pulumi up` replace the container or roll the pod when
 * one changes (a rotated token). One-way and secret, it reveals nothing.
 */
export function filesDigest(texts: pulumi.Input<string>[]): pulumi.Output<string> {
    return pulumi.secret(
        pulumi.all(texts).apply((all) => {
            const h = crypto.createHash("sha256");
            for (const t of all) h.update(t).update("\0");
            return h.digest("hex");
        }),
    );
}
