import { exec } from "../docker";
import type { Check } from "../check";
import { effectiveToolPolicy } from "../../components/gateway/toolPolicy";

interface AuditReport {
    summary: { critical: number; warn: number; info: number };
    findings: { checkId: string; severity: string }[];
}

function lastJson<T>(text: string): T {
    const start = text.indexOf("{");
    return JSON.parse(text.slice(start)) as T;
}

/** Guide layer 4, verified inside the running gateway with OpenClaw's own commands. */
export const toolChecks: Check[] = [
    {
        layer: "L4",
        name: "the running gateway's config passes `openclaw config validate`",
        expected: "valid",
        run: async (d) => {
            const r = await exec(d.gateway, ["openclaw", "config", "validate", "--json"]);
            const valid = r.code === 0 && /"valid":\s*true/.test(r.stdout);
            return { observed: valid ? "valid" : `${r.code}: ${(r.stdout + r.stderr).trim().slice(0, 200)}`, pass: valid };
        },
    },
    {
        layer: "L4",
        name: "`openclaw security audit` reports 0 critical",
        expected: "critical 0",
        run: async (d) => {
            const r = await exec(d.gateway, ["openclaw", "security", "audit", "--json"]);
            const report = lastJson<AuditReport>(r.stdout);
            const warns = report.findings.filter((f) => f.severity !== "info").map((f) => `${f.severity}:${f.checkId}`);
            return { observed: `critical ${report.summary.critical}, warn ${report.summary.warn} [${warns.join(" ")}]`, pass: report.summary.critical === 0 };
        },
    },
    {
        layer: "L4",
        name: "the effective exec policy and allowlist are the declared ones",
        expected: "",
        run: async (d) => {
            const declared = effectiveToolPolicy(d.settings);
            const r = await exec(d.gateway, ["openclaw", "approvals", "get", "--json"]);
            const doc = lastJson<{ file?: { defaults?: { security?: string }; agents?: Record<string, { security?: string; allowlist?: { pattern: string }[] }> } }>(r.stdout);
            const main = doc.file?.agents?.main;
            const patterns = (main?.allowlist ?? []).map((a) => a.pattern).sort();
            const observed = `defaults ${doc.file?.defaults?.security}, main ${main?.security}, allowlist [${patterns.join(",")}]`;
            const pass = doc.file?.defaults?.security === declared.execMode && main?.security === declared.execMode && JSON.stringify(patterns) === JSON.stringify(declared.execAllowlist);
            return { observed, pass };
        },
    },
];
