import { exec } from "../live/docker";
import { checkGroup } from "./check";

/**
 * Where a secret could be found by anything running as the gateway's uid in the gateway's container (the
 * agent and every command it runs): every file it can read outside the image's own program folders (built
 * before any key existed), and the environment and command line of every process it can see. The secrets
 * arrive on stdin, so they are in no command line themselves; the answer names places, never values.
 */
const FIND_SECRETS = `
const fs = require("fs"), path = require("path");
const secrets = require("fs").readFileSync(0, "utf8").split("\\n").filter(Boolean).map((s) => Buffer.from(s));
const found = new Set();
const holds = (buf) => secrets.some((s) => buf.includes(s));
const SKIP = new Set(["/proc", "/sys", "/dev", "/usr", "/lib", "/lib64", "/bin", "/sbin"]);
const walk = (dir) => {
    let entries = [];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
        const p = path.join(dir, e.name);
        if (SKIP.has(p)) continue;
        if (e.isDirectory()) walk(p);
        else if (e.isFile()) { try { if (holds(fs.readFileSync(p))) found.add(p); } catch {} }
    }
};
walk("/");
for (const pid of fs.readdirSync("/proc").filter((p) => /^\\d+$/.test(p))) {
    for (const what of ["environ", "cmdline"]) {
        try { if (holds(fs.readFileSync("/proc/" + pid + "/" + what))) found.add("/proc/" + pid + "/" + what); } catch {}
    }
}
console.log(found.size === 0 ? "nowhere" : [...found].sort().join(" "));
`;

/** The model providers' keys as the egress proxy holds them (the values of its request_header_add lines). */
function keysIn(keysFile: string): string[] {
    return [...keysFile.matchAll(/^request_header_add \S+ "(?:Bearer )?([^"]+)"/gm)].map((m) => m[1]);
}

/** Which secret lives where: the model keys in the egress proxy, and nowhere the agent can read (layer 5). */
export const secretChecks = checkGroup({
    modelKeyOutOfReach: {
        layer: "L5",
        name: "the model provider keys are nowhere the gateway's uid can read (files, /proc environ and cmdline)",
        expected: "nowhere",
        run: async (d) => {
            const file = await d.onHost(`cat ${JSON.stringify(d.layout.egressModelKeys)}`);
            if (file.code !== 0) return { observed: `cannot read the egress proxy's key file: ${file.stderr.trim()}`, pass: false };
            const keys = keysIn(file.stdout);
            if (keys.length === 0) return { observed: "no provider takes a key", pass: true };
            const r = await exec(d.gateway, ["node", "-e", FIND_SECRETS], { input: `${keys.join("\n")}\n` });
            const observed = r.code === 0 ? r.stdout.trim() : `probe failed: ${r.stderr.trim().slice(0, 200)}`;
            return { observed: observed === "nowhere" ? "nowhere" : `found in ${observed}`, pass: observed === "nowhere" };
        },
    },
});
