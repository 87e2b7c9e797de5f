import { shellQuote } from "../../components/host/hostScript";
import type { Pause } from "../../components/gateway/auditPlugin/record";
import type { LiveDeployment } from "../verify/check";

/**
 * `clawcage resume`: gives the agent its tools back after a block-and-pause alert rule paused them, by removing
 * the audit plugin's pause flag on the host (the plugin reads it at every call). What paused them, or nothing when
 * they were not paused.
 */
export async function resume(d: LiveDeployment): Promise<Pause | undefined> {
    const flag = shellQuote(d.layout.gatewayPauseFile);
    const r = await d.onHost(`if [ -e ${flag} ]; then cat ${flag}; rm -f ${flag}; fi`);
    if (r.code !== 0) throw new Error(`removing the pause flag ${d.layout.gatewayPauseFile} failed: ${r.stderr.trim()}`);
    const text = r.stdout.trim();
    if (!text) return undefined;
    try {
        return JSON.parse(text) as Pause;
    } catch {
        return { rule: "unknown (unreadable pause flag)", time: "?", subject: "" };
    }
}
