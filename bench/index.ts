import { benchAlerts } from "./alerts";

/**
 * `npm run bench`: the benchmarks, each a ratio against a baseline run side by side, never a pass or fail. Needs
 * the Docker engine the e2e uses (and its base images, built when missing).
 */
async function main(): Promise<void> {
    const log = (line: string) => console.log(line);
    log("alerts: the time from an event to its alert");
    await benchAlerts(log);
}

main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
});
