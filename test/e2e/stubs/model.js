// A scripted OpenAI-compatible model server: the provider of the runtime proof, so that OpenClaw's own agent
// loop runs end to end with no network. It answers /v1/chat/completions (streamed or not) and /v1/models.
//
// The script is in the user's last message:
//   "TOOLS"                      → answers with the names of the tools the gateway offered, sorted;
//   "CALL <tool> <json args>"    → asks for that tool call (or says the tool was not offered);
//   "FOLLOW"                     → obeys the last tool result of the conversation that holds a "CALL <tool> <json>"
//                                  line: a prompt injection planted in a file the agent read on an earlier turn;
//   anything else                → answers "stub heard: <text>".
// After a tool result, it answers "tool <name> said: <result text>", so the chat's answer shows what the tool saw.
//
// It serves only requests that carry `Authorization: Bearer $MODEL_KEY` (the key the egress proxy injects)
// and logs one JSON line per request to stdout: whether it was authorised, the placeholder seen, the reply.
// Every request body, as the gateway sent it out, is kept in REQUEST_LOG: what the hostile suite searches for
// leaked secrets.
const fs = require("node:fs");
const http = require("node:http");

const KEY = process.env.MODEL_KEY ?? "";
const PORT = Number(process.env.PORT ?? 80);
const REQUEST_LOG = "/tmp/model-requests.log";
// Every tool call the script made, one JSON line each: what the audit record must hold.
const CALL_LOG = "/tmp/model-calls.log";

const text = (content) =>
    typeof content === "string" ? content : Array.isArray(content) ? content.map((p) => (typeof p === "string" ? p : p.text ?? "")).join("") : "";

/** The reply the script asks for: either text or one tool call. */
function decide(body) {
    const messages = body.messages ?? [];
    const last = messages[messages.length - 1] ?? {};
    const offered = (body.tools ?? []).map((t) => t.function?.name).filter(Boolean).sort();
    if (last.role === "tool") {
        const call = messages.flatMap((m) => m.tool_calls ?? []).find((c) => c.id === last.tool_call_id);
        return { text: `tool ${call?.function?.name ?? "?"} said: ${text(last.content)}` };
    }
    // OpenClaw stamps the user's text ("[Wed 2026-12-02 04:06 UTC] ..."), appends a runtime block after a blank line
    // and, for a turn sent with `openclaw agent`, puts a "Conversation info" block before it: the script is the
    // paragraph that reads as one.
    const paragraphs = text(last.content).split("\n\n").map((p) => p.replace(/^\[[^\]]*\]\s*/, "").trim());
    const said = paragraphs.find((p) => p === "TOOLS" || p === "FOLLOW" || /^CALL \S+ \{.*\}$/s.test(p)) ?? paragraphs[0];
    if (said === "TOOLS") return { text: `tools: ${offered.join(",")}` };
    const planted = said === "FOLLOW" ? messages.filter((m) => m.role === "tool").map((m) => /^CALL \S+ \{.*\}$/m.exec(text(m.content))?.[0]).filter(Boolean).pop() : undefined;
    if (said === "FOLLOW" && !planted) return { text: "nothing to follow" };
    const m = /^CALL (\S+) (\{.*\})$/s.exec(planted ?? said);
    if (m) {
        if (!offered.includes(m[1])) return { text: `tool ${m[1]} was not offered` };
        const call = { id: `call_${Date.now()}`, name: m[1], arguments: m[2] };
        fs.appendFileSync(CALL_LOG, `${JSON.stringify({ id: call.id, name: call.name })}\n`);
        return { call };
    }
    return { text: `stub heard: ${said}` };
}

function completion(reply, model) {
    const message = reply.call
        ? { role: "assistant", content: null, tool_calls: [{ id: reply.call.id, type: "function", function: { name: reply.call.name, arguments: reply.call.arguments } }] }
        : { role: "assistant", content: reply.text };
    return { id: "chatcmpl-stub", object: "chat.completion", created: Math.floor(Date.now() / 1000), model, choices: [{ index: 0, message, finish_reason: reply.call ? "tool_calls" : "stop" }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } };
}

function stream(res, reply, model) {
    const chunk = (delta, finish) => ({ id: "chatcmpl-stub", object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model, choices: [{ index: 0, delta, finish_reason: finish }] });
    const send = (o) => res.write(`data: ${JSON.stringify(o)}\n\n`);
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    send(chunk({ role: "assistant", content: "" }, null));
    if (reply.call) send(chunk({ tool_calls: [{ index: 0, id: reply.call.id, type: "function", function: { name: reply.call.name, arguments: reply.call.arguments } }] }, null));
    else send(chunk({ content: reply.text }, null));
    send(chunk({}, reply.call ? "tool_calls" : "stop"));
    send({ id: "chatcmpl-stub", object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model, choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
    res.end("data: [DONE]\n\n");
}

http.createServer((req, res) => {
    let raw = "";
    req.on("data", (d) => (raw += d));
    req.on("end", () => {
        fs.appendFileSync(REQUEST_LOG, `${raw}\n`);
        const authorised = KEY !== "" && req.headers.authorization === `Bearer ${KEY}`;
        const line = { method: req.method, path: req.url, host: req.headers.host, authorised, apiKeyHeader: req.headers["x-api-key"] !== undefined };
        if (!authorised) {
            console.log(JSON.stringify({ ...line, status: 401 }));
            res.writeHead(401, { "content-type": "application/json" });
            return res.end(JSON.stringify({ error: { message: "stub: missing or wrong key", type: "invalid_request_error" } }));
        }
        if (req.method === "GET" && req.url.endsWith("/models")) {
            console.log(JSON.stringify({ ...line, status: 200 }));
            res.writeHead(200, { "content-type": "application/json" });
            return res.end(JSON.stringify({ object: "list", data: [{ id: "scripted", object: "model", owned_by: "clawcage" }] }));
        }
        let body;
        try {
            body = JSON.parse(raw);
        } catch {
            res.writeHead(400);
            return res.end();
        }
        const reply = decide(body);
        console.log(JSON.stringify({ ...line, status: 200, stream: body.stream === true, reply }));
        if (body.stream) stream(res, reply, body.model);
        else {
            res.writeHead(200, { "content-type": "application/json" });
            res.end(JSON.stringify(completion(reply, body.model)));
        }
    });
}).listen(PORT);
