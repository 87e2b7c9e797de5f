import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../../cli/record/program";
import { FROM_SOURCE, runCli, type CliRun } from "../support/cli";

/**
 * The CLI as a user gets it: `npm pack` (which builds dist/ through `prepare`), the tarball installed into
 * an empty project from the registry, `clawcage` run there with plain Node. Proves the package ships what
 * the CLI needs at run time and that nothing reaches back into the checkout or to ts-node.
 */

/** This process's environment without the npm_* variables `npm test` sets: they would steer the child npm to this checkout. */
const userEnv: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith("npm_")));

const npm = (args: string[], cwd: string): string => execFileSync("npm", args, { cwd, env: userEnv, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** The summary line that ends a table report: what two runs of the check must agree on. */
const verdict = (run: CliRun): string | undefined => /^\d+ mandatory violation\(s\), \d+ advisory finding\(s\)\.$/m.exec(run.stdout)?.[0];

describe("the packed clawcage package, installed into a fresh project", function () {
    // npm pack builds dist/, npm install fetches the dependencies: slow, done once for the suite.
    this.timeout(600_000);
    let scratch = "";
    let project = "";
    let installed = "";
    /** `npx clawcage`, never fetched from the registry: only the project's own install may answer. */
    const NPX = ["npx", "--no-install", "clawcage"];
    const clawcage = (...args: string[]) => runCli(NPX, args, project, userEnv);

    before(() => {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-package-"));
        npm(["pack", "--silent", "--pack-destination", scratch], REPO_ROOT);
        const tarball = fs.readdirSync(scratch).find((f) => f.endsWith(".tgz"));
        assert.ok(tarball, "npm pack left no tarball");
        project = path.join(scratch, "project");
        fs.mkdirSync(path.join(project, "stacks"), { recursive: true });
        fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "my-gateway", private: true }));
        npm(["install", "--no-audit", "--no-fund", path.join(scratch, tarball)], project);
        installed = path.join(project, "node_modules", "clawcage");
        // Both places a stack is looked for: dev beside package.json, prod in stacks/.
        fs.copyFileSync(path.join(REPO_ROOT, "stacks", "Pulumi.dev.yaml"), path.join(project, "Pulumi.dev.yaml"));
        fs.copyFileSync(path.join(REPO_ROOT, "stacks", "Pulumi.prod.yaml"), path.join(project, "stacks", "Pulumi.prod.yaml"));
    });
    after(() => {
        if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    });

    it("ships the compiled CLI and the components' image files, and no TypeScript source", () => {
        for (const file of ["bin/clawcage.js", "dist/cli/main.js", "dist/index.js", "dist/components/index.d.ts", "dist/components/gateway/Dockerfile", "dist/components/gateway/start-gateway.sh", "dist/components/container/proxy/Dockerfile"]) {
            assert.ok(fs.existsSync(path.join(installed, file)), `${file} is not in the package`);
        }
        assert.ok(!fs.existsSync(path.join(installed, "cli")), "the TypeScript sources were packed");
    });

    it("the library entry resolves to dist: a program can import OpenClawDeployment", () => {
        // In a child process: loading a second @pulumi/pulumi into the test process would share its global state.
        const exported = execFileSync(process.execPath, ["-e", "console.log(Object.keys(require('clawcage')).join(','))"], { cwd: project, env: userEnv, encoding: "utf8" });
        assert.ok(exported.trim().split(",").includes("OpenClawDeployment"), exported);
    });

    it("clawcage --help lists every subcommand", () => {
        const help = clawcage("--help");
        assert.equal(help.code, 0, help.out);
        for (const command of ["check", "verify", "emergency-stop", "rotate-token", "revoke-token", "weekly", "monthly"]) {
            assert.match(help.stdout, new RegExp(`^  ${command} `, "m"), `${command} missing from --help`);
        }
    });

    it("clawcage check --stack dev reads the project's Pulumi.dev.yaml: the table, exit 0", () => {
        const dev = clawcage("check", "--stack", "dev");
        assert.equal(dev.code, 0, dev.out);
        assert.match(dev.stdout, /^Pulumi\.dev\.yaml: settings valid/m);
        assert.match(dev.stdout, /\| item +\| status +\| why +\| how to fix +\|/);
        // The one advisory the dev stack leaves on purpose: its sandbox host on runc, where any engine has it.
        assert.equal(verdict(dev), "0 mandatory violation(s), 1 advisory finding(s).");
        assert.match(dev.stdout, /container-sandbox-gvisor/);
    });

    it("clawcage check --stack prod reads stacks/ and gives the checkout's verdict", () => {
        const prod = clawcage("check", "--stack", "prod");
        const fromSource = runCli(FROM_SOURCE, ["check", "--stack", "prod"], REPO_ROOT);
        assert.match(prod.stdout, /^stacks\/Pulumi\.prod\.yaml: settings valid/m, prod.out);
        assert.equal(prod.code, fromSource.code, prod.out);
        assert.equal(verdict(prod), verdict(fromSource));
        assert.notEqual(verdict(prod), undefined, prod.out);
    });

    it("a stack the project does not have exits 2 naming both files looked for (negative control)", () => {
        const missing = clawcage("check", "--stack", "staging");
        assert.equal(missing.code, 2, missing.out);
        assert.ok(missing.stderr.includes(path.join(project, "stacks", "Pulumi.staging.yaml")), missing.out);
        assert.ok(missing.stderr.includes(path.join(project, "Pulumi.staging.yaml")), missing.out);
    });

    it("runs without ts-node: it is nowhere in the installed tree, so the checks above ran on plain Node", () => {
        // npm ls exits 1 when nothing matches: read its JSON whatever the code.
        const tree = (name: string) => JSON.parse(spawnSync("npm", ["ls", name, "--all", "--json"], { cwd: project, env: userEnv, encoding: "utf8" }).stdout) as { dependencies?: Record<string, unknown> };
        assert.deepEqual(tree("ts-node").dependencies ?? {}, {}, "ts-node is installed with the package");
        // Negative control of the query: a runtime library the CLI does need is found the same way.
        assert.ok(tree("commander").dependencies?.clawcage, "npm ls does not see the installed tree");
        assert.throws(() => require.resolve("ts-node", { paths: [installed] }), /Cannot find module/);
        assert.doesNotMatch(fs.readFileSync(path.join(installed, "bin", "clawcage.js"), "utf8"), /require\(["']ts-node/);
    });

    it("the bin without a built dist/ exits 2 and says to build (negative control)", () => {
        const unbuilt = path.join(scratch, "unbuilt");
        fs.mkdirSync(path.join(unbuilt, "bin"), { recursive: true });
        fs.copyFileSync(path.join(installed, "bin", "clawcage.js"), path.join(unbuilt, "bin", "clawcage.js"));
        const run = runCli([process.execPath, path.join(unbuilt, "bin", "clawcage.js")], ["--help"], unbuilt, userEnv);
        assert.equal(run.code, 2, run.out);
        assert.match(run.stderr, /run `npm run build` first/);
    });
});
