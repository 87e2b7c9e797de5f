import { checkGroup, type LiveDeployment } from "./check";
import { isWithin } from "../../components/settings/paths";
import { accountIdentity, renderAccountCreateScript } from "../../components/host/hostScript";

const snapshot = (d: LiveDeployment) =>
    d.onHost(`getent group ${d.settings.host.group}; getent passwd ${d.settings.host.user}; passwd -S ${d.settings.host.user} | cut -d' ' -f1,2; find '${d.layout.root}' -printf '%m %u %g %p\\n' | sort`);

/** Guide layer 2, verified on the host (or its stand-in). */
export const hostChecks = checkGroup({
    account: {
        layer: "L2",
        name: "system group and user exist with the declared uid",
        expected: "",
        run: async (d) => {
            const { user, group, uid } = d.settings.host;
            const r = await d.onHost(`getent group ${group}; getent passwd ${user}`);
            const observed = r.stdout.trim().replace(/\n/g, " ; ");
            const pass = new RegExp(`^${group}:x:${uid}:`, "m").test(r.stdout) && new RegExp(`^${user}:x:${uid}:${uid}:.*:${d.layout.home}:/usr/sbin/nologin$`, "m").test(r.stdout);
            return { observed, pass };
        },
    },
    passwordLocked: {
        layer: "L2",
        name: "password login locked",
        expected: "status L",
        run: async (d) => {
            const r = await d.onHost(`passwd -S ${d.settings.host.user}`);
            const status = r.stdout.trim().split(" ")[1] ?? r.stderr.trim();
            return { observed: `status ${status}`, pass: status === "L" };
        },
    },
    folderModes: {
        layer: "L2",
        name: "every folder has the declared owner and mode (config 700, workspace 755, logs 750)",
        expected: "",
        run: async (d) => {
            const r = await d.onHost(d.layout.folders.map((f) => `stat -c '%a %U:%G %n' '${f.path}'`).join("; "));
            const owner = `${d.settings.host.user}:${d.settings.host.group}`;
            const wrong = d.layout.folders.filter((f) => !r.stdout.split("\n").includes(`${f.mode} ${owner} ${f.path}`));
            return { observed: wrong.length === 0 ? `${d.layout.folders.length} folders as declared` : `differs: ${wrong.map((f) => f.path).join(" ")} | ${r.stdout.trim()}`, pass: wrong.length === 0 && r.code === 0 };
        },
    },
    fileModes: {
        layer: "L2",
        name: "credential and config files are 600, owned by the service account",
        expected: "600",
        run: async (d) => {
            // Every file the host step writes (the layout's list); the ingress proxy's only when it is published.
            const files = d.layout.files.filter((f) => d.ingressProxy || !isWithin(f.path, d.layout.ingressConfig));
            const r = await d.onHost(files.map((f) => `stat -c '%a %U %n' '${f.path}'`).join("; "));
            const lines = r.stdout.trim().split("\n");
            const pass = r.code === 0 && lines.length === files.length && files.every((f, i) => lines[i] === `${f.mode} ${d.settings.host.user} ${f.path}`);
            return { observed: lines.join(" ; "), pass };
        },
    },
    createIdempotent: {
        layer: "L2",
        name: "the create script run again succeeds and changes nothing",
        mutatesHost: true,
        expected: "exit 0, identical state",
        run: async (d) => {
            const before = await snapshot(d);
            const again = await d.onHost(renderAccountCreateScript(accountIdentity(d.settings), d.layout));
            const after = await snapshot(d);
            const same = before.stdout === after.stdout;
            return { observed: `exit ${again.code}, ${same ? "identical state" : "state changed"}`, pass: again.code === 0 && same };
        },
    },
});
