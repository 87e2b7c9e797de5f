import * as fs from "node:fs";
import * as path from "node:path";
import { type AuditPluginConfig, type AuditRecord, auditLine } from "./record";

/** Appends records, rotating by size; refuses to go on when the volume is nearly full. */
export class AuditFile {
    constructor(private readonly config: Pick<AuditPluginConfig, "file" | "maxFileBytes" | "keepFiles" | "minFreeBytes">, private readonly secrets: readonly string[]) {
        fs.mkdirSync(path.dirname(config.file), { recursive: true, mode: 0o700 });
    }

    /** Room to record one more call: false when the logs volume is below its floor. */
    hasRoom(): boolean {
        const s = fs.statfsSync(path.dirname(this.config.file));
        return s.bavail * s.bsize >= this.config.minFreeBytes;
    }

    write(record: AuditRecord): void {
        this.rotateIfFull();
        fs.appendFileSync(this.config.file, auditLine(record, this.secrets), { mode: 0o600 });
    }

    private rotateIfFull(): void {
        const size = fs.statSync(this.config.file, { throwIfNoEntry: false })?.size ?? 0;
        if (size < this.config.maxFileBytes) return;
        for (let i = this.config.keepFiles - 1; i >= 1; i--) {
            const from = `${this.config.file}.${i}`;
            if (fs.existsSync(from)) fs.renameSync(from, `${this.config.file}.${i + 1}`);
        }
        fs.renameSync(this.config.file, `${this.config.file}.1`);
    }
}

