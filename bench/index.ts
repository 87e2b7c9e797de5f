import { benchAlerts } from "./alerts";
import { writeChart } from "./chart";
import { benchGvisor } from "./gvisor";
import { benchEgress } from "./egress";
import { benchIngress } from "./ingress";
import { benchScale } from "./scale";
import { benchStartup } from "./startup";
import { benchTeam } from "./team";

type Log = (line: string) => void;

/** The benchmarks by name: `npm run bench` runs them all, `npm run bench -- gvisor` the ones named. */
const BENCHES: Record<string, { title: string; run: (log: Log) => Promise<void> }> = {
    alerts: { title: "alerts: the time from an event to its alert", run: benchAlerts },
    gvisor: { title: "gvisor: the sandbox host on gVisor against runc", run: benchGvisor },
    egress: { title: "egress: requests through the egress proxy against direct", run: async (log) => void (await benchEgress(log)) },
    ingress: { title: "ingress: requests and WebSockets through the ingress proxy against straight to the gateway", run: async (log) => void (await benchIngress(log)) },
    startup: { title: "startup: the hardened gateway's cold start against the same image unhardened", run: async (log) => void (await benchStartup(log)) },
    team: { title: "team: deploying 1, 4 and 8 gateways on the engine against starting them by hand", run: async (log) => void (await benchTeam(log)) },
    scale: { title: "scale: the program's evaluation for 1, 10 and 100 gateways, and the policy pack over 1,000 resources", run: async (log) => void (await benchScale(log)) },
};

/**
 * `npm run bench`: the benchmarks, each a ratio against a baseline run side by side, never a pass or fail. Needs
 * the Docker engine the e2e uses (and its base images, built when missing); the gVisor one, runsc registered.
 */
async function main(): Promise<void> {
    const log: Log = (line) => console.log(line);
    const named = process.argv.slice(2);
    const unknown = named.filter((n) => !(n in BENCHES));
    if (unknown.length > 0) throw new Error(`no benchmark ${unknown.join(", ")}: choose from ${Object.keys(BENCHES).join(", ")}`);
    for (const [name, bench] of Object.entries(BENCHES)) {
        if (named.length > 0 && !named.includes(name)) continue;
        log(bench.title);
        await bench.run(log);
    }
    log(`chart of the latest results: ${await writeChart()}`);
}

main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
});
