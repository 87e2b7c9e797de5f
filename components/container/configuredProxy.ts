import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { HardenedContainer, type ContainerLimits, type ContainerMountSpec, type HardenedContainerArgs } from "./hardenedContainer";
import { hostFile } from "../host/hostFile";
import type { HostTarget } from "../host/hostCommand";
import type { SshClient } from "../host/sshClient";
import type { AccountIdentity } from "../host/hostScript";
import { PROXY_PATHS } from "../host/layout";
import { localImage } from "../images/localImage";
import { filesDigest } from "./filesDigest";
import { serviceImageSpec, type ServiceImage } from "../images/imageSpecs";
import type { ServiceRole } from "../settings/constants";
import type { Isolation } from "./runtime";

/** Where a container's files go: which host, as which account. */
export interface HostPlacement {
    identity: AccountIdentity;
    target: HostTarget;
    /** The VPS connection, for an ssh target. */
    ssh?: SshClient;
    /** The host account, which must exist before files are written. */
    dependsOn: pulumi.Input<pulumi.Resource>[];
}

/** What every proxy of the deployment shares: where it runs, as whom, from which base, with what limits and isolation. */
export interface ProxyPlacement extends HostPlacement, Isolation {
    baseImage: string;
    limits: ContainerLimits;
}

export interface ConfiguredProxySpec {
    role: ServiceRole;
    /**
     * The image: the proxy Dockerfile beside this file installing one Debian package (the proxy program), or a
     * Dockerfile of its own (the sandbox host). Either way built on the placement's base image for its uid.
     */
    image: ServiceImage;
    /** The container's command, given where the config file is inside the container. */
    command: (configFile: string) => string[];
    configText: string;
    configDir: string;
    configFile: string;
    extraMounts: ContainerMountSpec[];
    /** Files next to the config that hold credentials: written 600 from secret values, never shown. */
    secretFiles?: { name: string; path: string; content: pulumi.Output<string> }[];
    container: Omit<HardenedContainerArgs, "host" | "image" | "user" | "mounts" | "limits" | "runtime" | "seccomp" | "apparmor" | "role" | "labels" | "command">;
}

/**
 * A service container (a proxy, or the sandbox host) built from this package's Dockerfiles, reading its generated
 * config from a host folder mounted read-only, hardened like the gateway.
 */
export function configuredProxy(parent: pulumi.Resource, name: string, placement: ProxyPlacement, spec: ConfiguredProxySpec): HardenedContainer {
    const conf = hostFile(
        `${name}-conf`,
        { target: placement.target, identity: placement.identity, path: spec.configFile, content: spec.configText, ssh: placement.ssh },
        { parent, dependsOn: placement.dependsOn },
    );
    const secretFiles = (spec.secretFiles ?? []).map((f) =>
        hostFile(
            `${name}-${f.name}`,
            { target: placement.target, identity: placement.identity, path: f.path, content: pulumi.secret(f.content), ssh: placement.ssh },
            { parent, dependsOn: placement.dependsOn },
        ),
    );
    // A proxy reads its files once at start: their digest in a label replaces it when one changes.
    const digest = filesDigest([spec.configText, ...(spec.secretFiles ?? []).map((f) => f.content)]);
    const image = localImage(`${name}-image`, serviceImageSpec(spec.role, spec.image, placement.baseImage, placement.identity.uid), { parent });
    return new HardenedContainer(
        name,
        {
            ...spec.container,
            host: { target: placement.target, ssh: placement.ssh },
            image: image.imageName,
            // The config folder is mounted at PROXY_PATHS.config under the file name the layout gave it.
            command: spec.command(path.posix.join(PROXY_PATHS.config, path.posix.basename(spec.configFile))),
            user: `${placement.identity.uid}:${placement.identity.uid}`,
            mounts: [{ hostPath: spec.configDir, containerPath: PROXY_PATHS.config, readOnly: true }, ...spec.extraMounts],
            limits: placement.limits,
            role: spec.role,
            runtime: placement.runtime,
            seccomp: placement.seccomp,
            apparmor: placement.apparmor,
            labels: { "clawcage.files-digest": digest },
        },
        { parent, dependsOn: [conf, ...secretFiles] },
    );
}
