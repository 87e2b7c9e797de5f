import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { newLines, Positions, type Position } from "../../components/watcher/tail";

/** The watcher's reading: whole lines from a saved position, through the audit plugin's rotation. */
describe("alert watcher: reading a log from its saved position", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-watch-"));
    const file = path.join(dir, "tool-calls.jsonl");
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** Reads everything there is, saving the position after each line as the watcher does; the texts read. */
    const drain = (pos: Position | undefined): { texts: string[]; pos: Position | undefined } => {
        const texts: string[] = [];
        for (let lines = newLines(file, pos); lines.length > 0; lines = newLines(file, pos)) {
            for (const l of lines) {
                texts.push(l.text);
                pos = l.next;
            }
        }
        return { texts, pos };
    };

    it("hands back whole lines only, and each once", () => {
        fs.writeFileSync(file, "a\nb\npart");
        const first = drain(undefined);
        assert.deepEqual(first.texts, ["a", "b"]);
        fs.appendFileSync(file, "ial\nc\n");
        assert.deepEqual(drain(first.pos).texts, ["partial", "c"]);
    });

    it("finishes the rotated file before the new one, losing and repeating nothing", () => {
        fs.writeFileSync(file, "1\n2\n");
        let { pos } = drain(undefined);
        fs.appendFileSync(file, "3\n");
        fs.renameSync(file, `${file}.1`);
        fs.writeFileSync(file, "4\n");
        assert.deepEqual(drain(pos).texts, ["3", "4"]);
        // The control: from no position the old lines are read again, so the position is what keeps them from repeating.
        ({ pos } = drain(undefined));
        assert.deepEqual(pos?.offset, 2);
    });

    it("keeps positions on disk across a restart, written whole", () => {
        const store = path.join(dir, "positions.json");
        new Positions(store).save(file, { inode: 7, offset: 42 });
        assert.deepEqual(new Positions(store).of(file), { inode: 7, offset: 42 });
        assert.equal(fs.statSync(store).mode & 0o777, 0o600);
        assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp")), []);
    });
});
