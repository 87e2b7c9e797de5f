import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseHey } from "../../bench/egress";

/** Summaries Debian's hey 0.1.4 printed (fixtures/): 200 answers from a local server, 404s, and a refused port. */
const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "fixtures", name), "utf8");

describe("bench egress: hey's summary, read", () => {
    it("reads the median, the 99th percentile, requests/s and MB/s of a run of 200s", () => {
        const r = parseHey(fixture("hey-200.txt"), 3);
        assert.deepEqual(r, { p50Ms: 0.0024 * 1000, p99Ms: 0.0153 * 1000, requestsPerSecond: 638.2897, megabytesPerSecond: (200 * 3) / 0.3133 / 1e6 });
    });

    it("refuses to measure a run with other answers or errors (negative controls)", () => {
        assert.throws(() => parseHey(fixture("hey-404.txt"), 3), /answers other than 200/);
        assert.throws(() => parseHey(fixture("hey-refused.txt"), 3), /answers other than 200/);
        // hey 0.1.4 prints its 99th percentile as "0% in 0.0000 secs" below 100 requests: no figure, not a zero.
        assert.throws(() => parseHey(fixture("hey-200.txt").replace(/99% in [\d.]+ secs/, "0% in 0.0000 secs"), 3), /99th percentile/);
    });
});
