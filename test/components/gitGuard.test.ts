import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * git-guard.sh, the `git` exec finds first on the gateway: git runs in the read-only workspace, never in a path the
 * agent can write (where a planted .git/config runs code) nor outside the workspace (where `git diff a b` reads any
 * file). The end-to-end proof drives it through OpenClaw's agent loop (test/e2e/hostile/exec.ts).
 */

const GUARD = path.join(__dirname, "..", "..", "components", "gateway", "git-guard.sh");

describe("git guard: git runs only where the agent cannot have planted the repository", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-git-guard-"));
    const workspace = path.join(root, "workspace");
    const dirs = { project: path.join(workspace, "project"), drafts: path.join(workspace, "drafts"), nested: path.join(workspace, "drafts", "r"), outside: path.join(root, "config") };
    for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    /** The guard's exit code and first stderr line for `git --version` run in `cwd`. */
    const run = (cwd: string, writable = dirs.drafts) => {
        const r = spawnSync("sh", [GUARD, "--version"], { cwd, env: { PATH: process.env.PATH, CLAWCAGE_WORKSPACE: workspace, CLAWCAGE_WRITABLE_PATHS: writable }, encoding: "utf8" });
        return { code: r.status, said: `${r.stdout}${r.stderr}`.trim().split("\n")[0] };
    };

    it("runs git in the read-only part of the workspace", () => {
        assert.deepEqual(run(dirs.project).code, 0);
        assert.match(run(workspace).said, /^git version/);
    });

    it("refuses a writable path and anything below it, naming it", () => {
        for (const cwd of [dirs.drafts, dirs.nested]) {
            const r = run(cwd);
            assert.equal(r.code, 126);
            assert.match(r.said, /the agent can write .*drafts, where a planted \.git\/config runs code/);
        }
    });

    it("refuses a folder outside the workspace, and a sibling whose name only starts like it", () => {
        assert.match(run(dirs.outside).said, /it lies outside the workspace/);
        const sibling = `${workspace}-other`;
        fs.mkdirSync(sibling);
        assert.equal(run(sibling).code, 126);
    });

    it("reads every writable path of a colon-separated list", () => {
        assert.equal(run(dirs.drafts, `${dirs.project}:${dirs.drafts}`).code, 126);
        assert.equal(run(dirs.project, `${dirs.project}:${dirs.drafts}`).code, 126);
    });

    it("negative control: with no writable path named, the same drafts folder runs git", () => {
        assert.equal(run(dirs.drafts, "").code, 0);
    });
});
