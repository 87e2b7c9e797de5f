import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { copiedSources, imageTag } from "../../components/images/localImage";

/**
 * The image tag is the content key the engine's cache is looked up by: whatever the build copies must be in it,
 * or an edited script never reaches a deployment whose engine already holds the old tag.
 */
describe("local images: the tag covers every file the build copies", () => {
    const context = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-image-"));
    const spec = { repository: "clawcage/test", context, buildArgs: { UID: "10001" } };
    before(() => {
        fs.writeFileSync(path.join(context, "Dockerfile"), "FROM scratch\nCOPY start.sh /usr/local/bin/start\ncopy --chown=1:1 a.sh b.sh /opt/\nCOPY plugin /opt/plugin\n");
        fs.mkdirSync(path.join(context, "plugin", "lib"), { recursive: true });
        for (const f of ["start.sh", "a.sh", "b.sh", "notes.md", "plugin/index.ts", "plugin/lib/record.ts"]) fs.writeFileSync(path.join(context, f), `${f} v1\n`);
    });
    after(() => fs.rmSync(context, { recursive: true, force: true }));

    it("reads the sources of each COPY, whatever its case and options", () => {
        assert.deepEqual(copiedSources(fs.readFileSync(path.join(context, "Dockerfile"), "utf8")), ["a.sh", "b.sh", "plugin", "start.sh"]);
    });

    it("changes when a copied file changes, and only then", () => {
        const before = imageTag(spec);
        fs.writeFileSync(path.join(context, "notes.md"), "notes.md v2\n");
        assert.equal(imageTag(spec), before, "a file the build does not copy is not part of the image");
        fs.writeFileSync(path.join(context, "b.sh"), "b.sh v2\n");
        const afterScript = imageTag(spec);
        assert.notEqual(afterScript, before, "an edited copied script must make a new tag");
        fs.writeFileSync(path.join(context, "plugin", "lib", "record.ts"), "record.ts v2\n");
        assert.notEqual(imageTag(spec), afterScript, "a file deep in a copied folder is part of the image");
    });

    it("changes with the build arguments", () => {
        assert.notEqual(imageTag({ ...spec, buildArgs: { UID: "10002" } }), imageTag(spec));
    });
});
