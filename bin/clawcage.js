#!/usr/bin/env node
// The `clawcage` command: runs the TypeScript CLI through ts-node (transpile only; `npm test` type-checks it).
const path = require("node:path");
require("ts-node").register({ transpileOnly: true, project: path.join(__dirname, "..", "tsconfig.json") });
require("../cli/main.ts")
    .main(process.argv)
    .then((code) => process.exit(code));
