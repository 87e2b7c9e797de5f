import { containerName, containerPolicy } from "../lib/containerPolicy";
import { hostPaths } from "../lib/mounts";
import { areaTags, cis } from "../lib/metadata";
import { SENSITIVE_HOST_PATHS, sensitiveMountReason } from "../lib/sensitivePaths";

interface Config {
    deniedSegments?: string[];
    deniedPaths?: string[];
}

// The guide's denied paths: keys and cloud credentials (.ssh, .aws, ...) and the host's own system
// folders. A home folder itself is refused because it holds all of those dotfiles.
const DEFAULT_SEGMENTS = [...SENSITIVE_HOST_PATHS.deniedSegments];
const DEFAULT_PATHS = [...SENSITIVE_HOST_PATHS.deniedPaths];

export const containerNoSensitiveMounts = containerPolicy(
    {
        name: "container-no-sensitive-mounts",
        displayName: "No .ssh/.aws or system folders mounted",
        description: "OpenClaw containers mount no credential folder (.ssh, .aws, .config, ...), no home folder, no host root and no host system folder (/etc, /root, ...) nor a folder that holds one.",
        severity: "critical",
        enforcementLevel: "mandatory",
        framework: cis("5.5", "Ensure sensitive host system directories are not mounted on containers"),
        tags: areaTags("permissions", "layer-1", "layer-4"),
        remediationSteps: "Mount only the workspace (read-only), the config folder (read-only), state and logs. Give the agent project folders, never a home folder or its dotfiles.",
        configSchema: {
            properties: {
                deniedSegments: { type: "array", items: { type: "string" }, default: DEFAULT_SEGMENTS, description: "Folder names refused anywhere in a host path." },
                deniedPaths: { type: "array", items: { type: "string" }, default: DEFAULT_PATHS, description: "Host folders refused with everything below them and every folder above them." },
            },
        },
    },
    (container, args, reportViolation) => {
        const config = args.getConfig<Config>();
        const lists = { deniedSegments: config.deniedSegments ?? DEFAULT_SEGMENTS, deniedPaths: config.deniedPaths ?? DEFAULT_PATHS };
        for (const path of hostPaths(container)) {
            const why = sensitiveMountReason(path, lists);
            if (why) reportViolation(`${containerName(container, args)}: mounts ${path}, ${why}`);
        }
    },
);
