import { exec } from "../live/docker";
import type { Check } from "./check";
import { effectiveToolPolicy } from "../../components/gateway/toolPolicy";

interface AuditReport {
    summary: { critical: number; warn: number; info: number };
    findings: { checkId: string; severity: string }[];
}

function lastJson<T>(text: string): T {
    const start = text.indexOf("{");
    return JSON.parse(text.slice(start)) as T;
}

/** Calls a method of the running gateway through its own CLI (which reads the token from the config). */
async function gatewayCall<T>(gateway: string, method: string, params: object): Promise<T> {
    const r = await exec(gateway, ["openclaw", "gateway", "call", method, "--params", JSON.stringify(params), "--json"]);
    if (r.code !== 0) throw new Error(`${method}: ${(r.stderr || r.stdout).trim().slice(0, 200)}`);
    return lastJson<T>(r.stdout);
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
        name: "a session gets only declared tools",
        expected: "every effective tool in the declared allow list",
        run: async (d) => {
            const declared = effectiveToolPolicy(d.settings);
            // tools.effective answers per session: open one through the gateway's own API.
            const { key } = await gatewayCall<{ key: string }>(d.gateway, "sessions.create", { agentId: "main" });
            const report = await gatewayCall<{ groups: { tools: { id: string }[] }[] }>(d.gateway, "tools.effective", { sessionKey: key });
            const ids = report.groups.flatMap((g) => g.tools.map((t) => t.id)).sort();
            const extra = ids.filter((id) => !declared.allow.includes(id) || declared.deny.includes(id));
            return { observed: `effective [${ids.join(",")}]${extra.length ? `, undeclared [${extra.join(",")}]` : ""}`, pass: ids.length > 0 && extra.length === 0 };
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
