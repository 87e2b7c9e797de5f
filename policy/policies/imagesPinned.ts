import * as docker from "@pulumi/docker";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { areaTags } from "../lib/metadata";
import { isOpenClawContainer, type Props } from "../lib/openclaw";
import { record, str } from "../lib/values";

/**
 * `latest` or no tag means the next pull runs code nobody reviewed, and a rollback has nothing to go
 * back to. A tag is accepted (clawcage tags its builds with a content hash); a digest is better.
 */
export function unpinnedReason(reference: string): string | undefined {
    if (reference.includes("@sha256:") || /^sha256:[0-9a-f]{64}$/.test(reference)) return undefined;
    const lastSegment = reference.slice(reference.lastIndexOf("/") + 1);
    const colon = lastSegment.indexOf(":");
    if (colon < 0) return "has no tag (means latest)";
    const tag = lastSegment.slice(colon + 1);
    if (tag === "" || tag === "latest") return "uses the tag 'latest'";
    return undefined;
}

// Build arguments that choose what goes into the image: base images and the OpenClaw version.
const PINNED_ARG = /(IMAGE|VERSION)$/;
const unpinnedVersion = (v: string) => v === "" || v === "latest" || /[\^~*x]|^[<>=]/.test(v);

export const imagesPinned: ResourceValidationPolicy = {
    name: "images-pinned",
    displayName: "Images pinned",
    description: "Images that run OpenClaw (and their base images and OpenClaw version build arguments) are pinned: no `latest`, no tag-less reference, no version range.",
    severity: "medium",
    enforcementLevel: "advisory",
    tags: areaTags("supply-chain"),
    remediationSteps: "Reference images by digest (name@sha256:...) or an immutable tag; pin OPENCLAW_VERSION to an exact release such as 2026.9.6.",
    validateResource: (args, reportViolation) => {
        const props = args.props as Props;
        if (args.isType(docker.Container)) {
            if (!isOpenClawContainer(props)) args.notApplicable("not an OpenClaw container");
            const image = str(props.image) ?? "";
            const why = unpinnedReason(image);
            if (why) reportViolation(`${str(props.name) ?? args.name}: image '${image}' ${why}`);
            return;
        }
        if (args.isType(docker.RemoteImage)) {
            const name = str(props.name) ?? "";
            if (!/openclaw/i.test(name)) args.notApplicable("not an OpenClaw image");
            const why = unpinnedReason(name);
            if (why) reportViolation(`${args.name}: image '${name}' ${why}`);
            return;
        }
        if (!args.isType(docker.Image)) args.notApplicable("not a docker container or image");
        const imageName = str(props.imageName) ?? "";
        const buildArgs = record(record(props.build)?.args) ?? {};
        const openclaw = /openclaw/i.test(imageName) || Object.keys(buildArgs).some((k) => k.startsWith("OPENCLAW_"));
        if (!openclaw) args.notApplicable("not an OpenClaw image");
        const why = unpinnedReason(imageName);
        if (why) reportViolation(`${args.name}: imageName '${imageName}' ${why}`);
        for (const [key, value] of Object.entries(buildArgs).filter(([k]) => PINNED_ARG.test(k))) {
            const v = str(value) ?? "";
            const reason = key.endsWith("IMAGE") ? unpinnedReason(v) : unpinnedVersion(v) ? "is not an exact version" : undefined;
            if (reason) reportViolation(`${args.name}: build arg ${key}='${v}' ${reason}`);
        }
    },
};
