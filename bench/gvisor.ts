import { docker } from "../cli/live/docker";
import { connectFrom } from "../cli/live/probe";
import { deploymentNames } from "../components/deployment/names";
import { SANDBOX_HOST, SANDBOX_SSH_PORT } from "../components/sandbox/sshdConfig";
import { chat } from "../test/e2e/assistant";
import { deployForTest, tearDownEnvironment, withSettings, type Environment } from "../test/e2e/harness";
import { median } from "./results";

/**
 * gVisor's cost where clawcage runs it, the sandbox host (where a chat's commands run): the e2e deployment twice,
 * side by side, its sandbox host on runc (the baseline) and on gVisor. Start-up to ready (a restart until its sshd
 * answers the gateway), a chat's command (OpenClaw's agent loop, its ssh sandbox, the command, the answer) and the
 * memory the engine counts for the container after the chats.
 */

const CHATS = 10;
const RESTARTS = 3;
const NAMES = deploymentNames();
const EXEC_STAGE = { rollout: { stage: "git" }, tools: { exec: { allowCommands: ["hostname"] } } };

type Log = (line: string) => void;
interface Cost {
    readyMs: number;
    chatMs: number;
    memory: string;
}

/** A restart of the sandbox host until its sshd accepts the gateway's connection. */
async function restartToReady(env: Environment): Promise<number> {
    const start = Date.now();
    await docker(["restart", "--time", "5", NAMES.sandboxHost]);
    while ((await connectFrom(env.live.gateway, SANDBOX_HOST, SANDBOX_SSH_PORT)) !== "CONNECTED") {
        if (Date.now() - start > 120_000) throw new Error("the sandbox host did not answer within 120 s of its restart");
    }
    return Date.now() - start;
}

async function measure(runtime: "runc" | "gvisor", log: Log): Promise<Cost> {
    const env = await deployForTest(() => undefined, (settings) => (settings.container = { ...(settings.container as object), runtime: { sandbox: runtime } }));
    try {
        const ready: number[] = [];
        for (let i = 0; i < RESTARTS; i++) ready.push(await restartToReady(env));
        const chats: number[] = [];
        await withSettings(env, EXEC_STAGE, () => undefined, async () => {
            for (let i = 0; i < CHATS; i++) {
                const start = Date.now();
                const answer = (await chat(env, `CALL exec ${JSON.stringify({ command: "hostname" })}`)).answer;
                if (!answer.includes(NAMES.sandboxHost)) throw new Error(`a chat's command did not run in the sandbox: ${answer}`);
                chats.push(Date.now() - start);
            }
        });
        const memory = (await docker(["stats", "--no-stream", "--format", "{{.MemUsage}}", NAMES.sandboxHost])).stdout.trim().split(" / ")[0];
        log(`  ${runtime}: ready ${ready.join(", ")} ms; chats ${chats.join(", ")} ms; memory ${memory}`);
        return { readyMs: median(ready), chatMs: median(chats), memory };
    } finally {
        await tearDownEnvironment(env, () => undefined);
    }
}

export async function benchGvisor(log: Log): Promise<void> {
    const runc = await measure("runc", log);
    const gvisor = await measure("gvisor", log);
    const row = (what: string, a: string, b: string, ratio?: number) => log(`  ${what.padEnd(36)} runc ${a.padEnd(9)} gVisor ${b.padEnd(9)}${ratio ? ` ratio ${ratio.toFixed(1)}` : ""}`);
    row(`start-up to ready (median of ${RESTARTS})`, `${runc.readyMs} ms`, `${gvisor.readyMs} ms`, gvisor.readyMs / runc.readyMs);
    row(`a chat's command (median of ${CHATS})`, `${runc.chatMs} ms`, `${gvisor.chatMs} ms`, gvisor.chatMs / runc.chatMs);
    row("memory after the chats", runc.memory, gvisor.memory);
}
