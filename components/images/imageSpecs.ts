import * as path from "node:path";
import type { DeploymentSettings } from "../settings/schema";
import { GATEWAY_PATHS } from "../host/layout";
import { SANDBOX_PATHS } from "../sandbox/sshdConfig";
import type { LocalImageSpec } from "./localImage";

/**
 * What each of clawcage's images is built from, for either target: built on the Docker host, or pushed to the
 * cluster's registry under the same content-key tag (imageTag).
 */

/** The gateway: the pinned openclaw on the gateway base image, for the deployment's uid. */
export function gatewayImageSpec(s: DeploymentSettings): LocalImageSpec {
    return {
        repository: "clawcage/gateway",
        context: path.join(__dirname, "..", "gateway"),
        buildArgs: {
            BASE_IMAGE: s.image.gatewayBase,
            OPENCLAW_VERSION: s.image.openclawVersion,
            UID: String(s.host.uid),
            HOME_DIR: GATEWAY_PATHS.home,
            EXEC_GUARDS: GATEWAY_PATHS.execGuards,
            PLUGINS: GATEWAY_PATHS.plugins,
            EXTRA_CA_CERT: s.image.buildCaCert ?? "",
        },
    };
}

/** The image of a service beside the gateway: one Debian package (a proxy program), or a Dockerfile of its own. */
export type ServiceImage = { debianPackage: "squid" | "haproxy" } | { context: string; buildArgs: Record<string, string> };

/** The sandbox host's image: its own Dockerfile (sshd and the tools the agent's commands use). */
export const SANDBOX_IMAGE: ServiceImage = { context: path.join(__dirname, "..", "sandbox"), buildArgs: { WORKSPACE_ROOT: SANDBOX_PATHS.workspaceRoot } };

/** A service's image, on the proxy base image for the deployment's uid. */
export function serviceImageSpec(role: string, image: ServiceImage, baseImage: string, uid: number): LocalImageSpec {
    return {
        repository: `clawcage/${role}`,
        context: "context" in image ? image.context : path.join(__dirname, "..", "container", "proxy"),
        buildArgs: { BASE_IMAGE: baseImage, UID: String(uid), ...("context" in image ? image.buildArgs : { PACKAGE: image.debianPackage }) },
    };
}
