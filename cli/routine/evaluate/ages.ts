import { DAY_MS, ITEMS, routineItem, type RoutineItem } from "./item";

export interface Aged {
    name: string;
    days: number;
}

/** Whole days from `since` to `now`; NaN for an unreadable date. */
export function ageInDays(since: Date, now: Date): number {
    return Math.floor((now.getTime() - since.getTime()) / DAY_MS);
}

function ageItem(item: string, dates: Record<string, Date>, now: Date, maxAgeDays: number, adviceFor: (old: string[]) => string): RoutineItem {
    const aged: Aged[] = Object.entries(dates).map(([name, date]) => ({ name, days: ageInDays(date, now) }));
    if (aged.length === 0) return routineItem(item, "warn", "nothing to date", "Nothing was found to check.");
    const unreadable = aged.filter((a) => Number.isNaN(a.days)).map((a) => a.name);
    const old = aged.filter((a) => a.days > maxAgeDays).map((a) => a.name);
    const observed = aged.map((a) => (Number.isNaN(a.days) ? `${a.name}: date unreadable` : `${a.name}: ${a.days} days`)).join("; ");
    const status = unreadable.length > 0 ? "fail" : old.length > 0 ? "warn" : "ok";
    return routineItem(item, status, observed, adviceFor([...unreadable, ...old]));
}

/** modified: token name → last change of its file. The guide rotates tokens monthly. */
export function evaluateTokenAge(modified: Record<string, Date>, now: Date, maxAgeDays = 30): RoutineItem {
    return ageItem(ITEMS.tokenAge, modified, now, maxAgeDays, (old) => `Older than ${maxAgeDays} days (or unreadable): ${old.map((n) => `\`clawcage rotate-token ${n}\``).join(", ")}, then hand the new token to its users.`);
}

/** created: image name → build time. A month-old image carries a month of unpatched base packages. */
export function evaluateImageAge(created: Record<string, Date>, now: Date, maxAgeDays = 30): RoutineItem {
    return ageItem(ITEMS.imageAge, created, now, maxAgeDays, (old) => `Older than ${maxAgeDays} days (or unreadable): scan ${old.join(", ")} for vulnerabilities (\`trivy image NAME\` or \`docker scout cves NAME\`), then move image.gatewayBase / image.proxyBase to a newer tag or digest and run \`pulumi up\`: images are tagged by a hash of their inputs, so only a changed input rebuilds them.`);
}
