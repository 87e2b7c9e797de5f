import * as fs from "node:fs";
import * as path from "node:path";
import { docker, dockerOk } from "../live/docker";
import { inspect } from "../live/probe";
import type { LiveDeployment } from "../verify/check";
import { revokeAllLive } from "./tokens";

/**
 * The guide's order for suspicious activity: keep the evidence first (logs, a snapshot of the gateway),
 * then cut the network, then stop. Stopping first would tip off an attacker and lose what the container
 * still holds; cutting first keeps it from acting on what it sees.
 */

export interface EmergencyStopOptions {
    /** Folder that receives a timestamped evidence folder. */
    outDir: string;
    /** Refuse every named token at the ingress and give the gateway a fresh token of its own. */
    revokeTokens?: boolean;
    /** Posted a JSON alert once the gateway is stopped. */
    webhookUrl?: string;
    /** Called before and after each step, for progress. */
    progress?: (step: string) => void;
}

export interface StepResult {
    step: string;
    ok: boolean;
    detail: string;
}

export interface EmergencyStopReport {
    evidenceDir: string;
    snapshotImage: string;
    steps: StepResult[];
}

export async function emergencyStop(d: LiveDeployment, opts: EmergencyStopOptions): Promise<EmergencyStopReport> {
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const evidenceDir = path.join(opts.outDir, `clawcage-emergency-${stamp}`);
    fs.mkdirSync(evidenceDir, { recursive: true, mode: 0o700 });
    const snapshotImage = `clawcage-snapshot/${d.gateway}:${stamp.toLowerCase()}`;
    const steps: StepResult[] = [];
    const step = async (name: string, action: () => Promise<string>) => {
        opts.progress?.(`${name} …`);
        try {
            const detail = await action();
            steps.push({ step: name, ok: true, detail });
        } catch (e) {
            steps.push({ step: name, ok: false, detail: (e as Error).message });
        }
        opts.progress?.(`${name}: ${steps.at(-1)?.ok ? "done" : "FAILED"}`);
    };
    const containers = [d.gateway, d.egressProxy, ...(d.ingressProxy ? [d.ingressProxy] : [])];

    await step("save container logs", async () => {
        for (const c of containers) {
            const r = await docker(["logs", "--timestamps", c]);
            fs.writeFileSync(path.join(evidenceDir, `${c}.docker.log`), r.stdout + r.stderr, { mode: 0o600 });
        }
        return `${containers.length} containers`;
    });
    await step("save the logs volume", async () => {
        const r = await d.onHost(`tar -C '${d.layout.root}' -c logs | base64 -w0`);
        if (r.code !== 0) throw new Error(r.stderr.trim());
        const tarball = path.join(evidenceDir, "logs.tar");
        fs.writeFileSync(tarball, Buffer.from(r.stdout, "base64"), { mode: 0o600 });
        return `${fs.statSync(tarball).size} bytes`;
    });
    await step("snapshot the gateway", async () => {
        fs.writeFileSync(path.join(evidenceDir, `${d.gateway}.inspect.json`), JSON.stringify(await inspect(d.gateway), null, 2), { mode: 0o600 });
        // Committing pauses the container for a moment and keeps its filesystem (tmpfs excluded) as an image.
        await dockerOk(["commit", "--message", "clawcage emergency stop", d.gateway, snapshotImage]);
        return snapshotImage;
    });
    await step("cut the network", async () => {
        const networks = Object.keys((await inspect(d.gateway)).NetworkSettings.Networks);
        for (const n of networks) await dockerOk(["network", "disconnect", "--force", n, d.gateway]);
        return networks.join(", ") || "none";
    });
    await step("stop the gateway", async () => {
        // No restart: an emergency stop must survive the restart policy and a daemon restart.
        await dockerOk(["update", "--restart", "no", d.gateway]);
        await dockerOk(["stop", d.gateway]);
        return "stopped";
    });
    if (opts.revokeTokens) {
        await step("revoke every token", () => revokeAllLive(d));
    }
    if (opts.webhookUrl) {
        const url = opts.webhookUrl;
        await step("send the webhook alert", async () => {
            const res = await fetch(url, {
                method: "POST",
                headers: { "content-type": "application/json" },
                body: JSON.stringify({ event: "clawcage.emergency-stop", gateway: d.gateway, at: new Date().toISOString(), evidence: evidenceDir, snapshot: snapshotImage }),
                signal: AbortSignal.timeout(15_000),
            });
            if (!res.ok) throw new Error(`webhook answered ${res.status}`);
            return `${res.status}`;
        });
    }
    fs.writeFileSync(path.join(evidenceDir, "report.json"), JSON.stringify({ snapshotImage, steps }, null, 2), { mode: 0o600 });
    return { evidenceDir, snapshotImage, steps };
}
