import { shellQuote } from "../../components/host/hostScript";
import { parsePause, type Pause } from "../../components/gateway/auditPlugin/record";
import type { LiveDeployment } from "../verify/check";

/**
 * `clawcage resume`: gives the agent its tools back after a block-and-pause alert rule paused them, by removing
 * the audit plugin's pause flag on the host (the plugin reads it at every call). What paused them, or nothing when
 * they were not paused.
 */
export async function resume(d: LiveDeployment): Promise<Pause | undefined> {
    const flag = shellQuote(d.layout.gatewayPauseFile);
    // A marker line first: an empty or mangled flag paused all the same.
    const r = await d.onHost(`if [ -e ${flag} ]; then echo paused; cat ${flag}; rm -f ${flag}; fi`);
    if (r.code !== 0) throw new Error(`removing the pause flag ${d.layout.gatewayPauseFile} failed: ${r.stderr.trim()}`);
    const [marker, ...flagText] = r.stdout.split("\n");
    return marker === "paused" ? parsePause(flagText.join("\n")) : undefined;
}
