import { z } from "zod";
import { exec } from "../live/docker";
import { parseOpenClawJson } from "../live/openclawOutput";
import { checkGroup, type LiveDeployment } from "./check";
import { openclawRpc } from "../live/openclawClient";
import { effectiveToolPolicy } from "../../components/gateway/toolPolicy";
import { approvalsEntry, execForm } from "../../components/rollout/execForms";

/** The fields of OpenClaw's JSON answers that these checks read (OpenClaw prints more). */
const securityAudit = z.looseObject({
    summary: z.looseObject({ critical: z.number(), warn: z.number() }),
    findings: z.array(z.looseObject({ checkId: z.string(), severity: z.string() })),
});
export const secretsAudit = z.looseObject({
    resolution: z.looseObject({ refsChecked: z.number() }),
    summary: z.looseObject({ plaintextCount: z.number(), unresolvedRefCount: z.number() }),
    findings: z.array(z.looseObject({ code: z.string(), jsonPath: z.string().optional() })),
});
const createdSession = z.looseObject({ key: z.string() });
const effectiveTools = z.looseObject({ groups: z.array(z.looseObject({ tools: z.array(z.looseObject({ id: z.string() })) })) });
const execPolicy = z.looseObject({ security: z.string().optional() });
const approvals = z.looseObject({
    file: z
        .looseObject({
            defaults: execPolicy.optional(),
            agents: z.record(z.string(), execPolicy.extend({ allowlist: z.array(z.looseObject({ pattern: z.string(), argPattern: z.string().optional() })).optional() })).optional(),
        })
        .optional(),
});

/** Calls a method of the running gateway with its own CLI (see openclawRpc). */
async function gatewayCall<T>(d: LiveDeployment, method: string, params: object, schema: z.ZodType<T>): Promise<T> {
    const r = await openclawRpc(d, ["gateway", "call", method, "--params", JSON.stringify(params), "--json"]);
    if (r.code !== 0) throw new Error(`${method}: ${(r.stderr || r.stdout).trim().slice(0, 200)}`);
    return parseOpenClawJson(`openclaw gateway call ${method}`, r.stdout, schema);
}

/** `openclaw secrets audit --json` in one line ("plaintext 0, unresolved 0 of 2 refs", then any findings), and whether it is clean. */
export function secretsAuditSummary(report: z.infer<typeof secretsAudit>): { observed: string; clean: boolean } {
    const { plaintextCount, unresolvedRefCount } = report.summary;
    const where = report.findings.map((f) => `${f.code}:${f.jsonPath ?? "?"}`).join(" ");
    const observed = `plaintext ${plaintextCount}, unresolved ${unresolvedRefCount} of ${report.resolution.refsChecked} refs${where ? ` [${where}]` : ""}`;
    return { observed, clean: plaintextCount === 0 && unresolvedRefCount === 0 && report.resolution.refsChecked > 0 };
}

/** Runs one of OpenClaw's reporting commands in the running gateway and reads its JSON answer. */
async function openclawReport<T>(gateway: string, command: string[], schema: z.ZodType<T>): Promise<T> {
    const r = await exec(gateway, ["openclaw", ...command, "--json"]);
    return parseOpenClawJson(`openclaw ${command.join(" ")} --json`, r.stdout, schema);
}

/** What OpenClaw itself reports from inside the running gateway: its config, audits, secrets and tool policy (layers 3 and 4). */
export const toolChecks = checkGroup({
    configValid: {
        layer: "L4",
        name: "the running gateway's config passes `openclaw config validate`",
        expected: "valid",
        run: async (d) => {
            const r = await exec(d.gateway, ["openclaw", "config", "validate", "--json"]);
            const valid = r.code === 0 && /"valid":\s*true/.test(r.stdout);
            return { observed: valid ? "valid" : `${r.code}: ${(r.stdout + r.stderr).trim().slice(0, 200)}`, pass: valid };
        },
    },
    securityAudit: {
        layer: "L4",
        name: "`openclaw security audit` reports 0 critical",
        expected: "critical 0",
        run: async (d) => {
            const report = await openclawReport(d.gateway, ["security", "audit"], securityAudit);
            const warns = report.findings.filter((f) => f.severity !== "info").map((f) => `${f.severity}:${f.checkId}`);
            return { observed: `critical ${report.summary.critical}, warn ${report.summary.warn} [${warns.join(" ")}]`, pass: report.summary.critical === 0 };
        },
    },
    secretsResolved: {
        layer: "L3",
        name: "`openclaw secrets audit`: no secret in plain text, every SecretRef resolves",
        expected: "plaintext 0, unresolved 0",
        run: async (d) => {
            const { observed, clean } = secretsAuditSummary(await openclawReport(d.gateway, ["secrets", "audit"], secretsAudit));
            return { observed, pass: clean };
        },
    },
    declaredToolsOnly: {
        layer: "L4",
        name: "a session gets only declared tools",
        expected: "every effective tool in the declared allow list",
        run: async (d) => {
            const declared = effectiveToolPolicy(d.settings);
            // tools.effective answers per session: open one through the gateway's own API.
            const { key } = await gatewayCall(d, "sessions.create", { agentId: "main" }, createdSession);
            const report = await gatewayCall(d, "tools.effective", { sessionKey: key }, effectiveTools);
            const ids = report.groups.flatMap((g) => g.tools.map((t) => t.id)).sort();
            const extra = ids.filter((id) => !declared.allow.includes(id) || declared.deny.includes(id));
            return { observed: `effective [${ids.join(",")}]${extra.length ? `, undeclared [${extra.join(",")}]` : ""}`, pass: ids.length > 0 && extra.length === 0 };
        },
    },
    execPolicy: {
        layer: "L4",
        name: "the effective exec policy and allowlist are the declared ones",
        expected: "",
        run: async (d) => {
            const declared = effectiveToolPolicy(d.settings);
            const doc = await openclawReport(d.gateway, ["approvals", "get"], approvals);
            const main = doc.file?.agents?.main;
            // Each entry with its argument pattern: a path-only entry for the same program would allow any arguments.
            const entries = (list: { pattern: string; argPattern?: string }[]) => list.map((a) => `${a.pattern} ${a.argPattern ?? "(any arguments)"}`).sort();
            const live = entries(main?.allowlist ?? []);
            const observed = `defaults ${doc.file?.defaults?.security}, main ${main?.security}, allowlist [${live.join(", ")}]`;
            const want = entries(declared.execForms.map((text) => approvalsEntry(execForm(text), d.settings.tools.exec.denyCommands)));
            const pass = doc.file?.defaults?.security === declared.execMode && main?.security === declared.execMode && JSON.stringify(live) === JSON.stringify(want);
            return { observed, pass };
        },
    },
});
