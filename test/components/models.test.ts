import { strict as assert } from "node:assert";
import * as path from "node:path";
import { byName, plainStrings, REPO_ROOT, reveal, runProgram, type ProgramRun } from "../../cli/record/program";
import { MODEL_KEY_PLACEHOLDER, modelRelays } from "../../components/deployment/modelProviders";
import { renderRelayKeys } from "../../components/egress/squidConf";
import { parseSettings, SettingsError } from "../../components/settings/parse";

/** Every plain (non-secret) string the engine would store: resource inputs and non-secret stack outputs. */
function storedPlainText(run: ProgramRun): string {
    const outputs = Object.entries(run.outputs).filter(([k]) => !run.secretOutputs.includes(k));
    return [...run.resources.flatMap((r) => plainStrings(r.inputs)), ...outputs.flatMap(([, v]) => plainStrings(v))].join("\n");
}

const KEY = "sk-ant-api03-unit-test-key-7f3e";
const anthropic = { "clawcage:settings": { models: { default: "anthropic/claude-sonnet-4-5" } } };

interface ConfigDoc {
    models: { mode: string; providers: Record<string, { baseUrl: string; api: string; apiKey: unknown; models: { id: string }[] }> };
    agents: { defaults: { model?: { primary: string } } };
}
const configOf = (run: ProgramRun) => JSON.parse(String(run.outputs.openclawConfig)) as ConfigDoc;
const squidOf = (run: ProgramRun) => (reveal(byName(run, "openclaw-egress-conf").inputs) as { stdin: string }).stdin;

/** Why parsing these settings fails, every message joined ("" when they parse). */
function refusal(settings: object): string {
    try {
        parseSettings(settings);
        return "";
    } catch (e) {
        if (e instanceof SettingsError) return e.message;
        throw e;
    }
}

describe("model providers: the key stays in the egress proxy, the gateway calls a relay", () => {
    it("one line of settings and one secret give the agent Anthropic's API, through the relay", async () => {
        const run = await runProgram({ ...anthropic, "clawcage:model-anthropic": KEY }, ["clawcage:model-anthropic"]);
        const config = configOf(run);
        assert.equal(config.agents.defaults.model?.primary, "anthropic/claude-sonnet-4-5");
        assert.equal(config.models.mode, "replace");
        assert.deepEqual(config.models.providers.anthropic, {
            baseUrl: "http://model-anthropic:443",
            api: "anthropic-messages",
            apiKey: { source: "file", provider: "clawcagemodelrelay", id: "value" },
            models: [{ id: "claude-sonnet-4-5", name: "claude-sonnet-4-5" }],
        });
        const squid = squidOf(run);
        assert.match(squid, /^cache_peer api\.anthropic\.com parent 443 0 no-query no-digest no-netdb-exchange originserver name=model_anthropic_peer forceddomain=api\.anthropic\.com tls$/m);
        assert.match(squid, /^http_port 127\.0\.0\.1:443 accel vhost name=model_relay$/m);
        const placeholder = reveal(byName(run, "openclaw-gateway-model-key-placeholder").inputs) as { stdin: string };
        assert.equal(placeholder.stdin, MODEL_KEY_PLACEHOLDER);
        const keys = reveal(byName(run, "openclaw-egress-model-keys").inputs) as { stdin: string; create: string };
        assert.match(keys.stdin, new RegExp(`^request_header_add x-api-key "${KEY}" model_relay_port model_anthropic$`, "m"));
        assert.match(keys.create, /600/);
    });

    it("never stores the key in plain text: not in openclaw.json, squid.conf, the environment or any output", async () => {
        const run = await runProgram({ ...anthropic, "clawcage:model-anthropic": KEY }, ["clawcage:model-anthropic"]);
        assert.ok(!storedPlainText(run).includes(KEY));
        // Negative control: the same search finds the key where it is kept, inside the secret file content.
        assert.ok(plainStrings(reveal(byName(run, "openclaw-egress-model-keys").inputs)).join("\n").includes(KEY));
    });

    it("the relay name resolves only inside the egress proxy, to its loopback relay port", async () => {
        const run = await runProgram({ ...anthropic, "clawcage:model-anthropic": KEY }, ["clawcage:model-anthropic"]);
        const proxy = byName(run, "openclaw-egress-container").inputs as { hosts?: { host: string; ip: string }[]; networksAdvanced: { aliases?: string[] }[] };
        assert.deepEqual(proxy.hosts, [{ host: "model-anthropic", ip: "127.0.0.1" }]);
        assert.ok(proxy.networksAdvanced[0].aliases?.includes("model-anthropic"));
        const gateway = byName(run, "openclaw-gateway-container").inputs as { hosts?: unknown };
        assert.equal(gateway.hosts, undefined);
    });

    it("an OpenAI-compatible server on the LAN is a named exception with its own relay; keyless when auth is none", () => {
        const s = parseSettings({ models: { default: "lan/llama3.1:8b", providers: { lan: { kind: "openai-compatible", baseUrl: "http://192.168.1.20:11434/v1", privateNetwork: true, auth: "none" } } } });
        const [relay] = modelRelays(s);
        assert.deepEqual(relay.upstream, { tls: false, host: "192.168.1.20", port: 11434, path: "/v1" });
        assert.equal(relay.relayBaseUrl, "http://model-lan:443/v1");
        assert.equal(relay.keyConfigKey, undefined);
        assert.equal(renderRelayKeys([relay], {}).split("\n").filter((l) => l.startsWith("request_header_add")).length, 0);
    });

    it("relays several providers, each name to its own peer and key header, and ids with '-' make valid squid names", () => {
        const s = parseSettings({
            models: { default: "openai/gpt-4o", providers: { anthropic: {}, "company-llm": { kind: "openai-compatible", baseUrl: "https://llm.example.com/v1" } } },
        });
        const relays = modelRelays(s);
        assert.deepEqual(relays.map((r) => [r.id, r.relayHost, r.upstream.host]), [
            ["anthropic", "model-anthropic", "api.anthropic.com"],
            ["company-llm", "model-company-llm", "llm.example.com"],
            ["openai", "model-openai", "api.openai.com"],
        ]);
        const keys = renderRelayKeys(relays, { anthropic: "a-key-1234567", "company-llm": "c-key-1234567", openai: "o-key-1234567" });
        assert.match(keys, /^request_header_add x-api-key "a-key-1234567" model_relay_port model_anthropic$/m);
        assert.match(keys, /^request_header_add Authorization "Bearer c-key-1234567" model_relay_port model_company_llm$/m);
        assert.match(keys, /^request_header_add Authorization "Bearer o-key-1234567" model_relay_port model_openai$/m);
        // Negative control: a provider that takes a key and has none is an error, never a relay without its header.
        assert.throws(() => renderRelayKeys(relays, { anthropic: "a-key-1234567" }), /no key for model provider 'company-llm'/);
        // A library user's key that would break out of the header line is refused there too, without echoing it.
        assert.throws(() => renderRelayKeys(relays, { anthropic: 'x" http_access allow all', "company-llm": "c-key-1234567", openai: "o-key-1234567" }), (e: Error) => /provider 'anthropic' holds characters/.test(e.message) && !e.message.includes("http_access"));
    });

    it("without models, nothing is relayed (negative control of the relay lines)", async () => {
        const run = await runProgram({ "clawcage:settings": {} }, []);
        assert.deepEqual(configOf(run).models.providers, {});
        assert.equal(configOf(run).agents.defaults.model, undefined);
        assert.doesNotMatch(squidOf(run), /cache_peer|accel/);
    });

    describe("refusals name the field and the fix", () => {
        const cases: [string, object, RegExp][] = [
            ["an undeclared provider", { models: { default: "mine/some-model" } }, /models\.default: provider 'mine' is not in models\.providers/],
            ["providers without a default", { models: { providers: { openai: {} } } }, /models\.default: model providers are declared but no default model/],
            ["openai-compatible without baseUrl", { models: { default: "lan/m", providers: { lan: { kind: "openai-compatible" } } } }, /models\.providers\.lan\.baseUrl: an openai-compatible provider needs its baseUrl/],
            ["an unknown kind", { models: { default: "lan/m", providers: { lan: { baseUrl: "https://llm.example.com/v1" } } } }, /models\.providers\.lan\.kind: the kind of provider 'lan' is unknown/],
            ["a private address without the exception", { models: { default: "lan/m", providers: { lan: { kind: "openai-compatible", baseUrl: "http://10.0.0.5:8000/v1" } } } }, /models\.providers\.lan\.privateNetwork: '10\.0\.0\.5' is not a public domain name/],
            ["plain http across the internet", { models: { default: "co/m", providers: { co: { kind: "openai-compatible", baseUrl: "http://llm.example.com/v1" } } } }, /models\.providers\.co\.baseUrl: plain http would send the key/],
            ["loopback", { models: { default: "lan/m", providers: { lan: { kind: "openai-compatible", baseUrl: "http://127.0.0.1:11434/v1", privateNetwork: true } } } }, /models\.providers\.lan\.baseUrl: '127\.0\.0\.1' is the egress proxy's own loopback/],
            ["a key in the URL", { models: { default: "co/m", providers: { co: { kind: "openai-compatible", baseUrl: "https://user:sk-x@llm.example.com/v1" } } } }, /models\.providers\.co\.baseUrl: write the base URL alone/],
        ];
        for (const [what, settings, message] of cases) it(`refuses ${what}`, () => assert.match(refusal(settings), message));
        it("accepts each of them once fixed (negative control)", () => {
            assert.equal(refusal({ models: { default: "lan/m", providers: { lan: { kind: "openai-compatible", baseUrl: "http://10.0.0.5:8000/v1", privateNetwork: true } } } }), "");
            assert.equal(refusal({ models: { default: "co/m", providers: { co: { kind: "openai-compatible", baseUrl: "https://llm.example.com/v1" } } } }), "");
        });
    });

    describe("the key comes from secret config", () => {
        it("refuses a missing key with the command to set it", async () => {
            await assert.rejects(runProgram(anthropic, []), /model-anthropic: missing; model provider 'anthropic' takes an API key: pulumi config set --secret model-anthropic/);
        });
        it("the component refuses a provider's missing key itself, on either target", async () => {
            const keyless = path.join(REPO_ROOT, "test", "fixtures", "keylessProgram.ts");
            const onCluster = { ...anthropic["clawcage:settings"], target: "kubernetes", kubernetes: { registry: "registry.example.com/openclaw" } };
            for (const settings of [anthropic["clawcage:settings"], onCluster]) {
                await assert.rejects(runProgram({ "clawcage:settings": settings }, [], undefined, keyless), /model provider 'anthropic' takes an API key but none was given: pulumi config set --secret model-anthropic <the key> \(or auth: none for a local server\)/);
            }
            // Negative control: a provider that takes no key passes the same program.
            const keyFree = { models: { default: "lan/m", providers: { lan: { kind: "openai-compatible", baseUrl: "https://llm.example.com/v1", auth: "none" } } } };
            await runProgram({ "clawcage:settings": keyFree }, [], undefined, keyless);
        });
        it("refuses a key set in plain (non-secret) config", async () => {
            await assert.rejects(runProgram({ ...anthropic, "clawcage:model-anthropic": KEY }, []), /model-anthropic: the API key of model provider 'anthropic' is stored in plain text/);
        });
        it("refuses a key that could break out of the proxy's header line, without echoing it", async () => {
            const bad = 'sk-ant" http_access allow all';
            await assert.rejects(runProgram({ ...anthropic, "clawcage:model-anthropic": bad }, ["clawcage:model-anthropic"]), (e: Error) => /holds characters no API key has/.test(e.message) && !e.message.includes(bad));
        });
    });
});
