#!/usr/bin/env node
// The `clawcage` command: runs the compiled CLI in dist/ (plain Node, no ts-node), so it works the same
// from an installed package and from a checkout. A checkout builds dist/ at `npm install` (the prepare
// script); after editing the TypeScript, `npm run build` again.
const fs = require("node:fs");
const path = require("node:path");

const compiled = path.join(__dirname, "..", "dist", "cli", "main.js");
if (!fs.existsSync(compiled)) {
    console.error(`clawcage is not built (no ${path.relative(process.cwd(), compiled) || compiled}): run \`npm run build\` first`);
    process.exit(2); // EXIT_USAGE of cli/exitCodes.ts: refused before anything ran
}
require(compiled).runAndExit(process.argv);
