import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { renderAccountCreateScript, shellQuote, type AccountIdentity } from "../../components/host/hostScript";
import { GENERATED_FILE_MODE, hostLayout } from "../../components/host/layout";
import { parseSettings } from "../../components/settings/parse";
import { parse as parseYaml } from "yaml";
import { REPO_ROOT } from "../../cli/record/program";
import { recorded } from "../policy/fixtures";
import { APPARMOR_DIR } from "../../components/container/apparmor";

/**
 * The host step restores the owner and mode of every file the deployment writes: the layout's one list
 * of generated files is checked against what the recorded stacks really write, and the rendered script
 * is run on a scratch folder.
 */

function stackSettings(stack: "dev" | "prod") {
    const file = path.join(REPO_ROOT, "stacks", `Pulumi.${stack}.yaml`);
    return parseSettings((parseYaml(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> }).config["clawcage:settings"]);
}

/**
 * The create scripts of the recorded stack's host commands that write one file (hostFile). AppArmor's profiles are
 * root's, in AppArmor's folder: not the deployment's files.
 */
async function fileWrites(stack: "dev" | "prod"): Promise<{ name: string; create: string }[]> {
    return (await recorded(stack))
        .filter((r) => r.type.startsWith("command:") && String(r.inputs.create).includes("mktemp") && !String(r.inputs.create).includes(APPARMOR_DIR))
        .map((r) => ({ name: r.name, create: String(r.inputs.create) }));
}

describe("host files: one list of generated files, restored on every run of the host step", () => {
    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: every file the stack writes is in layout.files, with the mode it is written with`, async () => {
            const files = hostLayout(stackSettings(stack)).files;
            const writes = await fileWrites(stack);
            assert.ok(writes.length >= 4, `only ${writes.length} file writes recorded`);
            for (const w of writes) {
                const listed = files.filter((f) => w.create.includes(`${f.path}.XXXXXX`));
                assert.equal(listed.length, 1, `${w.name} writes a file that layout.files does not list`);
                assert.ok(w.create.includes(`chmod ${listed[0].mode} "$tmp"`), `${w.name} is not written with mode ${listed[0].mode}`);
            }
        });
    }

    it("the create script restores owner and mode of each generated file (openclaw.json, token, approvals, squid, haproxy, maps)", () => {
        const layout = hostLayout(parseSettings({}));
        const script = renderAccountCreateScript({ user: "clawuser", group: "openclaw", uid: 10001 }, layout);
        const names = layout.files.map((f) => path.posix.basename(f.path));
        assert.deepEqual(names.sort(), ["authorized_keys", "exec-approvals.json", "gateway.token", "haproxy.cfg", "ingress.pem", "model-key.placeholder", "model-keys.conf", "openclaw.json", "permissions.json", "sandbox-client.key", "sandbox-known-hosts", "squid.conf", "ssh_host_ed25519_key", "sshd_config", "tokens.map"]);
        for (const f of layout.files) {
            assert.equal(f.mode, GENERATED_FILE_MODE);
            assert.ok(script.includes(`restore ${shellQuote(f.path)} ${f.mode}`), f.path);
        }
    });

    it("run on a scratch root: loosened files get their owner and mode back, a planted symlink and its target are left alone", () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-host-"));
        try {
            const layout = hostLayout(parseSettings({ host: { root } }));
            const me: AccountIdentity = { user: os.userInfo().username, group: execFileSync("id", ["-gn"], { encoding: "utf8" }).trim(), uid: os.userInfo().uid };
            const script = renderAccountCreateScript(me, layout).split("\n");
            // Only the restore block: the rest creates system accounts, which a test must not do to its machine.
            const block = script.filter((l) => l.startsWith("restore"));
            const [config, token, ...others] = layout.files;
            const outside = path.join(root, "elsewhere");
            fs.writeFileSync(outside, "not ours");
            fs.chmodSync(outside, 0o644);
            for (const f of [config, ...others.slice(0, 2)]) {
                fs.mkdirSync(path.dirname(f.path), { recursive: true });
                fs.writeFileSync(f.path, "generated");
                fs.chmodSync(f.path, 0o666);
            }
            fs.mkdirSync(path.dirname(token.path), { recursive: true });
            fs.symlinkSync(outside, token.path);
            execFileSync("bash", ["-euo", "pipefail", "-c", block.join("\n")]);
            for (const f of [config, ...others.slice(0, 2)]) {
                assert.equal((fs.statSync(f.path).mode & 0o777).toString(8), f.mode, f.path);
                assert.equal(fs.statSync(f.path).uid, me.uid);
            }
            assert.equal((fs.statSync(outside).mode & 0o777).toString(8), "644", "the symlink's target was changed");
            assert.ok(!fs.existsSync(others[3].path), "a file not written yet is not created");
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });

    it("hostLayout throws on a writable path outside the workspace instead of dropping it (parseSettings refuses it first)", () => {
        const valid = parseSettings({ rollout: { stage: "draft" }, filesystem: { writablePaths: ["/opt/openclaw/workspace/out"] } });
        assert.deepEqual(hostLayout(valid).writable, [{ containerPath: "/opt/openclaw/workspace/out", hostPath: "/opt/openclaw/workspace/out" }]);
        const outside = { ...valid, filesystem: { ...valid.filesystem, allowedPaths: [...valid.filesystem.allowedPaths, "/data"], writablePaths: ["/data/out"] } };
        assert.throws(() => hostLayout(outside), /writable path \/data\/out lies outside the workspace/);
    });
});
