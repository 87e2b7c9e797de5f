import { ITEMS, routineItem, type RoutineItem } from "./item";

export function evaluateConfigBackup(archive: string, bytes: number): RoutineItem {
    const advice = "The backup is empty: check the config folders on the host and the free space where the archive is written, then run the backup again.";
    return routineItem(ITEMS.configBackup, bytes > 0 ? "ok" : "fail", `${archive} (${bytes} bytes; holds secrets, mode 600)`, advice);
}
