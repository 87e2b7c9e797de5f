import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkPackConfig, PackConfigError, readPackConfig } from "../../cli/check/packConfig";

const NAMES = ["openclaw-audit-log", "images-pinned"];

describe("--policy-config: a user's pack config, checked before use", () => {
    it("accepts levels, objects with a level and properties, and \"all\"", () => {
        const value = { all: "advisory", "openclaw-audit-log": "mandatory", "images-pinned": { enforcementLevel: "disabled", allowTags: ["x"] } };
        assert.deepEqual(checkPackConfig(value, NAMES), { config: value, problems: [] });
    });

    const refused: [string, unknown, RegExp][] = [
        ["a misspelt level", { "openclaw-audit-log": "mandatroy" }, /^openclaw-audit-log: expected one of advisory, mandatory, remediate, disabled, got "mandatroy"$/],
        ["a misspelt level inside an object", { "images-pinned": { enforcementLevel: "strict" } }, /^images-pinned\.enforcementLevel: expected one of/],
        ["a policy the pack does not have", { "openclaw-audit-logs": "mandatory" }, /^openclaw-audit-logs: no policy of that name/],
        ["an entry that is neither a level nor an object", { "images-pinned": 3 }, /^images-pinned: expected a level/],
        ["a list instead of an object", ["openclaw-audit-log"], /^\(top level\): expected a JSON object/],
    ];
    for (const [what, value, message] of refused) {
        it(`refuses ${what}, naming the field (negative control)`, () => {
            const { problems } = checkPackConfig(value, NAMES);
            assert.equal(problems.length, 1, problems.join("\n"));
            assert.match(problems[0], message);
        });
    }

    it("a file that is not JSON is refused with the file's name", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-packconfig-"));
        const file = path.join(dir, "policy-config.json");
        fs.writeFileSync(file, "{ mandatory }");
        try {
            assert.throws(() => readPackConfig(file, NAMES), (e: unknown) => e instanceof PackConfigError && e.message.includes(file));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
