import type { Scenario } from "./scenario";

/** The hostile suite's report: one row per scenario, as the README shows it. */

export interface ReportRow {
    scenario: Scenario;
    observed: string;
    /** What the negative control observed, once it ran. */
    control?: string;
    /** The alerts the attack raised at the webhook and the mail server (the same at both, or the run fails). */
    alerts?: string[];
}

/** `secret-file blocked ×2, dangerous-command seen`, or none. */
export function alertCell(alerts: readonly string[] | undefined): string {
    if (alerts === undefined) return "not run";
    const counts = new Map<string, number>();
    for (const a of alerts) counts.set(a, (counts.get(a) ?? 0) + 1);
    return counts.size === 0 ? "none" : [...counts].map(([a, n]) => (n > 1 ? `${a} ×${n}` : a)).join(", ");
}

const STAGE: Record<Scenario["deployment"], string> = {
    "observe-rules": "observe, rules block",
    observe: "observe",
    git: "git",
    careless: "git, careless",
    "git-rules": "git, rules block",
};

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\s+/g, " ");

/** A Markdown table: scenario, stage and session, expected, observed, the layer that stopped it, its alerts, the control. */
export function formatReport(rows: ReportRow[]): string {
    const header = ["scenario", "stage (session)", "expected", "observed", "stopped by", "alerts (webhook and mail)", "negative control: loosened → observed"];
    const lines = rows.map(({ scenario: s, observed, control, alerts }) => [
        `${s.source}: ${s.name}`,
        `${STAGE[s.deployment]} (${s.session})`,
        s.expected,
        observed === s.expected ? `✔ ${observed}` : `✘ ${observed}`,
        s.layer,
        alertCell(alerts),
        s.control ? `${s.control.what} → ${control === undefined ? "not run" : control === s.control.expected ? `✔ ${control}` : `✘ ${control}`}` : "— (legitimate use)",
    ]);
    return [header, header.map(() => "---"), ...lines].map((l) => `| ${l.map(cell).join(" | ")} |`).join("\n");
}
