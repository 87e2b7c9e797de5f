import * as fs from "node:fs";
import * as path from "node:path";

/** Where every benchmark writes its latest results: a JSON document and the table the README shows. */
export const RESULTS_DIR = path.join(__dirname, "results");

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Writes `<name>.json` (the figures, with when they were taken) and `<name>.md` (the table). */
export function writeResults(name: string, figures: object, table: string): void {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(RESULTS_DIR, `${name}.json`), JSON.stringify({ when: new Date().toISOString(), ...figures }, null, 2) + "\n");
    fs.writeFileSync(path.join(RESULTS_DIR, `${name}.md`), table);
}

/** A duration for the tables: milliseconds with two decimals. */
export const ms = (x: number): string => `${x.toFixed(2)} ms`;
