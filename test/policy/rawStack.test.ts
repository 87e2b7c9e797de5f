import { strict as assert } from "node:assert";
import { policies } from "../../policy/api";
import { SECRET_SIG, SECRET_SIG_KEY } from "../../cli/record/program";
import { change, check } from "./fixtures";
import { rawStack, SQUID_CONF } from "./rawStack";

const policy = (name: string) => {
    const found = policies.find((p) => p.name === name);
    if (!found) throw new Error(`no policy ${name}`);
    return found;
};

describe("policy pack on a raw @pulumi/docker stack (no clawcage components)", () => {
    for (const p of policies) {
        it(`compliant: ${p.name} passes`, async () => {
            const result = await check(p, rawStack());
            assert.deepEqual(result.violations, []);
            // The guard compares clawcage's permission outputs, which a hand-written stack does not export; it has no sandbox
            // host; and it has no Kubernetes object.
            assert.equal(result.status, ["one-loosening-at-a-time", "container-sandbox-gvisor", "kubernetes-pod-security", "kubernetes-network-confined"].includes(p.name) ? "n/a" : "pass");
        });
    }

    it("leaves containers that do not run OpenClaw alone (a privileged postgres is not its business)", async () => {
        const result = await check(policy("container-not-privileged"), rawStack());
        assert.equal(result.applied, 3);
    });

    const violations: [string, string, (props: Record<string, unknown>) => void, string][] = [
        ["container-non-root-user", "openclaw", (p) => void delete p.user, "no user is set"],
        ["published-port-allowlisted", "front", (p) => void (p.ports = [{ internal: 18789, external: 18789 }]), "0.0.0.0 (unset)"],
        ["published-port-allowlisted", "front", (p) => void (p.ports = [{ internal: 18789, external: 18789, ip: "::" }]), "every interface"],
        ["gateway-internal-networks-only", "openclaw", (p) => void delete p.networkMode, "'bridge'"],
        ["egress-only-through-proxy", "squid", (p) => void (p.labels = []), "not a declared proxy"],
        ["no-plaintext-secret-env", "openclaw", (p) => void (p.envs = (p.envs as Record<string, unknown>).value), "OPENCLAW_GATEWAY_TOKEN"],
        ["openclaw-token-from-secret-ref", "openclaw", (p) => void (p.envs = { [SECRET_SIG_KEY]: SECRET_SIG, value: ["OPENCLAW_GATEWAY_TOKEN=short"] }), "5 characters"],
        ["openclaw-sandbox-on", "openclaw", (p) => void (p.uploads = [{ file: "/home/node/.openclaw/openclaw.json", content: "{\"gateway\":{\"auth\":{\"mode\":\"token\"}}}" }]), "sandbox.mode is 'off'"],
        ["images-pinned", "openclaw-image", (p) => void (p.name = "ghcr.io/openclaw/openclaw"), "has no tag"],
        ["container-pids-limit", "pids-limits", (p) => void (p.create = "docker update --pids-limit 256 squid front"), "openclaw: no pids limit"],
        ["egress-proxy-clients", "squid", (p) => void (p.uploads = [{ file: "/etc/squid/squid.conf", content: SQUID_CONF.replace("http_access deny !gateway_clients\n", "") }]), "does not refuse the clients outside"],
        ["container-no-docker-socket", "openclaw", (p) => void (p.mounts = [{ type: "bind", source: "/run", target: "/host-run" }]), "/run"],
    ];
    for (const [name, target, edit, expected] of violations) {
        it(`non-compliant: ${name} catches a change to ${target}`, async () => {
            const result = await check(policy(name), change(rawStack(), target, edit));
            assert.equal(result.status, "fail");
            assert.match(result.violations.map((v) => v.message).join("\n"), new RegExp(expected.replace(/[.*()'[\]]/g, "\\$&")));
        });
    }
});
