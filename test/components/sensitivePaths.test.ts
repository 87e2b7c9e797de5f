import { strict as assert } from "node:assert";
import * as path from "node:path";
import { parseSettings, SettingsError } from "../../components/settings/parse";
import { SENSITIVE_HOST_PATHS as PACK_LISTS, policies } from "../../policy/api";
import { change, check } from "../policy/fixtures";
import { rawStack } from "../policy/rawStack";

/**
 * One truth about sensitive host paths: whatever the pack refuses as a mount, the settings refuse before
 * anything deploys, and whatever the pack accepts, the settings accept. The corpus is every entry of the
 * pack's default lists, with descendants, ancestors and odd spellings of each.
 */

const ancestors = (p: string): string[] => (p === "/" ? [] : [path.posix.dirname(p), ...ancestors(path.posix.dirname(p))]).filter((a) => a !== "/");

const refusedCorpus = [
    "/",
    ...PACK_LISTS.deniedSegments.flatMap((s) => [`/srv/x/${s}`, `/home/alice/${s}`, `/home/alice/${s}/config`, `/srv/${s}/deep/file`, `/opt/data/${s}/`]),
    ...PACK_LISTS.deniedPaths.flatMap((d) => [d, `${d}/`, `${d}/1`, `${d}/x/y`, `/srv/..${d}`, `/srv/./..${d}/1`, ...ancestors(d)]),
    ...PACK_LISTS.homeParents.flatMap((h) => [h, `${h}/`, `${h}/alice`, `${h}/alice/`, `${h}/bob/../alice`]),
    ...PACK_LISTS.engineSocketNames.flatMap((n) => [`/srv/x/${n}`, `/run/user/1000/${n}`, `/opt/rootless-${n}`]),
    ...PACK_LISTS.engineSocketPaths.flatMap((s) => [s, `${s}/`, `${s}/engine.sock`, `${s}/1000/x`, ...ancestors(s)]),
];

/** Paths that look close to a denied one and are plain project folders: both must accept them. */
const acceptedCorpus = [
    "/srv/projects/app",
    "/home/alice/projects",
    "/home/alice/projects/app",
    "/Users/alice/code/app",
    "/srv/etc",
    "/srv/.sshx",
    "/srv/ssh",
    "/opt/data",
    "/var/lib/app",
    "/var/log/app",
    "/srv/docker.socket",
    "/srv/run/user",
    "/mnt/proc-data",
];

const WORKSPACE_MOUNT = "/opt/openclaw/workspace/project";

function settingsRefusal(hostPath: string): string | undefined {
    try {
        parseSettings({ container: { mounts: [{ hostPath, containerPath: WORKSPACE_MOUNT }] } });
        return undefined;
    } catch (e) {
        assert.ok(e instanceof SettingsError, String(e));
        return e.problems.find((p) => p.startsWith("settings.container.mounts[0].hostPath:"));
    }
}

const mountPolicies = ["container-no-sensitive-mounts", "container-no-docker-socket"].map((name) => {
    const found = policies.find((p) => p.name === name);
    if (!found) throw new Error(`no policy ${name}`);
    return found;
});

/** The pack's violations for a raw OpenClaw stack whose gateway also mounts `hostPath`. */
async function packRefusal(hostPath: string): Promise<string[]> {
    const stack = change(rawStack(), "openclaw", (p) => void (p.volumes = [...(p.volumes as object[]), { hostPath, containerPath: "/home/node/workspace/project", readOnly: true }]));
    const results = await Promise.all(mountPolicies.map((policy) => check(policy, stack)));
    return results.flatMap((r) => r.violations.map((v) => v.message));
}

describe("sensitive host paths: the settings and the pack refuse the same mounts", () => {
    it("every entry of the pack's lists, its descendants and its ancestors is refused by both", async () => {
        const slipped: string[] = [];
        for (const hostPath of [...new Set(refusedCorpus)]) {
            const bySettings = settingsRefusal(hostPath);
            const byPack = await packRefusal(hostPath);
            if (!bySettings) slipped.push(`settings accept ${hostPath} (the pack says: ${byPack.join("; ") || "nothing"})`);
            else assert.match(bySettings, /cannot be mounted: .+\. Mount only project folders/);
            if (byPack.length === 0) slipped.push(`the pack accepts ${hostPath} (the settings say: ${bySettings ?? "nothing"})`);
        }
        assert.deepEqual(slipped, []);
    });

    it("valid neighbours (project folders beside the denied ones) are accepted by both", async () => {
        for (const hostPath of acceptedCorpus) {
            assert.equal(settingsRefusal(hostPath), undefined, hostPath);
            assert.deepEqual(await packRefusal(hostPath), [], hostPath);
        }
    });

    it("filesystem.deniedPaths adds to the built-in list, it cannot take from it", () => {
        const extra = { filesystem: { deniedPaths: ["/srv/secret", "vault"] } };
        for (const hostPath of ["/srv/secret/x", "/srv", "/data/vault/app", "/proc/1", "/home/alice/.kube"]) {
            assert.throws(() => parseSettings({ ...extra, container: { mounts: [{ hostPath, containerPath: WORKSPACE_MOUNT }] } }), /mounts\[0\]\.hostPath: .* cannot be mounted/, hostPath);
        }
        assert.doesNotThrow(() => parseSettings({ ...extra, container: { mounts: [{ hostPath: "/srv/projects", containerPath: WORKSPACE_MOUNT }] } }));
    });

    for (const root of ["/proc/openclaw", "/home/alice", "/home/alice/.kube/openclaw", "/var/lib/docker/openclaw", "/run/containerd/openclaw", "/var"]) {
        it(`refuses ${root} as host.root, naming settings.host.root`, () => {
            assert.throws(() => parseSettings({ host: { root } }), /settings\.host\.root: '.*' cannot be the deployment root: .*Use a folder of its own/);
        });
    }
    it("accepts a deployment root of its own (/srv/openclaw)", () => {
        assert.equal(parseSettings({ host: { root: "/srv/openclaw" } }).host.root, "/srv/openclaw");
    });
});
