import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { StackNotFoundError, stackFilePath } from "../../cli/stackFile";

describe("stack file lookup (relative to the working folder)", () => {
    let project = "";
    beforeEach(() => {
        project = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-stackfile-"));
    });
    afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

    const write = (relative: string) => {
        const file = path.join(project, relative);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, "config: {}\n");
        return file;
    };

    it("prefers stacks/Pulumi.NAME.yaml, then Pulumi.NAME.yaml in the folder itself", () => {
        const topLevel = write("Pulumi.dev.yaml");
        assert.equal(stackFilePath({ stack: "dev" }, project), topLevel);
        const inStacks = write("stacks/Pulumi.dev.yaml");
        assert.equal(stackFilePath({ stack: "dev" }, project), inStacks);
    });

    it("an explicit --stack-file wins, resolved against the working folder", () => {
        write("stacks/Pulumi.dev.yaml");
        const elsewhere = write("other/Pulumi.mine.yaml");
        assert.equal(stackFilePath({ stack: "dev", stackFile: "other/Pulumi.mine.yaml" }, project), elsewhere);
    });

    it("a missing stack names every file looked for (negative control)", () => {
        write("stacks/Pulumi.dev.yaml");
        assert.throws(
            () => stackFilePath({ stack: "prod" }, project),
            (e: unknown) => e instanceof StackNotFoundError && e.lookedFor.join() === [path.join(project, "stacks", "Pulumi.prod.yaml"), path.join(project, "Pulumi.prod.yaml")].join(),
        );
        assert.throws(() => stackFilePath({ stack: "dev", stackFile: "nowhere.yaml" }, project), StackNotFoundError);
    });
});
