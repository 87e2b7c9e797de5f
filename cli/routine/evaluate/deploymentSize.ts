import { formatKb, ITEMS, routineItem, type RoutineItem } from "./item";

export function evaluateDeploymentSize(duText: string, warnAboveMb: number): RoutineItem {
    const m = /^(\d+)\s+(.*)$/m.exec(duText.trim());
    if (!m) return routineItem(ITEMS.deploymentSize, "fail", `du printed: ${duText.trim() || "(nothing)"}`, "Check that the deployment root exists on the host.");
    const kb = Number(m[1]);
    const advice = `Above the ${warnAboveMb} MiB mark: look for what grows (\`du -sh ${m[2]}/*\`): old sessions in .openclaw, a large workspace, the never-rotated egress access.log.`;
    return routineItem(ITEMS.deploymentSize, kb > warnAboveMb * 1024 ? "warn" : "ok", `${formatKb(kb)} in ${m[2]}`, advice);
}
