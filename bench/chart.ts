import * as fs from "node:fs";
import * as path from "node:path";
import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { caseName, type EgressRow } from "./egress";
import { median, RESULTS_DIR } from "./results";
import type { IngressResult } from "./ingress";
import type { ScaleRow } from "./scale";
import type { StartupResult } from "./startup";
import type { TeamRow } from "./team";

/**
 * One picture of what the cage costs: every figure of the latest results as clawcage's share of its baseline's
 * (throughput or speed), 100% meaning it costs nothing. Drawn with Vega-Lite, rasterised with resvg.
 */

export interface ChartBar {
    bench: string;
    measure: string;
    /** clawcage's figure over the baseline's, where higher is better: 1 is no cost. */
    share: number;
}

export interface LatestResults {
    egress?: { rows: EgressRow[] };
    ingress?: IngressResult;
    startup?: StartupResult;
    scale?: { rows: ScaleRow[] };
    team?: { rows: TeamRow[] };
}

/** The bars of whichever results there are. */
export function chartBars(r: LatestResults): ChartBar[] {
    return [
        ...(r.egress?.rows ?? []).map((row) => ({ bench: "egress proxy: requests/s", measure: caseName(row), share: row.proxied.requestsPerSecond / row.direct.requestsPerSecond })),
        ...(r.ingress?.http ?? []).map((h) => ({ bench: "ingress proxy", measure: `HTTP /healthz, ${h.connections === 1 ? "sequential" : `${h.connections} connections`}: requests/s`, share: h.ingress.requestsPerSecond / h.direct.requestsPerSecond })),
        ...(r.ingress ? [{ bench: "ingress proxy", measure: "WebSocket, open to first frame: speed", share: median(r.ingress.websocket.directMs) / median(r.ingress.websocket.ingressMs) }] : []),
        ...(r.startup ? [{ bench: "gateway start-up", measure: "hardened, cold start to ready", share: median(r.startup.plain.readyMs) / median(r.startup.hardened.readyMs) }] : []),
        ...(r.team?.rows ?? []).map((row) => ({ bench: "deploy on the engine", measure: `${row.gateways} gateway${row.gateways === 1 ? "" : "s"}, to all healthy: speed`, share: row.plain.startMs / row.cage.deployMs })),
        ...(r.scale?.rows ?? []).map((row) => ({ bench: "program evaluation", measure: `${row.gateways} gateway${row.gateways === 1 ? "" : "s"} (${row.resources} resources)`, share: median(row.baselineMs) / median(row.clawcageMs) })),
    ];
}

export function chartSpec(bars: ChartBar[], when: string): TopLevelSpec {
    return {
        title: { text: "What the cage costs: clawcage's share of its baseline (100% = no cost)", subtitle: `npm run bench, ${when}` },
        width: 420,
        config: { font: "DejaVu Sans", view: { stroke: null }, axis: { labelLimit: 400 }, legend: { labelLimit: 400 } },
        layer: [
            {
                data: { values: bars },
                mark: { type: "bar", tooltip: false },
                encoding: {
                    y: { field: "measure", type: "nominal", sort: null, title: null },
                    x: { field: "share", type: "quantitative", title: "share of the baseline's figure", axis: { format: "%" } },
                    color: { field: "bench", type: "nominal", title: null, legend: { orient: "bottom", columns: 1 } },
                },
            },
            { data: { values: [{ x: 1 }] }, mark: { type: "rule", strokeDash: [4, 4] }, encoding: { x: { field: "x", type: "quantitative" } } },
        ],
    };
}

/** The chart as a PNG. */
export async function renderChart(bars: ChartBar[], when: string): Promise<Buffer> {
    const view = new vega.View(vega.parse(compile(chartSpec(bars, when)).spec), { renderer: "none" });
    const svg = await view.toSVG();
    view.finalize();
    return new Resvg(svg, { fitTo: { mode: "zoom", value: 2 }, background: "white", font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } }).render().asPng();
}

const readLatest = <T>(name: string): T | undefined => {
    const file = path.join(RESULTS_DIR, `${name}.json`);
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as T) : undefined;
};

/** Draws bench/results/chart.png from the latest results of every benchmark that has some. */
export async function writeChart(): Promise<string> {
    const latest: LatestResults = { egress: readLatest("egress"), ingress: readLatest("ingress"), startup: readLatest("startup"), scale: readLatest("scale"), team: readLatest("team") };
    const file = path.join(RESULTS_DIR, "chart.png");
    fs.writeFileSync(file, await renderChart(chartBars(latest), new Date().toISOString().slice(0, 10)));
    return file;
}
