// Prints the tool catalogue of the installed openclaw package as JSON: its version and every tool group
// with its tool ids, read from the package's own catalogue module (dist/tool-catalog-*.mjs, whose
// exports are minified, so the groups are found by shape). The pack's policy/lib/openclaw-tools.json is
// this output for the pinned version; the runtime proof runs this script in the gateway image and
// fails when the two differ. After bumping OPENCLAW_VERSION, regenerate it in the new gateway image:
//   docker run --rm -i --entrypoint node IMAGE --input-type=module - < scripts/tool-catalog.mjs > policy/lib/openclaw-tools.json
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = process.argv[2] ?? join(execFileSync("npm", ["root", "--global"], { encoding: "utf8" }).trim(), "openclaw");
const dist = join(root, "dist");
const modules = readdirSync(dist).filter((name) => /^tool-catalog-[\w-]+\.mjs$/.test(name));
if (modules.length !== 1) throw new Error(`expected one tool-catalog module in ${dist}, found ${modules.length}`);
const exported = Object.values(await import(pathToFileURL(join(dist, modules[0])).href));
const groups = exported.find((value) => typeof value === "object" && value !== null && Array.isArray(value["group:openclaw"]));
if (!groups) throw new Error(`${modules[0]} exports no tool groups`);
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const sorted = Object.fromEntries(Object.keys(groups).sort().map((group) => [group, [...groups[group]].sort()]));
process.stdout.write(`${JSON.stringify({ openclaw: version, groups: sorted }, null, 2)}\n`);
