import { strict as assert } from "node:assert";
import { z } from "zod";
import { docker, dockerOk } from "../../cli/live/docker";
import { TEST_MODEL_KEY } from "../../cli/record/program";
import { MODEL_KEY_PLACEHOLDER } from "../../components/deployment/modelProviders";
import type { CheckResult } from "../../cli/verify";
import { CONTAINER_WORKSPACE } from "../../components/settings/constants";
import { endpointRequest } from "../../cli/live/endpoint";
import { openclawThroughEndpoint } from "../../cli/live/openclawClient";
import { MODEL_STUB, reopenDoor, withSettings, type Environment, type Log } from "./harness";
import { restartGateway } from "./health";

/**
 * The assistant at work in the runtime proof: a scripted model server of ours plays the provider (see
 * stubs/model.js), reached only through the egress proxy's relay, and chats go through the published endpoint
 * with a named token, as a user's client would send them.
 */

const stubLine = z.looseObject({ path: z.string(), authorised: z.boolean(), status: z.number() });

/** What the stub saw, one line per request. */
export async function modelRequests(): Promise<z.infer<typeof stubLine>[]> {
    const out = await dockerOk(["logs", MODEL_STUB]);
    return out.split("\n").filter((l) => l.startsWith("{")).map((l) => stubLine.parse(JSON.parse(l)));
}

const completion = z.looseObject({ choices: z.array(z.looseObject({ message: z.looseObject({ content: z.string().nullable() }) })).min(1) });

let conversations = 0;

/**
 * One user message through the published endpoint, in a conversation of its own unless `conversation` names one
 * (the turns of one conversation share OpenClaw's session and its history); the answer's text.
 */
export async function chat(env: Environment, text: string, conversation = `e2e-${process.pid}-${++conversations}`): Promise<{ status: number; answer: string }> {
    const res = await endpointRequest(env.live, "/v1/chat/completions", {
        method: "POST",
        headers: { Authorization: `Bearer ${env.live.token}`, "Content-Type": "application/json" },
        // `user` names the conversation: OpenClaw keys the session by it (the session header is refused at the door).
        body: JSON.stringify({ model: "openclaw", user: conversation, messages: [{ role: "user", content: text }] }),
        timeoutMs: 120_000,
    });
    const body = res.body;
    if (res.status !== 200) return { status: res.status, answer: body.slice(0, 300) };
    return { status: 200, answer: completion.parse(JSON.parse(body)).choices[0].message.content ?? "" };
}

/** One message to the operator's own session (agent:main:main), whose exec runs on the gateway under the approvals allowlist. */
export async function mainSession(env: Environment, message: string): Promise<string> {
    const r = await openclawThroughEndpoint(env.live, ["agent", "--session-key", "agent:main:main", "--message", message, "--timeout", "90"], env.live.token);
    return `${r.stdout.trim()}${r.code === 0 ? "" : ` (exit ${r.code}: ${r.stderr.trim().split("\n").slice(-2).join(" ")})`}`;
}

/** The status the model stub gives a request with this Authorization header, sent to it directly (not through the relay). */
async function stubStatus(authorization: string): Promise<number> {
    const script = `fetch("http://127.0.0.1:"+(process.env.PORT||80)+"/v1/models",{headers:{authorization:${JSON.stringify(authorization)}}}).then(r=>console.log(r.status))`;
    return Number((await dockerOk(["exec", MODEL_STUB, "node", "-e", script])).trim());
}

/** Restarts the egress proxy (it reads its files once) and waits until its port answers again. */
export async function restartEgressProxy(env: Environment): Promise<void> {
    await dockerOk(["restart", "--time", "5", env.live.egressProxy]);
    for (let i = 0; i < 30; i++) {
        const health = await docker(["inspect", "--format", "{{.State.Running}}", env.live.egressProxy]);
        if (health.stdout.trim() === "true") break;
        await new Promise((r) => setTimeout(r, 1000));
    }
    await new Promise((r) => setTimeout(r, 3000));
}

const log: Log = (line) => console.log(`      · ${line}`);

/** Runs `body` with the host file at `file` holding `content`, and puts the original back whatever happens. */
async function withFileReplaced<T>(env: Environment, file: string, content: string, body: () => Promise<T>): Promise<T> {
    const q = JSON.stringify(file);
    // cat > keeps the file's owner and mode; the copy beside it is the way back.
    await env.live.onHost(`cp -p ${q} ${q}.e2e && cat > ${q}`, content);
    try {
        return await body();
    } finally {
        await env.live.onHost(`cat ${q}.e2e > ${q} && rm -f ${q}.e2e`);
    }
}

/** Records an observation as a row of the runtime proof's table and asserts it is the expected one. */
export const rowRecorder =
    (results: CheckResult[]) =>
    (layer: string, name: string, expected: string, observed: string): void => {
        results.push({ layer, name, expected, observed, pass: observed === expected });
        assert.equal(observed, expected, name);
    };

/** The assistant's own tests, run on the deployment of the runtime proof; each records its row in `results`. */
export function assistantTests(envOf: () => Environment, results: CheckResult[]): void {
    const row = rowRecorder(results);

    it("L4 a chat through the published endpoint is answered by the model, reached through the egress proxy's relay that adds the key", async () => {
        const env = envOf();
        await reopenDoor(env);
        const before = (await modelRequests()).length;
        const r = await chat(env, "hello from the e2e");
        row("L4", "chat answered (named token, published endpoint)", "200 stub heard: hello from the e2e", `${r.status} ${r.answer}`);
        const seen = (await modelRequests()).slice(before);
        assert.ok(seen.length > 0 && seen.every((l) => l.authorised), `the model saw ${JSON.stringify(seen)}`);
        // Negative control: the model refuses what the gateway itself holds, the placeholder.
        assert.equal(await stubStatus(`Bearer ${MODEL_KEY_PLACEHOLDER}`), 401);
    });

    it("L4 read-only stage: the agent's own loop reads a workspace file, and no write or exec tool is offered", async () => {
        const env = envOf();
        await reopenDoor(env);
        const note = `e2e note ${Date.now()}`;
        await env.live.onHost(`printf '%s' ${JSON.stringify(note)} > ${JSON.stringify(`${env.live.layout.workspace}/e2e-note.txt`)}`);
        const read = await chat(env, 'CALL read {"path":"e2e-note.txt"}');
        row("L4", "read-only stage: read returns a workspace file", `200 tool read said: ${note}`, `${read.status} ${read.answer}`);
        const offered = (await chat(env, "TOOLS")).answer.replace(/^tools: /, "").split(",");
        assert.ok(offered.includes("read"), `offered: ${offered.join(",")}`);
        const writeOrRun = offered.filter((t) => ["write", "edit", "apply_patch", "exec", "process", "code_execution"].includes(t));
        row("L4", "read-only stage: no write or exec tool offered", "none", writeOrRun.join(",") || "none");
        // Negative control: the stub's script does tell a missing tool apart.
        assert.equal((await chat(env, 'CALL write {"path":"x.txt","content":"x"}')).answer, "tool write was not offered");
    });

    it("L4 draft stage: the agent's write lands in the granted path with the deployment's owner and mode; elsewhere it is refused", async () => {
        const env = envOf();
        const granted = `${CONTAINER_WORKSPACE}/out`;
        const hostPath = (rel: string) => JSON.stringify(`${env.live.layout.workspace}/${rel}`);
        const draft = { rollout: { stage: "draft" }, filesystem: { writablePaths: [granted] } };
        try {
            await withSettings(env, draft, log, async () => {
                const text = `written by the agent ${Date.now()}`;
                const wrote = await chat(env, `CALL write ${JSON.stringify({ path: "out/e2e-written.txt", content: text })}`);
                assert.match(wrote.answer, /^tool write said: /, wrote.answer);
                const landed = await env.live.onHost(`stat -c '%U:%G %a' ${hostPath("out/e2e-written.txt")} && cat ${hostPath("out/e2e-written.txt")}`);
                row("L4", "draft stage: write lands on the host (owner:group mode, content)", `${env.settings.host.user}:${env.settings.host.group} 600\n${text}`, landed.stdout.trim());
                const outside = await chat(env, `CALL write ${JSON.stringify({ path: "e2e-outside.txt", content: "x" })}`);
                const exists = await env.live.onHost(`test -e ${hostPath("e2e-outside.txt")} && echo present || echo absent`);
                row("L4", "draft stage: write outside the granted path refused", "absent", exists.stdout.trim());
                assert.match(outside.answer, /^tool write said: /, outside.answer);
            });
        } finally {
            await env.live.onHost(`rm -f ${hostPath("out/e2e-written.txt")}`);
        }
    });

    it("L5 through the agent's own read, the model key is out of reach (/proc/self/environ, the proxy's config)", async () => {
        const env = envOf();
        await reopenDoor(env);
        const routes = ["/proc/self/environ", "/proc/1/environ", env.live.layout.egressModelKeys, "../config/openclaw.json"];
        /** The routes by which the agent's read returned `secret`. */
        const reachedBy = async (secret: string, paths: string[]) => {
            const found: string[] = [];
            for (const p of paths) if ((await chat(env, `CALL read ${JSON.stringify({ path: p })}`)).answer.includes(secret)) found.push(p);
            return found;
        };
        row("L5", "agent read: model key unreadable", "nowhere", (await reachedBy(TEST_MODEL_KEY, routes)).join(",") || "nowhere");
        // Negative control: a secret where the agent can read it is found by the same search. It is a decoy of the
        // key's shape, never the key: what the agent reads stays in its session store and log, where the live check
        // for the key would then rightly find it.
        const decoy = `e2e-decoy-${TEST_MODEL_KEY.slice(-12)}-${Date.now()}`;
        const planted = `${env.live.layout.workspace}/e2e-planted-secret.txt`;
        await env.live.onHost(`cat > ${JSON.stringify(planted)}`, decoy);
        try {
            assert.deepEqual(await reachedBy(decoy, ["e2e-planted-secret.txt"]), ["e2e-planted-secret.txt"], "a readable secret was not found");
        } finally {
            await env.live.onHost(`rm -f ${JSON.stringify(planted)}`);
        }
    });

    // Last: a provider that refused the gateway is put on a cooldown by OpenClaw, so the gateway restarts after it.
    it("L5 without the relay's key line the provider refuses every chat (negative control of the relay)", async () => {
        const env = envOf();
        await reopenDoor(env);
        await withFileReplaced(env, env.live.layout.egressModelKeys, "# no keys\n", async () => {
            await restartEgressProxy(env);
            const before = (await modelRequests()).length;
            const refused = await chat(env, "hello without a key");
            assert.notEqual(refused.answer, "stub heard: hello without a key");
            const seen = (await modelRequests()).slice(before);
            assert.ok(seen.length > 0 && seen.every((l) => !l.authorised), `the model saw ${JSON.stringify(seen)}`);
        });
        await restartEgressProxy(env);
        await restartGateway(env, log);
        assert.equal((await chat(env, "hello again")).answer, "stub heard: hello again");
    });
}
