import type { LiveDeployment } from "../verify/check";
import {
    collectAuditLedger,
    collectConfigBackup,
    collectContainerLoad,
    collectDeploymentSize,
    collectImageAge,
    collectLogRoom,
    collectOpenclawVersion,
    collectPermissionDrift,
    collectTokenAge,
    collectUnauthorisedAttempts,
} from "./collect";
import { ITEMS, type RoutineItem } from "./evaluate";

/** The guide's runtime checklist, split as it splits it: weekly upkeep and monthly renewal. */

export interface RoutineOptions {
    /** Called with the item's name before each item runs. */
    progress?: (line: string) => void;
    /** The moment ages and windows are measured from (tests fix it). */
    now?: Date;
}

export interface WeeklyOptions extends RoutineOptions {
    /** Host folder that receives the config backup archive. */
    backupDir: string;
    /** The deployment root above this size warns. */
    warnAboveMb?: number;
    /** How far back the unauthorised-attempt count looks. */
    windowDays?: number;
}

export interface MonthlyOptions extends RoutineOptions {
    /** The guide rotates tokens monthly. */
    tokenMaxAgeDays?: number;
    imageMaxAgeDays?: number;
}

export interface RoutineStep {
    item: string;
    collect: () => Promise<RoutineItem | RoutineItem[]>;
}

const DAY_MS = 86_400_000;
const DEFAULT_WARN_ABOVE_MB = 10_240;

/** Runs every step even when one throws: a broken collector is that item's fail, never a missing report. */
export async function runRoutine(steps: RoutineStep[], progress?: (line: string) => void): Promise<RoutineItem[]> {
    const items: RoutineItem[] = [];
    for (const step of steps) {
        progress?.(step.item);
        try {
            items.push(...[await step.collect()].flat());
        } catch (e) {
            items.push({ item: step.item, status: "fail", observed: `error: ${(e as Error).message}`, advice: "The check could not run: fix the cause in the error, then run the checklist again." });
        }
    }
    return items;
}

export function weekly(d: LiveDeployment, opts: WeeklyOptions): Promise<RoutineItem[]> {
    const now = opts.now ?? new Date();
    const since = new Date(now.getTime() - (opts.windowDays ?? 7) * DAY_MS);
    return runRoutine(
        [
            { item: ITEMS.auditLedger, collect: () => collectAuditLedger(d, since) },
            { item: ITEMS.logRoom, collect: () => collectLogRoom(d) },
            { item: ITEMS.containerLoad, collect: () => collectContainerLoad(d) },
            { item: ITEMS.deploymentSize, collect: () => collectDeploymentSize(d, opts.warnAboveMb ?? DEFAULT_WARN_ABOVE_MB) },
            { item: ITEMS.unauthorisedAttempts, collect: () => collectUnauthorisedAttempts(d, since) },
            { item: ITEMS.configBackup, collect: () => collectConfigBackup(d, opts.backupDir, now) },
            { item: ITEMS.permissionDrift, collect: () => collectPermissionDrift(d) },
        ],
        opts.progress,
    );
}

/** Permission drift runs again here as the guide's "review and remove unused permissions". */
export function monthly(d: LiveDeployment, opts: MonthlyOptions = {}): Promise<RoutineItem[]> {
    const now = opts.now ?? new Date();
    return runRoutine(
        [
            { item: ITEMS.openclawVersion, collect: () => collectOpenclawVersion(d) },
            { item: ITEMS.tokenAge, collect: () => collectTokenAge(d, now, opts.tokenMaxAgeDays ?? 30) },
            { item: ITEMS.imageAge, collect: () => collectImageAge(d, now, opts.imageMaxAgeDays ?? 30) },
            { item: ITEMS.permissionDrift, collect: () => collectPermissionDrift(d) },
        ],
        opts.progress,
    );
}
