import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { main } from "../../cli/main";
import { parseSettings } from "../../components/settings/parse";

describe("clawcage command: arguments and refusals (no Docker needed)", () => {
    it("exits 2 with a clear message when the stack does not exist", async () => {
        const errors: string[] = [];
        const original = console.error;
        console.error = (line: string) => void errors.push(line);
        try {
            assert.equal(await main(["node", "clawcage", "verify", "--stack", "no-such-stack"]), 2);
        } finally {
            console.error = original;
        }
        // Both places a stack is looked for, relative to the working folder (an installed CLI reads the user's project).
        assert.match(errors.join("\n"), /no stack file found: looked for \S*\/stacks\/Pulumi\.no-such-stack\.yaml and \S*\/Pulumi\.no-such-stack\.yaml/);
    });

    it("exits 2 when emergency-stop is missing its evidence folder", async () => {
        const original = process.stderr.write.bind(process.stderr);
        process.stderr.write = (() => true) as typeof process.stderr.write;
        try {
            assert.equal(await main(["node", "clawcage", "emergency-stop", "--stack", "dev"]), 2);
        } finally {
            process.stderr.write = original;
        }
    });
});

describe("clawcage rotate-token: one token's keeper, in the stack file", () => {
    const STACK = [
        "# my prod stack",
        "config:",
        "  clawcage:settings:",
        "    gateway:",
        "      tokens:",
        "        admin: {} # the operator",
        "        ops:",
        "          rotation: \"7\"",
        "",
    ].join("\n");
    let dir = "";
    let file = "";
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-rotate-"));
        file = path.join(dir, "Pulumi.prod.yaml");
        fs.writeFileSync(file, STACK);
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const quietly = async (args: string[]) => {
        const out: string[] = [];
        const [log, error] = [console.log, console.error];
        console.log = (line: string) => void out.push(line);
        console.error = (line: string) => void out.push(line);
        try {
            return { code: await main(["node", "clawcage", ...args]), out: out.join("\n") };
        } finally {
            [console.log, console.error] = [log, error];
        }
    };

    it("bumps only the named token's rotation and keeps the file's comments", async () => {
        const r = await quietly(["rotate-token", "ops", "--stack-file", file, "--json"]);
        assert.equal(r.code, 0, r.out);
        const report = JSON.parse(r.out) as { previous: string; next: string };
        assert.equal(report.previous, "7");
        const after = parseSettings((parseYaml(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> }).config["clawcage:settings"]);
        assert.equal(after.gateway.tokens.ops.rotation, report.next);
        assert.equal(after.gateway.tokens.admin.rotation, "1", "admin was rotated too");
        assert.match(fs.readFileSync(file, "utf8"), /# my prod stack[\s\S]*# the operator/);
    });

    it("refuses an unknown token name with the known names, and leaves the file alone (negative control)", async () => {
        const r = await quietly(["rotate-token", "opps", "--stack-file", file]);
        assert.equal(r.code, 2);
        assert.match(r.out, /no token 'opps' \(known: admin, ops\)/);
        assert.equal(fs.readFileSync(file, "utf8"), STACK);
    });

    it("devices refuses to run without a token in CLAWCAGE_TOKEN, naming the scope it needs", async () => {
        const saved = process.env.CLAWCAGE_TOKEN;
        delete process.env.CLAWCAGE_TOKEN;
        try {
            const r = await quietly(["devices", "approve", "0000", "--stack", "dev"]);
            assert.equal(r.code, 2);
            assert.match(r.out, /set CLAWCAGE_TOKEN to a token with the operator\.pairing scope/);
        } finally {
            if (saved !== undefined) process.env.CLAWCAGE_TOKEN = saved;
        }
    });

    it("verify refuses to run without a client token in CLAWCAGE_TOKEN", async () => {
        const saved = process.env.CLAWCAGE_TOKEN;
        delete process.env.CLAWCAGE_TOKEN;
        try {
            const r = await quietly(["verify", "--stack", "dev"]);
            assert.equal(r.code, 2);
            assert.match(r.out, /set CLAWCAGE_TOKEN/);
        } finally {
            if (saved !== undefined) process.env.CLAWCAGE_TOKEN = saved;
        }
    });
});
