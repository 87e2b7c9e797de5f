import { areaOf } from "../../policy/api";
import type { PolicyResult } from "./evaluate";
import { renderTable } from "../table";

const STATUS: Record<PolicyResult["status"], string> = {
    pass: "PASS",
    fail: "FAIL",
    unknown: "UNKNOWN",
    "n/a": "n/a",
    disabled: "disabled",
};

function why(result: PolicyResult): string {
    if (result.status === "fail") return result.violations.map((v) => v.message).join("\n");
    if (result.status === "unknown") return result.notes.join("\n");
    if (result.status === "n/a") return result.notApplicable.filter((r) => !r.startsWith("Policy only applies")).join("\n") || "nothing it applies to";
    if (result.status === "disabled") return "disabled by policy config";
    if ("validateStack" in result.policy) return "checked the stack";
    return `checked ${result.applied} resource(s)`;
}

/** The pre-deploy checklist as a table: one row per policy, with why it failed and how to fix it. */
export function renderChecklist(results: PolicyResult[]): string {
    const rows = results.map((r) => {
        const cisRef = r.policy.framework ? ` (CIS ${r.policy.framework.reference})` : "";
        return [
            `${areaOf(r.policy) ?? ""}: ${r.policy.displayName ?? r.policy.name}${cisRef}\n${r.policy.name}`,
            `${STATUS[r.status]}\n${r.level}`,
            why(r),
            r.status === "fail" || r.status === "unknown" ? (r.policy.remediationSteps ?? "") : "",
        ];
    });
    return renderTable(
        [
            { title: "item", width: 32 },
            { title: "status", width: 9 },
            { title: "why", width: 44 },
            { title: "how to fix", width: 40 },
        ],
        rows,
    );
}
