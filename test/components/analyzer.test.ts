import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { Analyzer } from "@pulumi/pulumi/provider/experimental/analyzer";
import { REPO_ROOT } from "../../cli/record/program";

const packageJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { name: string };

describe("OpenClawDeployment is consumable from other languages", () => {
    it("passes Pulumi's component analyzer (what `pulumi package add` runs)", function () {
        this.timeout(120000);
        const result = new Analyzer(REPO_ROOT, packageJson.name, packageJson, new Set(["OpenClawDeployment"])).analyze();
        const component = result.components.OpenClawDeployment;
        assert.ok(component, "component found");
        assert.deepEqual(Object.keys(component.inputs).sort(), ["alertMailPassword", "alertWebhookUrl", "channelTokens", "dockerProvider", "ingressTls", "modelKeys", "settings", "sshPrivateKey", "suppliedTokens"]);
        assert.equal(component.inputs.settings.optional, undefined);
        assert.ok(component.outputs.tokens && component.outputs.endpoint && component.outputs.openclawConfig);
    });

    it("rejects an args type it cannot express (negative control)", function () {
        this.timeout(120000);
        const dir = fs.mkdtempSync(path.join(REPO_ROOT, "test", ".analyzer-"));
        try {
            fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, module: "commonjs", target: "ES2022", skipLibCheck: true, typeRoots: [path.join(REPO_ROOT, "node_modules/@types")] }, include: ["*.ts"] }));
            fs.writeFileSync(
                path.join(dir, "index.ts"),
                [
                    `import * as pulumi from "${path.join(REPO_ROOT, "node_modules/@pulumi/pulumi")}";`,
                    "export interface BadArgs { stage: \"a\" | \"b\" | number; }",
                    "export class Bad extends pulumi.ComponentResource {",
                    "    constructor(name: string, args: BadArgs, opts?: pulumi.ComponentResourceOptions) { super(\"clawcage:index:Bad\", name, args, opts); }",
                    "}",
                ].join("\n"),
            );
            assert.throws(() => new Analyzer(dir, "clawcage", {}, new Set(["Bad"])).analyze(), /Union types are not supported|Unsupported type/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
