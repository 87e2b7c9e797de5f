import { docker } from "../../cli/live/docker";
import { deploymentContainers, type Check } from "../../cli/verify/check";
import { accountIdentity, renderAccountDeleteScript } from "../../components/host/hostScript";

/** HostAccount's delete script, run on the (stand-in) host: destructive, so it runs last. */
export const hostDeleteCheck: Check = {
    layer: "L2",
    name: "the delete script cleans up and keeps the evidence",
    mutatesHost: true,
    expected: "no user, no group, no config/state; workspace and logs root 700",
    run: async (d) => {
        const { user, group } = d.settings.host;
        const script = renderAccountDeleteScript(accountIdentity(d.settings), d.layout, false);
        // `pulumi destroy` removes the containers before the account they depend on. One left running would be
        // restarted by Docker when its files vanish (seen: the alert watcher), and Docker recreates a missing
        // bind-mount source, as root, under the folder just deleted.
        await docker(["stop", "--time", "10", ...deploymentContainers(d)], { timeoutMs: 120_000 });
        const del = await d.onHost(script);
        const again = await d.onHost(script);
        const r = await d.onHost(
            `id -u ${user} >/dev/null 2>&1 && echo user-left; getent group ${group} >/dev/null && echo group-left; ` +
                `for p in '${d.layout.root}/config' '${d.layout.state}'; do [ -e "$p" ] && echo "left:$p"; done; ` +
                `stat -c '%a %U %n' '${d.layout.workspace}' '${d.layout.root}/logs'`,
        );
        const kept = r.stdout.split("\n").filter((l) => l.startsWith("700 root "));
        const left = r.stdout.split("\n").filter((l) => /left/.test(l));
        return { observed: `delete exit ${del.code}/${again.code}; ${left.join(" ") || "nothing left"}; kept ${kept.length}`, pass: del.code === 0 && again.code === 0 && left.length === 0 && kept.length === 2 };
    },
};
