import type { DeploymentSettings } from "../settings/schema";
import { forRole, type AppArmorChoice, type ContainerRole, type ContainerRuntime } from "../settings/constants";
import { shellQuote } from "../host/hostScript";

/**
 * A container's AppArmor profile (docker-bench 5.2), for hosts whose kernel has AppArmor: Docker's own default
 * (moby/profiles, apparmor/template.go) with what none of the deployment's containers needs taken out. Everything it
 * takes out, another layer already refuses (capabilities dropped, seccomp); the profile refuses it again in the
 * kernel's other gate. It keeps Docker's `file,` and `network,`: where a container may write is the read-only root's
 * and the mounts' business, proven on the engine.
 */

/** Where the host keeps a loaded profile, so that AppArmor's own service loads it again at boot (the containers restart). */
export const APPARMOR_DIR = "/etc/apparmor.d";

/** The kernel says here whether AppArmor is on ("Y"). */
export const APPARMOR_ENABLED = "/sys/module/apparmor/parameters/enabled";

/** One profile per container, by its name: two deployments on one host never unload each other's. */
export const appArmorProfileName = (container: string): string => `clawcage-${container}`;

/** What a container's profile is made from: its name, and the capabilities it is given back after dropping all (none for most). */
export interface AppArmorProfileInput {
    container: string;
    capAdd: readonly string[];
}

/** The profile's text, as apparmor_parser takes it (the tests compile it with the real parser). */
export function renderAppArmorProfile(input: AppArmorProfileInput): string {
    const name = appArmorProfileName(input.container);
    return [
        "# clawcage: generated, do not edit (components/container/apparmor.ts).",
        // ABI 3.0, as Docker's: under a newer ABI `network,` would no longer include unix sockets.
        "abi <abi/3.0>,",
        "#include <tunables/global>",
        "",
        `profile ${name} flags=(attach_disconnected,mediate_deleted) {`,
        "  #include <abstractions/base>",
        "",
        "  network,",
        "  # No raw or packet socket: nothing here pings or sniffs (and NET_RAW is dropped).",
        "  deny network raw,",
        "  deny network packet,",
        "  # Only the capabilities the container is given back; Docker's default allows them all.",
        ...input.capAdd.map((c) => `  capability ${c.toLowerCase()},`),
        "  file,",
        "  umount,",
        "  signal (receive) peer=unconfined,",
        "  signal (receive) peer=runc,",
        "  signal (receive) peer=crun,",
        `  signal (send,receive) peer=${name},`,
        "",
        "  deny @{PROC}/* w,",
        "  deny @{PROC}/{[^1-9],[^1-9][^0-9],[^1-9s][^0-9y][^0-9s],[^1-9][^0-9][^0-9][^0-9/]*}/** w,",
        "  deny @{PROC}/sys/[^k]** w,",
        "  deny @{PROC}/sys/kernel/{?,??,[^s][^h][^m]**} w,",
        "  deny @{PROC}/sysrq-trigger rwklx,",
        "  deny @{PROC}/kcore rwklx,",
        "  deny @{PROC}/mem rwklx,",
        "  deny @{PROC}/kmem rwklx,",
        "  deny mount,",
        "  deny pivot_root,",
        "  deny /sys/[^f]*/** wklx,",
        "  deny /sys/f[^s]*/** wklx,",
        "  deny /sys/fs/[^c]*/** wklx,",
        "  deny /sys/fs/c[^g]*/** wklx,",
        "  deny /sys/fs/cg[^r]*/** wklx,",
        "  deny /sys/firmware/** rwklx,",
        "  deny /sys/devices/virtual/powercap/** rwklx,",
        "  deny /sys/kernel/security/** rwklx,",
        "",
        "  # ps reads its fellow processes; nothing traces them (Docker's default lets one process trace another).",
        `  ptrace (read,readby) peer=${name},`,
        "}",
        "",
    ].join("\n");
}

/** Which profile a container runs under: on gVisor none of the host's (its own kernel mediates the container's files). */
export function appArmorOf(settings: Pick<DeploymentSettings, "container">, role: ContainerRole, runtime: ContainerRuntime): AppArmorChoice | "none" {
    return runtime === "gvisor" ? "none" : forRole(settings.container.apparmor, role);
}

/** The engine's security option. Docker ignores it where the kernel has no AppArmor (measured: the container runs). */
export function appArmorSecurityOpts(choice: AppArmorChoice | "none", container: string): string[] {
    if (choice === "none") return [];
    return [`apparmor=${choice === "clawcage" ? appArmorProfileName(container) : "docker-default"}`];
}

const profilePath = (container: string): string => `${APPARMOR_DIR}/${appArmorProfileName(container)}`;

/** The kernel's AppArmor switch, as a shell test. */
const appArmorOn = `[ "$(cat ${APPARMOR_ENABLED} 2>/dev/null)" = Y ]`;

/**
 * Installs and loads a container's profile before the container starts (the profile arrives on stdin), as root. Where
 * the kernel has no AppArmor it says so and changes nothing. Safe to run again: `apparmor_parser -r` replaces.
 */
export function renderAppArmorLoadScript(container: string): string {
    const file = shellQuote(profilePath(container));
    return [
        "set -euo pipefail",
        `if ! ${appArmorOn}; then echo ${shellQuote(`AppArmor: skipped for ${container}, this host's kernel has none`)}; cat >/dev/null; exit 0; fi`,
        `command -v apparmor_parser >/dev/null || { echo ${shellQuote("AppArmor is on in this host's kernel but apparmor_parser is missing: install it (Debian: apt-get install apparmor), or set container.apparmor to docker-default")} >&2; exit 1; }`,
        `install -d -m 755 ${APPARMOR_DIR}`,
        `tmp=$(mktemp ${APPARMOR_DIR}/.clawcage.XXXXXX)`,
        'cat > "$tmp"',
        // Checked before it replaces the file AppArmor loads at boot.
        'apparmor_parser -Q -K "$tmp" || { rm -f "$tmp"; exit 1; }',
        `chmod 644 "$tmp" && mv -f "$tmp" ${file}`,
        `apparmor_parser -r -W ${file}`,
        `echo ${shellQuote(`AppArmor: ${appArmorProfileName(container)} loaded`)}`,
    ].join("\n") + "\n";
}

/** Unloads and removes a container's profile (once the container is gone). */
export function renderAppArmorUnloadScript(container: string): string {
    const file = shellQuote(profilePath(container));
    return [
        "set -uo pipefail",
        `if [ -f ${file} ]; then`,
        `  if ${appArmorOn} && command -v apparmor_parser >/dev/null; then apparmor_parser -R ${file} || true; fi`,
        `  rm -f ${file}`,
        "fi",
        "true",
    ].join("\n") + "\n";
}
