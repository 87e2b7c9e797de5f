import { strict as assert } from "node:assert";
import { policies } from "../../policy/api";
import { changeConfig, check, recorded } from "./fixtures";

const policy = policies.find((p) => p.name === "openclaw-credentials-from-secret-ref");
const fileRef = { source: "file", provider: "clawcagekeys", id: "value" };

describe("policy pack: provider keys and channel tokens come from SecretRefs", () => {
    it("accepts the same fields as SecretRefs or ${VAR} references (the valid neighbours of the negative controls)", async () => {
        assert.ok(policy);
        const inputs = changeConfig(await recorded("prod"), (c) => {
            c.channels.telegram.botToken = fileRef;
            c.models = { providers: { anthropic: { apiKey: "${ANTHROPIC_API_KEY}" }, local: { apiKey: fileRef } } };
        });
        assert.deepEqual((await check(policy, inputs)).violations, []);
    });

    it("names the path of each inline credential, nested in arrays too, and leaves the gateway token to its own policy", async () => {
        assert.ok(policy);
        const inputs = changeConfig(await recorded("dev"), (c) => {
            c.gateway.auth.token = "x".repeat(64);
            c.models = { providers: { relay: { headers: [{ name: "x", password: "hunter2" }], apiKey: "sk-fake" } } };
        });
        const messages = (await check(policy, inputs)).violations.map((v) => v.message.replace(/^[^:]+: /, ""));
        assert.deepEqual(messages.sort(), [
            "models.providers.relay.apiKey is written inline; reference it as a SecretRef",
            "models.providers.relay.headers[0].password is written inline; reference it as a SecretRef",
        ]);
    });
});
