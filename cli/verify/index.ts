import type { Check } from "./check";
import { accessChecks } from "./access";
import { containerChecks } from "./container";
import { hostChecks } from "./host";
import { toolChecks } from "./tools";

export { runChecks, formatTable, type Check, type CheckResult, type LiveDeployment } from "./check";

/**
 * Checks that run against any live deployment. The egress checks need the test harness's stub upstreams
 * (they must not probe the real internet on the operator's behalf), and the rate-limit check locks the
 * ingress address out, so neither runs here.
 */
export const LIVE_CHECKS: Check[] = [...containerChecks, ...hostChecks, ...toolChecks, ...accessChecks.filter((c) => !c.name.includes("429"))];
