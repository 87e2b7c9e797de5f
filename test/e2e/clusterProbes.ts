import { strict as assert } from "node:assert";
import { dockerOk, exec } from "../../cli/live/docker";
import { runChecks, type CheckResult } from "../../cli/verify";
import { podChecks, type ProbedGateway } from "../../cli/verify/cluster";
import { HARNESS, startExtra, type Environment } from "./harness";
import { deploymentNames } from "../../components/deployment/names";
import { GATEWAY_PATHS } from "../../components/host/layout";

/**
 * The probes `clawcage verify --kubernetes` runs inside a gateway pod, run here through `docker exec` (no cluster
 * runs here): every one passes on the deployed gateway, and fails on a gateway as a careless pod spec would run it.
 * The probes read the kernel and the network, not Docker: what differs on a cluster is only the transport.
 */
export function clusterProbeTests(envOf: () => Environment, rows: CheckResult[]): void {
    const probed = (container: string): ProbedGateway => {
        const env = envOf();
        // The stub answers on the egress network: only the gateway's own network can keep it from connecting.
        return { settings: env.live.settings, exec: (command) => exec(container, command), outsideAddress: env.live.fixtures?.stubAddress };
    };

    it("L1/L2/L5 every in-pod probe of `clawcage verify --kubernetes` passes on the deployed gateway", async () => {
        const results = await runChecks(Object.values(podChecks), probed(envOf().live.gateway));
        rows.push(...results.map((r) => ({ ...r, name: `in the pod: ${r.name}` })));
        for (const r of results) assert.ok(r.pass, `${r.name}: expected ${r.expected}, observed ${r.observed}`);
    });

    it("L1/L2/L5 each fails on a gateway run as a careless pod spec runs it (a negative control per probe)", async () => {
        const env = envOf();
        // Root, a writable root, default capabilities, escalation allowed, no seccomp filter, a route out, no proxy,
        // a service-account token mounted, and credentials any user may read.
        const weak = await startExtra(env, ["--name", `${HARNESS}-weak-pod`, "-u", "0", "--network", deploymentNames().networks.egress, "--security-opt", "seccomp=unconfined", "--entrypoint", "sleep", env.gatewayImage, "infinity"]);
        const credentials = [GATEWAY_PATHS.tokenFile, GATEWAY_PATHS.sandboxClientKeyFile];
        await dockerOk(["exec", weak, "sh", "-c", `mkdir -p /var/run/secrets/kubernetes.io/serviceaccount ${GATEWAY_PATHS.config} && echo token > /var/run/secrets/kubernetes.io/serviceaccount/token && for f in ${credentials.join(" ")}; do echo x > $f; chmod 644 $f; done`]);
        const results = await runChecks(Object.values(podChecks), probed(weak));
        const passed = results.filter((r) => r.pass);
        assert.deepEqual(passed.map((r) => `${r.name}: ${r.observed}`), [], "a probe passed on the weakened gateway");
        assert.equal(results.length, Object.keys(podChecks).length);
    });
}
