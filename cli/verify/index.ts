import type { Check } from "./check";
import { accessChecks } from "./access";
import { containerChecks } from "./container";
import { hostChecks } from "./host";
import { networkChecks } from "./network";
import { secretChecks } from "./secrets";
import { teamChecks } from "./team";
import { toolChecks } from "./tools";

export { runChecks, formatTable, verdictOf, type Check, type CheckResult, type LiveDeployment } from "./check";
export { accessChecks, containerChecks, hostChecks, networkChecks, secretChecks, teamChecks, toolChecks };

/**
 * Every check of the deployment, layer by layer. The access checks come last and the one that locks the
 * caller out last of all, so no other check runs behind a locked door.
 */
export const ALL_CHECKS: Check[] = [containerChecks, hostChecks, toolChecks, networkChecks, teamChecks, secretChecks, accessChecks]
    .flatMap((group): Check[] => Object.values(group))
    .sort((a, b) => Number(a.locksCallerOut ?? false) - Number(b.locksCallerOut ?? false));

/**
 * What `clawcage verify` runs against any live deployment: every check that needs neither the test harness's
 * stub upstreams (it must not probe the real internet on the operator's behalf) nor a locked-out caller.
 */
export const LIVE_CHECKS: Check[] = ALL_CHECKS.filter((c) => !c.needsStubUpstreams && !c.locksCallerOut);
