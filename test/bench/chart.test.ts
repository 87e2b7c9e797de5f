import { strict as assert } from "node:assert";
import { chartBars, renderChart, type LatestResults } from "../../bench/chart";

const load = (requestsPerSecond: number) => ({ p50Ms: 1, p99Ms: 2, requestsPerSecond, megabytesPerSecond: 0 });

const LATEST: LatestResults = {
    egress: { rows: [{ path: "connect", body: "small", connections: 1, requests: 10, direct: load(200), proxied: load(150) }] },
    ingress: { http: [{ connections: 64, requests: 10, direct: load(100), ingress: load(90) }], websocket: { rounds: 3, directMs: [1, 2, 3], ingressMs: [4, 4, 4] } },
    startup: { hardened: { readyMs: [20, 30, 25], peakBytes: [] }, plain: { readyMs: [25, 25, 25], peakBytes: [] }, memoryLimitBytes: 1, heapLimitBytes: 1 },
    scale: { rows: [{ gateways: 10, resources: 540, clawcageMs: [300, 200, 400], baselineMs: [100, 100, 100] }] },
};

describe("bench chart: every result as clawcage's share of its baseline", () => {
    it("turns each benchmark's figures into shares where higher is better and 1 is no cost", () => {
        assert.deepEqual(chartBars(LATEST), [
            { bench: "egress proxy: requests/s", measure: "CONNECT tunnel, small answer, sequential", share: 0.75 },
            { bench: "ingress proxy", measure: "HTTP /healthz, 64 connections: requests/s", share: 0.9 },
            { bench: "ingress proxy", measure: "WebSocket, open to first frame: speed", share: 0.5 },
            { bench: "gateway start-up", measure: "hardened, cold start to ready", share: 1 },
            { bench: "program evaluation", measure: "10 gateways (540 resources)", share: 1 / 3 },
        ]);
        assert.deepEqual(chartBars({}), []);
    });

    it("draws them as a PNG with Vega-Lite and resvg", async () => {
        const png = await renderChart(chartBars(LATEST), "2026-12-04");
        assert.deepEqual([...png.subarray(1, 4)].map((b) => String.fromCharCode(b)).join(""), "PNG");
        // The image header's width and height: a chart of some size, not an empty picture.
        assert.ok(png.readUInt32BE(16) > 400 && png.readUInt32BE(20) > 100, `${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`);
    });
});
