import type { DeploymentSettings } from "../settings/schema";
import type { HostLayout } from "./layout";

/**
 * Pure renderers of the shell scripts that prepare the host (guide layer 2). Every script is
 * idempotent: running it again converges on the same state and changes nothing else.
 */

/** Single-quotes a value for POSIX shells. */
export function shellQuote(value: string): string {
    return `'${value.replace(/'/g, `'"'"'`)}'`;
}

export interface AccountIdentity {
    user: string;
    group: string;
    uid: number;
}

export function accountIdentity(s: DeploymentSettings): AccountIdentity {
    return { user: s.host.user, group: s.host.group, uid: s.host.uid };
}

/** Runs a script as root: directly when already root, else through passwordless sudo (never prompting). */
export function asRoot(script: string): string {
    return `if [ "$(id -u)" = 0 ]; then bash -c ${shellQuote(script)}; else sudo -n bash -c ${shellQuote(script)}; fi`;
}

export function renderAccountCreateScript(id: AccountIdentity, layout: HostLayout): string {
    const u = shellQuote(id.user);
    const g = shellQuote(id.group);
    const lines = [
        "set -euo pipefail",
        "# clawcage host account (guide layer 2). Safe to run again.",
        `getent group ${g} >/dev/null || groupadd --system --gid ${id.uid} ${g}`,
        `id -u ${u} >/dev/null 2>&1 || useradd --system --uid ${id.uid} --gid ${g} --home-dir ${shellQuote(layout.home)} --no-create-home --shell /usr/sbin/nologin ${u}`,
        `[ "$(id -u ${u})" = ${id.uid} ] || { echo "user ${id.user} exists with another uid; containers run as ${id.uid}: fix host.uid or the account" >&2; exit 1; }`,
        "# No password login: the account only runs containers.",
        `usermod --lock ${u}`,
        ...layout.folders.map(
            (f) => `install -d -o ${u} -g ${g} -m ${f.mode} ${shellQuote(f.path)}  # ${f.why}`,
        ),
        "# Generated files (each written by its own step): a re-run restores their owner and mode. A symlink",
        "# planted in their place is left alone, so root never hands over or opens up what it points to.",
        `restore() { if [ -f "$1" ] && [ ! -L "$1" ]; then chown ${u}:${g} "$1" && chmod "$2" "$1"; fi; }`,
        ...layout.files.map((f) => `restore ${shellQuote(f.path)} ${f.mode}  # ${f.why}`),
        "# Other credential files: the service account alone may read them.",
        `find ${shellQuote(layout.root)} -xdev -type f \\( -name '*.token' -o -name '*credentials*' \\) -exec chmod 600 {} +`,
    ];
    return lines.join("\n") + "\n";
}

/**
 * Removes the account and everything that holds configuration or secrets. Workspace and logs are
 * evidence and user data: they stay, handed to root, unless `deleteData` is set.
 */
export function renderAccountDeleteScript(id: AccountIdentity, layout: HostLayout, deleteData: boolean): string {
    const u = shellQuote(id.user);
    const g = shellQuote(id.group);
    const keep = layout.removal.kept;
    const lines = [
        "set -euo pipefail",
        "# clawcage host account removal. Safe to run again.",
        `rm -rf ${layout.removal.deleted.map(shellQuote).join(" ")}`,
        deleteData
            ? `rm -rf ${shellQuote(layout.root)}`
            : `for d in ${keep.map(shellQuote).join(" ")}; do [ -d "$d" ] && chown -R root:root "$d" && chmod 700 "$d"; done; [ -d ${shellQuote(layout.root)} ] && chown root:root ${shellQuote(layout.root)} && chmod 700 ${shellQuote(layout.root)}; true`,
        `id -u ${u} >/dev/null 2>&1 && userdel ${u}`,
        `getent group ${g} >/dev/null && groupdel ${g}`,
        "true",
    ];
    return lines.join("\n") + "\n";
}

/**
 * Writes a file atomically (temp file + rename), owned by the service account. The content arrives
 * on stdin so that secrets never sit in a command line or the script text.
 */
export function renderFileWriteScript(id: AccountIdentity, filePath: string, mode: string): string {
    const f = shellQuote(filePath);
    return [
        "set -euo pipefail",
        "umask 077",
        `tmp=$(mktemp ${shellQuote(`${filePath}.XXXXXX`)})`,
        'cat > "$tmp"',
        `chown ${shellQuote(id.user)}:${shellQuote(id.group)} "$tmp"`,
        `chmod ${mode} "$tmp"`,
        `mv -f "$tmp" ${f}`,
    ].join("\n") + "\n";
}
