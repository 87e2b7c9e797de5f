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
 * Tag = hash of the Dockerfile, the files it copies from the context and the build args: an unchanged image
 * is never rebuilt, and a changed script, base image or pinned version always is.
 */
export function imageTag(spec: LocalImageSpec): string {
    const dockerfile = fs.readFileSync(path.join(spec.context, "Dockerfile"), "utf8");
    const args = Object.entries(spec.buildArgs).sort(([a], [b]) => a.localeCompare(b));
    const hash = crypto.createHash("sha256").update(dockerfile).update(JSON.stringify(args));
    for (const source of copiedSources(dockerfile)) {
        for (const file of filesUnder(spec.context, source)) hash.update(file).update(fs.readFileSync(path.join(spec.context, file)));
    }
    return `${spec.repository}:${hash.digest("hex").slice(0, 16)}`;
}

/** The context files a Dockerfile's COPY lines take (every word but the options and the destination). */
export function copiedSources(dockerfile: string): string[] {
    return dockerfile
        .split("\n")
        .map((line) => line.trim().split(/\s+/))
        .filter(([instruction]) => instruction.toUpperCase() === "COPY")
        .flatMap((words) => words.slice(1, -1).filter((w) => !w.startsWith("--")))
        .sort();
}

/** A copied source's files, relative to the context: the file itself, or every file under a folder, in order. */
function filesUnder(context: string, source: string): string[] {
    if (!fs.statSync(path.join(context, source)).isDirectory()) return [source];
    return fs
        .readdirSync(path.join(context, source), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(context, path.join(e.parentPath, e.name)))
        .sort();
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
