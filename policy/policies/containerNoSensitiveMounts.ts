import { containerName, containerPolicy } from "../lib/containerPolicy";
import { hostPaths, isWithin, normalisePath } from "../lib/mounts";
import { areaTags, cis } from "../lib/metadata";

interface Config {
    deniedSegments?: string[];
    deniedPaths?: string[];
}

// The guide's denied paths: keys and cloud credentials (.ssh, .aws, ...) and the host's own system
// folders. A home folder itself is refused because it holds all of those dotfiles.
const DEFAULT_SEGMENTS = [".ssh", ".aws", ".config", ".gnupg", ".kube", ".docker", ".azure", ".netrc"];
const DEFAULT_PATHS = ["/etc", "/root", "/proc", "/sys", "/boot", "/dev", "/var/lib/docker"];

export const containerNoSensitiveMounts = containerPolicy(
    {
        name: "container-no-sensitive-mounts",
        displayName: "No .ssh/.aws or system folders mounted",
        description: "OpenClaw containers mount no credential folder (.ssh, .aws, .config, ...), no home folder, no host root and no host system folder (/etc, /root, ...).",
        severity: "critical",
        enforcementLevel: "mandatory",
        framework: cis("5.5", "Ensure sensitive host system directories are not mounted on containers"),
        tags: areaTags("permissions", "layer-1", "layer-4"),
        remediationSteps: "Mount only the workspace (read-only), the config folder (read-only), state and logs. Give the agent project folders, never a home folder or its dotfiles.",
        configSchema: {
            properties: {
                deniedSegments: { type: "array", items: { type: "string" }, default: DEFAULT_SEGMENTS, description: "Folder names refused anywhere in a host path." },
                deniedPaths: { type: "array", items: { type: "string" }, default: DEFAULT_PATHS, description: "Host folders refused with everything below them." },
            },
        },
    },
    (container, args, reportViolation) => {
        const config = args.getConfig<Config>();
        const segments = config.deniedSegments ?? DEFAULT_SEGMENTS;
        const denied = config.deniedPaths ?? DEFAULT_PATHS;
        const name = containerName(container, args);
        for (const path of hostPaths(container)) {
            const p = normalisePath(path);
            const parts = p.split("/");
            const segment = segments.find((s) => parts.includes(s));
            const under = denied.find((d) => isWithin(p, d));
            const home = /^\/(home|Users)(\/[^/]+)?$/.test(p);
            if (p === "/") reportViolation(`${name}: mounts the host's root folder`);
            else if (segment) reportViolation(`${name}: mounts ${path}, which contains ${segment}`);
            else if (under) reportViolation(`${name}: mounts ${path}, under the host's ${under}`);
            else if (home) reportViolation(`${name}: mounts ${path}, a home folder (with its .ssh, .aws, .config)`);
        }
    },
);
