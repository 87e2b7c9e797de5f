#!/usr/bin/env node
// Builds dist/, what the package ships: the program (index), the components, the policy pack's
// side-effect-free entry (api, lib, policies; not policy/index.ts, which starts the analyzer) and the
// CLI, compiled by tsconfig.build.json. The components build their images from Dockerfiles and scripts
// found next to their own module at run time (via __dirname), so those are copied beside the compiled JS.
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

const root = path.join(__dirname, "..");
const dist = path.join(root, "dist");

/** Scripts, and every Dockerfile with the context files it COPYs (the audit plugin's and the watcher's TypeScript among them). */
function copyAssets(from, to, copiedSources) {
    const entries = fs.readdirSync(from, { withFileTypes: true });
    const copy = (name) => {
        const source = path.join(from, name);
        // cpSync keeps the mode: start-gateway.sh stays executable in the image.
        fs.mkdirSync(path.dirname(path.join(to, name)), { recursive: true });
        fs.cpSync(source, path.join(to, name), { recursive: true });
    };
    if (entries.some((e) => e.name === "Dockerfile")) {
        copy("Dockerfile");
        for (const source of copiedSources(fs.readFileSync(path.join(from, "Dockerfile"), "utf8"))) copy(source);
    }
    for (const entry of entries) {
        if (entry.isDirectory()) copyAssets(path.join(from, entry.name), path.join(to, entry.name), copiedSources);
        else if (entry.name.endsWith(".sh")) copy(entry.name);
    }
}

// A clean tree: a module deleted from the source must not live on in dist.
fs.rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "tsconfig.build.json")], { cwd: root, stdio: "inherit" });
// The images' tags hash the same COPY sources (localImage.ts): one reading of the Dockerfiles for both.
const { copiedSources } = require(path.join(dist, "components", "images", "localImage.js"));
copyAssets(path.join(root, "components"), path.join(dist, "components"), copiedSources);
