import { strict as assert } from "node:assert";
import { parseSettings, SettingsError } from "../../components/settings/parse";

/** Where alerts go: the settings name hosts only; the webhook's URL and the mail password are secret config. */
describe("settings: where alerts go", () => {
    const problems = (raw: unknown): string[] => {
        try {
            parseSettings(raw);
            return [];
        } catch (e) {
            return (e as SettingsError).problems;
        }
    };

    it("takes a webhook host and a mail server, with the secure port by default", () => {
        const s = parseSettings({ alerts: { webhook: { host: "hooks.slack.com" }, mail: { host: "smtp.example.org", user: "alerts", from: "clawcage@example.org", to: ["ops@example.org"] } } });
        assert.equal(s.alerts.webhook?.host, "hooks.slack.com");
        assert.equal(s.alerts.mail?.port, 587);
    });

    it("points an old webhookUrl to its new place, and names the field of each other mistake", () => {
        assert.deepEqual(problems({ alerts: { webhookUrl: "https://hooks.slack.com/services/x" } }), [
            "settings.alerts: 'webhookUrl' is now alerts.webhook.host, with the whole URL in secret config clawcage:alert-webhook-url (a webhook's URL is its credential)",
        ]);
        assert.deepEqual(problems({ alerts: { webhook: { host: "https://hooks.slack.com/x" } } }), ["settings.alerts.webhook.host: give a host name (e.g. hooks.slack.com), lower case, no scheme, port or path"]);
        assert.deepEqual(problems({ alerts: { mail: { host: "smtp.example.org", port: 25, user: "u", from: "a@example.org", to: [] } } }).length, 2);
        assert.match(problems({ alerts: { mail: { host: "smtp.example.org", user: "u", from: "a@example.org", to: [] } } })[0], /^settings\.alerts\.mail\.to: give at least one address/);
    });
});
