import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";

export interface LocalImageSpec {
    /** Repository name, e.g. "clawcage/gateway". */
    repository: string;
    /** Folder holding the Dockerfile (the build context). */
    context: string;
    buildArgs: Record<string, string>;
}

/**
 * Tag = hash of the Dockerfile and build args: an unchanged image is never rebuilt, and a changed base
 * image or pinned version always is.
 */
export function imageTag(spec: LocalImageSpec): string {
    const dockerfile = fs.readFileSync(path.join(spec.context, "Dockerfile"), "utf8");
    const args = Object.entries(spec.buildArgs).sort(([a], [b]) => a.localeCompare(b));
    const hash = crypto.createHash("sha256").update(dockerfile).update(JSON.stringify(args)).digest("hex");
    return `${spec.repository}:${hash.slice(0, 16)}`;
}

/** An image built on the target Docker engine from a Dockerfile of this package; never pushed anywhere. */
export function localImage(name: string, spec: LocalImageSpec, opts: pulumi.CustomResourceOptions): docker.Image {
    return new docker.Image(
        name,
        {
            imageName: imageTag(spec),
            skipPush: true,
            build: { context: spec.context, dockerfile: path.join(spec.context, "Dockerfile"), args: spec.buildArgs, platform: "linux/amd64" },
        },
        opts,
    );
}
