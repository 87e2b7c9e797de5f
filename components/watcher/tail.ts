import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Reading a log the way the watcher must: only whole lines, from a position kept on disk, through rotation (the
 * audit plugin renames its file to `.1`, and the same inode goes on there), a read at a time.
 */

export interface Position {
    inode: number;
    offset: number;
}

export interface Line {
    text: string;
    /** Where the line starts: the same line always has the same id. */
    id: string;
    /** The position just past the line: saved once the line is dealt with. */
    next: Position;
}

/** At most this much is read at a time, so a long backlog is worked through in steps. */
const READ_BYTES = 1 << 20;

function linesOf(file: string, inode: number, from: number, upTo: number): Line[] {
    if (upTo <= from) return [];
    const fd = fs.openSync(file, "r");
    try {
        const buffer = Buffer.alloc(Math.min(upTo - from, READ_BYTES));
        const read = fs.readSync(fd, buffer, 0, buffer.length, from);
        const lines: Line[] = [];
        let start = 0;
        for (let i = buffer.indexOf(10); i !== -1 && i < read; i = buffer.indexOf(10, start)) {
            lines.push({ text: buffer.subarray(start, i).toString("utf8"), id: `${inode}:${from + start}`, next: { inode, offset: from + i + 1 } });
            start = i + 1;
        }
        return lines;
    } finally {
        fs.closeSync(fd);
    }
}

/**
 * The whole lines of `file` past `pos`. A file with another inode was rotated: the rest of the old one (now
 * `<file>.1`) comes first. A file shorter than the position was truncated, and is read from its start.
 */
export function newLines(file: string, pos: Position | undefined): Line[] {
    const current = fs.statSync(file, { throwIfNoEntry: false });
    if (!current) return [];
    if (pos && pos.inode !== current.ino) {
        const rotated = fs.statSync(`${file}.1`, { throwIfNoEntry: false });
        const rest = rotated && rotated.ino === pos.inode ? linesOf(`${file}.1`, pos.inode, pos.offset, rotated.size) : [];
        // The old file first: its position is saved line by line, and the new file is read on the next round.
        return rest.length > 0 ? rest : linesOf(file, current.ino, 0, current.size);
    }
    const offset = pos && pos.offset <= current.size ? pos.offset : 0;
    return linesOf(file, current.ino, offset, current.size);
}

/** The positions kept on disk, one per watched file; written whole and renamed into place, so never half. */
export class Positions {
    private readonly byFile: Record<string, Position>;

    constructor(private readonly file: string) {
        const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "{}";
        this.byFile = JSON.parse(text) as Record<string, Position>;
    }

    of(watched: string): Position | undefined {
        return this.byFile[watched];
    }

    save(watched: string, pos: Position): void {
        this.byFile[watched] = pos;
        const tmp = path.join(path.dirname(this.file), `.${path.basename(this.file)}.tmp`);
        const fd = fs.openSync(tmp, "w", 0o600);
        try {
            fs.writeSync(fd, JSON.stringify(this.byFile));
            fs.fsyncSync(fd);
        } finally {
            fs.closeSync(fd);
        }
        fs.renameSync(tmp, this.file);
    }
}
