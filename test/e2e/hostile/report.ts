import type { Scenario } from "./scenario";

/** The hostile suite's report: one row per scenario, as the README shows it. */

export interface ReportRow {
    scenario: Scenario;
    observed: string;
    /** What the negative control observed, once it ran. */
    control?: string;
}

const STAGE: Record<Scenario["deployment"], string> = {
    "observe-rules": "observe, rules block",
    observe: "observe",
    git: "git",
    careless: "git, careless",
    "git-rules": "git, rules block",
};

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\s+/g, " ");

/** A Markdown table: scenario, stage and session, expected, observed, the layer that stopped it, the control. */
export function formatReport(rows: ReportRow[]): string {
    const header = ["scenario", "stage (session)", "expected", "observed", "stopped by", "negative control: loosened → observed"];
    const lines = rows.map(({ scenario: s, observed, control }) => [
        `${s.source}: ${s.name}`,
        `${STAGE[s.deployment]} (${s.session})`,
        s.expected,
        observed === s.expected ? `✔ ${observed}` : `✘ ${observed}`,
        s.layer,
        s.control ? `${s.control.what} → ${control === undefined ? "not run" : control === s.control.expected ? `✔ ${control}` : `✘ ${control}`}` : "— (legitimate use)",
    ]);
    return [header, header.map(() => "---"), ...lines].map((l) => `| ${l.map(cell).join(" | ")} |`).join("\n");
}
