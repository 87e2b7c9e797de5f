/**
 * Turns a recording of scripts/record-seccomp.sh into components/container/seccomp/recorded.json: bpftrace's counts
 * by (host name, call number), the started containers' host names and roles, x86_64's call names from the kernel's
 * headers. Merged with what the file holds, so a recording of one workload adds to another's and never drops a call.
 *
 *   npx ts-node --transpile-only scripts/seccompRecord.ts <bpftrace output> <host names>
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { SERVICE_ROLES, type ServiceRole } from "../components/settings/constants";

const UNISTD = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h";
const OUT = path.join(__dirname, "..", "components", "container", "seccomp", "recorded.json");

function callNames(): Map<number, string> {
    if (!fs.existsSync(UNISTD)) throw new Error(`${UNISTD} is missing: install linux-libc-dev`);
    const names = new Map<number, string>();
    for (const m of fs.readFileSync(UNISTD, "utf8").matchAll(/^#define __NR_(\w+) (\d+)$/gm)) names.set(Number(m[2]), m[1]);
    return names;
}

function main(callsFile: string, hostsFile: string): void {
    const roles = new Map<string, ServiceRole>();
    for (const line of fs.readFileSync(hostsFile, "utf8").split("\n")) {
        const [host, role] = line.trim().split(/\s+/);
        if (host && (SERVICE_ROLES as readonly string[]).includes(role)) roles.set(host, role as ServiceRole);
    }
    const names = callNames();
    const seen = new Map<ServiceRole, Set<string>>();
    const unknown = new Set<number>();
    for (const m of fs.readFileSync(callsFile, "utf8").matchAll(/^@\[([^,\]]+), (\d+)\]: \d+$/gm)) {
        const role = roles.get(m[1]);
        if (!role) continue;
        const name = names.get(Number(m[2]));
        if (!name) unknown.add(Number(m[2]));
        else seen.set(role, (seen.get(role) ?? new Set()).add(name));
    }
    if (unknown.size > 0) throw new Error(`calls this machine's headers do not name: ${[...unknown].join(", ")} (newer than ${UNISTD})`);
    const before = fs.existsSync(OUT) ? (JSON.parse(fs.readFileSync(OUT, "utf8")) as Partial<Record<ServiceRole, string[]>>) : {};
    const merged = Object.fromEntries(SERVICE_ROLES.map((role) => [role, [...new Set([...(before[role] ?? []), ...(seen.get(role) ?? [])])].sort()]));
    fs.writeFileSync(OUT, JSON.stringify(merged, null, 2) + "\n");
    for (const role of SERVICE_ROLES) console.log(`${role}: ${merged[role].length} calls (${seen.get(role)?.size ?? 0} in this recording, ${(before[role] ?? []).length} before)`);
}

const [callsFile, hostsFile] = process.argv.slice(2);
if (!callsFile || !hostsFile) throw new Error("usage: seccompRecord.ts <bpftrace output> <host names>");
main(callsFile, hostsFile);
