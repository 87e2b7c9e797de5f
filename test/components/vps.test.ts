import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LOCAL_RUN, reveal, runProgram, runStack, runStackConfig, stackConfig, type ProgramRun } from "../../cli/record/program";
import { parseSettings, SettingsError } from "../../components/settings/parse";
import { hostKeyFingerprint, parseHostKey, pinnedHostKey } from "../../components/host/sshHostKey";
import { renderSshPreflightScript, sshClientFiles, type SshTarget } from "../../components/host/sshClient";
import { firewallChain, renderFirewallCreateScript, renderFirewallDeleteScript } from "../../components/host/hostFirewall";

const DOCKER_TYPES = ["docker:index/network:Network", "docker:index/image:Image", "docker:index/container:Container"];
const DOCKER_PROVIDER = "pulumi:providers:docker";

/** A fresh ed25519 host key line, made by OpenSSH itself. */
function freshHostKey(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hostkey-"));
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "", "-f", path.join(dir, "k")]);
    const line = fs.readFileSync(path.join(dir, "k.pub"), "utf8").trim();
    const fingerprint = execFileSync("ssh-keygen", ["-lf", path.join(dir, "k.pub")], { encoding: "utf8" }).split(" ")[1];
    fs.rmSync(dir, { recursive: true });
    return `${line}\n${fingerprint}`;
}

describe("VPS over SSH: one Docker provider for the host, a pinned host key", () => {
    let prod: ProgramRun;
    before(async function () {
        this.timeout(60000);
        prod = await runStack("prod");
    });

    it("prod: every image, network and container goes through one Docker provider for ssh://root@vps.example.com:22", () => {
        const providers = prod.resources.filter((r) => r.type === DOCKER_PROVIDER);
        assert.equal(providers.length, 1, "one provider");
        // A provider's settings reach the engine JSON-encoded.
        const inputs = reveal(providers[0].inputs) as { host: string; sshOpts: string };
        assert.equal(inputs.host, "ssh://root@vps.example.com:22");
        const sshOpts = JSON.parse(inputs.sshOpts) as string[];
        assert.ok(sshOpts.includes("StrictHostKeyChecking=yes"), sshOpts.join(" "));
        const docker = prod.resources.filter((r) => DOCKER_TYPES.includes(r.type));
        assert.ok(docker.length >= 10, `${docker.length} docker resources`);
        const ref = `${providers[0].name}`;
        const stray = docker.filter((r) => !r.provider?.includes(`::${ref}::`));
        assert.deepEqual(stray.map((r) => r.name), [], "resources on the default (local) engine");
    });

    it("a larger stack's own Docker provider is used for every Docker resource instead of one of the component's", async function () {
        this.timeout(60000);
        const run = await runProgram({}, [], undefined, path.join(__dirname, "..", "fixtures", "largerStack.ts"));
        const docker = run.resources.filter((r) => DOCKER_TYPES.includes(r.type));
        // Unpublished: three networks, three images, three containers.
        assert.equal(docker.length, 9);
        assert.deepEqual(docker.filter((r) => !r.provider?.includes("::team-engine::")).map((r) => r.name), []);
        assert.deepEqual(run.resources.filter((r) => r.type === DOCKER_PROVIDER).map((r) => r.name), ["team-engine"]);
    });

    it("prod (0.0.0.0 on the VPS): the generated certificate names the VPS, so clients verify it by the name they connect to", () => {
        const cert = reveal(prod.resources.find((r) => r.type === "tls:index/selfSignedCert:SelfSignedCert")?.inputs) as { dnsNames: string[]; ipAddresses: string[] };
        assert.deepEqual(cert.dnsNames, ["vps.example.com"]);
        assert.ok(!cert.ipAddresses.includes("0.0.0.0"));
    });

    it("dev (local target) keeps the ambient engine: no provider, no SSH preflight", async function () {
        this.timeout(60000);
        const dev = await runStack("dev");
        assert.equal(dev.resources.filter((r) => r.type === DOCKER_PROVIDER).length, 0);
        assert.equal(dev.invokes.filter((i) => i.token === LOCAL_RUN).length, 0);
    });

    it("prod: every host step pins the host key; the preflight invoke carries the key on stdin, never in its script", () => {
        const settings = parseSettings(stackConfig("prod")["clawcage:settings"]);
        const target = settings.host.target as SshTarget;
        const remote = prod.resources.filter((r) => r.type === "command:remote:Command");
        assert.ok(remote.length > 5);
        for (const r of remote) assert.equal((reveal(r.inputs) as { connection: { hostKey: string } }).connection.hostKey, target.hostKey, r.name);
        const [preflight] = prod.invokes.filter((i) => i.token === LOCAL_RUN);
        const args = reveal(preflight.inputs) as { command: string; stdin: string };
        assert.match(args.stdin, /BEGIN OPENSSH PRIVATE KEY/);
        assert.doesNotMatch(args.command, /PRIVATE KEY/);
        assert.ok(args.command.includes(pinnedHostKey(target.hostKey).blob));
    });

    it("a missing or mangled host key is refused before anything is declared, naming the field and how to get the key", async function () {
        this.timeout(60000);
        const config = stackConfig("prod");
        const settings = config["clawcage:settings"] as { host: { target: Record<string, unknown> } };
        for (const [hostKey, why] of [[undefined, /pin the VPS's SSH host key/], ["ssh-ed25519 AAAAC3NzaC1yc2E=", /not a ssh-ed25519 key blob/], ["ssh-dss AAAA", /not an SSH host key type/]] as const) {
            const target = { ...settings.host.target, hostKey };
            assert.throws(() => parseSettings({ ...settings, host: { ...settings.host, target } }), (e: Error) => e instanceof SettingsError && /host\.target\.hostKey/.test(e.message) && why.test(e.message) && /ssh_host_ed25519_key\.pub/.test(e.message));
        }
        await assert.rejects(runStackConfig({ ...config, "clawcage:settings": { ...settings, host: { ...settings.host, target: { ...settings.host.target, hostKey: undefined } } } }), /hostKey/);
    });

    it("an address or user that is not a host name, IP or login name is refused (they reach a shell and ssh's command line)", () => {
        const settings = stackConfig("prod")["clawcage:settings"] as { host: { target: Record<string, unknown> } };
        const target = (change: Record<string, unknown>) => parseSettings({ ...settings, host: { ...settings.host, target: { ...settings.host.target, ...change } } });
        assert.throws(() => target({ address: "$(reboot)" }), /host\.target\.address.*host name or IP address/s);
        assert.throws(() => target({ address: "-oProxyCommand=x" }), /host\.target\.address/);
        assert.throws(() => target({ user: "root;id" }), /host\.target\.user.*login name/s);
        assert.doesNotThrow(() => target({ address: "2001:db8::10", user: "deploy" }));
    });

    it("fingerprints match OpenSSH's own (ssh-keygen -l), for a key it made", () => {
        const [line, fingerprint] = freshHostKey().split("\n");
        const key = parseHostKey(line);
        assert.ok(typeof key !== "string");
        assert.equal(hostKeyFingerprint(key), fingerprint);
    });

    it("the preflight refuses a host whose key is not the pinned one, and says how to confirm the new one ", function () {
        this.timeout(30000);
        // ssh-keyscan is replaced by a stand-in printing another key: the comparison and the message are what is tested.
        const [pinned] = freshHostKey().split("\n");
        const [offered] = freshHostKey().split("\n");
        const home = fs.mkdtempSync(path.join(os.tmpdir(), "preflight-"));
        const bin = path.join(home, "bin");
        fs.mkdirSync(bin);
        const scan = (line: string) => fs.writeFileSync(path.join(bin, "ssh-keyscan"), `#!/bin/sh\necho "vps.example.com ${line}"\n`, { mode: 0o755 });
        const target: SshTarget = { kind: "ssh", address: "vps.example.com", port: 22, user: "root", hostKey: pinned };
        const files = sshClientFiles(target, home);
        const run = () => execFileSync("bash", ["-c", renderSshPreflightScript(target, files)], { input: "KEY", env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, encoding: "utf8", stdio: "pipe" });
        scan(pinned);
        run();
        assert.equal(fs.readFileSync(files.identity, "utf8"), "KEY");
        assert.equal(fs.statSync(files.identity).mode & 0o777, 0o600);
        assert.match(fs.readFileSync(files.knownHosts, "utf8"), /^vps\.example\.com ssh-ed25519 /);
        scan(offered);
        assert.throws(run, (e: Error & { stderr: string }) => {
            const offeredKey = parseHostKey(offered);
            return typeof offeredKey !== "string" && e.stderr.includes(hostKeyFingerprint(offeredKey)) && /Nothing was deployed/.test(e.stderr) && /ssh-keygen -lf/.test(e.stderr);
        });
        fs.rmSync(home, { recursive: true });
    });
});

describe("VPS host firewall: the IP allowlist again in DOCKER-USER", () => {
    it("prod (0.0.0.0): a firewall step before the ingress, allowing the allowlist and dropping the rest", async function () {
        this.timeout(60000);
        const prod = await runStack("prod");
        const step = reveal(prod.resources.find((r) => r.name === "openclaw-ingress-firewall")?.inputs) as { create: string; delete: string } | undefined;
        assert.ok(step, "firewall step declared");
        assert.match(step.create, /-A CLAWCAGE-18789 -s 203\.0\.113\.0\/24 -j RETURN/);
        assert.match(step.create, /-A CLAWCAGE-18789 -j DROP/);
        assert.match(step.create, /--ctorigdstport 18789 -j CLAWCAGE-18789/);
        const dev = await runStack("dev");
        assert.equal(dev.resources.some((r) => r.name.endsWith("-firewall")), false, "a loopback port needs none");
    });

    it("a specific address is matched as the original destination; delete removes the jump and the chain only", () => {
        const f = { address: "192.0.2.10", port: 443, ipAllowlist: ["198.51.100.0/24", "2001:db8::/32"] };
        const create = renderFirewallCreateScript(f);
        assert.match(create, /--ctorigdst 192\.0\.2\.10 -j CLAWCAGE-443/);
        assert.doesNotMatch(create, /2001:db8/, "an IPv6 client cannot reach an IPv4 address");
        assert.doesNotMatch(create, /ip6tables/);
        const del = renderFirewallDeleteScript(f);
        assert.match(del, new RegExp(`-D DOCKER-USER .* -j ${firewallChain(443)}`));
        assert.match(del, /-X CLAWCAGE-443/);
        assert.doesNotMatch(del, /-F DOCKER-USER|-X DOCKER-USER/);
        assert.match(renderFirewallCreateScript({ ...f, address: "::" }), /ip6tables-restore[\s\S]*-s 2001:db8::\/32 -j RETURN/);
    });
});
