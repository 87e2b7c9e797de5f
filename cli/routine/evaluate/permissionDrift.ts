import type { CheckResult } from "../../verify/check";
import { ITEMS, routineItem, type RoutineItem } from "./item";

/** A failed host check means an owner or mode changed after deployment: by hand, or by someone who should not. */
export function fromCheckResult(r: CheckResult): RoutineItem {
    const advice = "Find out who changed it first (shell history, `openclaw audit`), then restore the declared owners and modes with `pulumi up` (the host create script converges on them).";
    return routineItem(`${ITEMS.permissionDrift}: ${r.name}`, r.pass ? "ok" : "fail", r.observed, advice);
}
