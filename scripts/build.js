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

/**
 * The files a component reads at run time besides its compiled JS: Dockerfiles, scripts, and the audit plugin's
 * folder as source (the gateway image copies it whole; OpenClaw compiles the plugin when it loads it).
 */
const isRuntimeAsset = (file) => {
    const name = path.basename(file);
    return name === "Dockerfile" || name.endsWith(".sh") || file.split(path.sep).includes("auditPlugin");
};

function copyAssets(from, to) {
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
        const source = path.join(from, entry.name);
        if (entry.isDirectory()) copyAssets(source, path.join(to, entry.name));
        else if (isRuntimeAsset(source)) {
            fs.mkdirSync(to, { recursive: true });
            // copyFileSync keeps the mode: start-gateway.sh stays executable in the image.
            fs.copyFileSync(source, path.join(to, entry.name));
        }
    }
}

// A clean tree: a module deleted from the source must not live on in dist.
fs.rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "tsconfig.build.json")], { cwd: root, stdio: "inherit" });
copyAssets(path.join(root, "components"), path.join(dist, "components"));
