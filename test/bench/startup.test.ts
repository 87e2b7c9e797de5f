import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { peakMemoryBytes, startupTable } from "../../bench/startup";

describe("bench startup: the peak memory the engine's cgroup recorded, and the table", () => {
    it("reads cgroup v2's memory.peak or v1's max_usage_in_bytes, wherever the cgroup driver put the container", () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "clawcage-cgroup-"));
        try {
            assert.equal(peakMemoryBytes("abc", root), undefined);
            fs.mkdirSync(path.join(root, "memory", "docker", "abc"), { recursive: true });
            fs.writeFileSync(path.join(root, "memory", "docker", "abc", "memory.max_usage_in_bytes"), "724566016\n");
            assert.equal(peakMemoryBytes("abc", root), 724566016);
            fs.mkdirSync(path.join(root, "system.slice", "docker-def.scope"), { recursive: true });
            fs.writeFileSync(path.join(root, "system.slice", "docker-def.scope", "memory.peak"), "1048576\n");
            assert.equal(peakMemoryBytes("def", root), 1048576);
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });

    it("shows the medians, their ratio, and a peak it could not read as such", () => {
        const table = startupTable({ hardened: { readyMs: [30, 20, 22], peakBytes: [] }, plain: { readyMs: [20, 21, 19], peakBytes: [2 ** 29] }, memoryLimitBytes: 2 ** 32, heapLimitBytes: 2 ** 31 });
        assert.match(table, /\| unhardened: .* \| 20 ms \(19–21\) \| 512 MiB \|/);
        assert.match(table, /\| hardened \(clawcage\) \| 22 ms \(20–30\) \| not readable \|/);
        assert.match(table, /\| ratio hardened \/ unhardened \| 1\.10x \|/);
    });
});
