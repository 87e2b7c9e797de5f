import { strict as assert } from "node:assert";
import { SECRET_SIG, SECRET_SIG_KEY, byName, plainStrings, reveal, runProgram, runStack, stackConfig, stackNames, type ProgramRun } from "../../cli/record/program";
import { effectiveEgressAllowlist } from "../../components/deployment/names";
import { parseSettings } from "../../components/settings/parse";

/** Every plain (non-secret) string the engine would store: resource inputs and non-secret stack outputs. */
function storedPlainText(run: ProgramRun): string {
    const inputs = run.resources.flatMap((r) => plainStrings(r.inputs));
    const outputs = Object.entries(run.outputs)
        .filter(([k]) => !run.secretOutputs.includes(k))
        .flatMap(([, v]) => plainStrings(v));
    return [...inputs, ...outputs].join("\n");
}

const tokenSettings = (extra: object = {}) => ({ "clawcage:settings": { gateway: { tokens: { admin: { source: "secret-config" } } }, ...extra } });
const SUPPLIED = "admin." + "f".repeat(24) + "0123456789abcdef0123456789abcdef";

describe("secrets never appear in plain text", () => {
    for (const stack of stackNames()) {
        it(`stack ${stack}: generated tokens appear only inside secret values`, async () => {
            const run = await runStack(stack);
            assert.ok(run.generatedSecrets.length > 0);
            const plain = storedPlainText(run);
            for (const secret of run.generatedSecrets) assert.ok(!plain.includes(secret), "a generated token is stored in plain text");
            assert.ok(run.secretOutputs.includes("tokens"), "the tokens output is secret");
        });
    }

    it("detects a token stored in plain text (negative control of the check above)", () => {
        const leaked = "a".repeat(64);
        const run: ProgramRun = {
            resources: [{ type: "t", name: "n", custom: true, inputs: { envs: [`OPENCLAW_GATEWAY_TOKEN=${leaked}`] }, state: {} }],
            invokes: [],
            outputs: {},
            secretOutputs: [],
            generatedSecrets: [leaked],
        };
        assert.ok(storedPlainText(run).includes(leaked));
        run.resources[0].inputs = { envs: { [SECRET_SIG_KEY]: SECRET_SIG, value: [`OPENCLAW_GATEWAY_TOKEN=${leaked}`] } };
        assert.ok(!storedPlainText(run).includes(leaked));
    });

    it("the prod stack's SSH key stays secret", async () => {
        const prod = stackNames().find((s) => (stackConfig(s)["clawcage:settings"] as { host?: { target?: { kind?: string } } }).host?.target?.kind === "ssh");
        assert.ok(prod, "a stack with an ssh target exists");
        const run = await runStack(prod);
        assert.ok(!storedPlainText(run).includes("test-only"));
    });

    it("takes a token from secret config and keeps it secret", async () => {
        const run = await runProgram({ ...tokenSettings(), "clawcage:token-admin": SUPPLIED }, ["clawcage:token-admin"]);
        assert.deepEqual(run.outputs.tokens, { admin: SUPPLIED });
        assert.ok(!storedPlainText(run).includes(SUPPLIED));
    });

    it("refuses a token set in plain (non-secret) config", async () => {
        await assert.rejects(runProgram({ ...tokenSettings(), "clawcage:token-admin": SUPPLIED }, []), /token-admin: token 'admin' is stored in plain text/);
    });

    it("refuses a secret-config token under 32 characters", async () => {
        await assert.rejects(runProgram({ ...tokenSettings(), "clawcage:token-admin": "admin.short-token" }, ["clawcage:token-admin"]), /11 characters after 'admin\.'; tokens need at least 32 random characters/);
    });

    it("refuses a secret-config token that does not start with its name, without echoing it", async () => {
        const unnamed = "0123456789abcdef".repeat(4);
        await assert.rejects(runProgram({ ...tokenSettings(), "clawcage:token-admin": unnamed }, ["clawcage:token-admin"]), (e: Error) => {
            assert.match(e.message, /token-admin: it must start with 'admin\.'/);
            assert.ok(!e.message.includes(unnamed), "the message echoes the token");
            return true;
        });
    });

    it("refuses a missing secret-config token with the command to set it", async () => {
        await assert.rejects(runProgram(tokenSettings(), []), /pulumi config set --secret token-admin/);
    });
});

describe("named tokens rotate one at a time", () => {
    const twoTokens = (opsRotation: string) => ({ "clawcage:settings": { gateway: { publish: { address: "127.0.0.1", port: 18789 }, tokens: { admin: {}, ops: { rotation: opsRotation } } } } });
    const clientMap = (run: ProgramRun) => String(reveal(run.resources.find((r) => r.name === "openclaw-ingress-client-tokens")?.inputs.stdin));

    it("a changed rotation keeper replaces that token alone; the gateway's own token stays", async () => {
        const before = await runProgram(twoTokens("1"));
        const after = await runProgram(twoTokens("2"), [], before);
        const [b, a] = [before.outputs.tokens, after.outputs.tokens] as Record<string, string>[];
        assert.equal(a.admin, b.admin, "admin changed although only ops rotated");
        assert.notEqual(a.ops, b.ops, "ops did not rotate");
        assert.notEqual(clientMap(after), clientMap(before), "the ingress map did not follow the rotation");
        const gatewayToken = (run: ProgramRun) => String(reveal(run.resources.find((r) => r.name === "openclaw-gateway-token")?.inputs.stdin));
        assert.match(gatewayToken(after), /^[0-9a-f]{64}$/);
        assert.equal(gatewayToken(after), gatewayToken(before));
    });

    it("negative control: without the previous run every token is new", async () => {
        const before = await runProgram(twoTokens("1"));
        const again = await runProgram(twoTokens("1"));
        assert.notEqual((again.outputs.tokens as Record<string, string>).admin, (before.outputs.tokens as Record<string, string>).admin);
    });
});

describe("channel bot tokens come from secret config", () => {
    const telegram = (enabled = true) => ({ "clawcage:settings": { channels: { telegram: { enabled, allowFrom: ["42"] } } } });
    const BOT = "987654:bot-token-from-secret-config";

    it("writes the Telegram bot token to a 600 file that a file SecretRef reads, and never stores it in plain text", async () => {
        const run = await runProgram({ ...telegram(), "clawcage:channel-telegram": BOT }, ["clawcage:channel-telegram"]);
        assert.ok(!storedPlainText(run).includes(BOT));
        const file = reveal(byName(run, "openclaw-gateway-channel-telegram").inputs) as { stdin: string; create: string };
        assert.equal(file.stdin, BOT);
        assert.match(file.create, /channel-telegram\.token/);
        assert.match(file.create, /600/);
        const config = JSON.parse(String(run.outputs.openclawConfig)) as OpenClawConfigDoc;
        assert.deepEqual(config.channels.telegram.botToken, { source: "file", provider: "clawcagetelegram", id: "value" });
        assert.deepEqual(config.secrets.providers.clawcagetelegram, { source: "file", path: "/opt/openclaw/config/channel-telegram.token", mode: "singleValue" });
        assert.ok(effectiveEgressAllowlist(parseSettings(telegram()["clawcage:settings"])).includes("api.telegram.org"));
    });

    it("refuses a bot token set in plain (non-secret) config", async () => {
        await assert.rejects(runProgram({ ...telegram(), "clawcage:channel-telegram": BOT }, []), /channel-telegram: the telegram bot token is stored in plain text/);
    });

    it("refuses an enabled token channel without its bot token, with the command to set it", async () => {
        await assert.rejects(runProgram(telegram(), []), /channel-telegram: missing; channel 'telegram' is enabled: pulumi config set --secret channel-telegram/);
    });

    it("needs no token for a disabled channel, and keeps its API host out of the egress allowlist (negative control)", async () => {
        const run = await runProgram(telegram(false), []);
        const config = JSON.parse(String(run.outputs.openclawConfig)) as OpenClawConfigDoc;
        assert.equal(config.channels.telegram.botToken, undefined);
        assert.equal(config.secrets.providers.clawcagetelegram, undefined);
        assert.ok(!effectiveEgressAllowlist(parseSettings(telegram(false)["clawcage:settings"])).includes("api.telegram.org"));
    });
});

/** The parts of openclaw.json these tests read. */
interface OpenClawConfigDoc {
    channels: Record<string, { botToken?: unknown }>;
    secrets: { providers: Record<string, unknown> };
}
