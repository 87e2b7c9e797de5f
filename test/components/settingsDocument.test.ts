import { strict as assert } from "node:assert";
import { SettingsError, settingsDocument } from "../../components";

describe("settingsDocument: typed settings for TypeScript callers of OpenClawDeployment", () => {
    it("returns the JSON document the component takes", () => {
        const json = settingsDocument({ gateway: { publish: { address: "127.0.0.1", port: 18789 } }, rollout: { stage: "observe" } });
        assert.deepEqual(JSON.parse(json), { gateway: { publish: { address: "127.0.0.1", port: 18789 } }, rollout: { stage: "observe" } });
    });

    it("refuses at once what the types allow but the rules do not", () => {
        assert.throws(() => settingsDocument({ gateway: { auth: "none" } }), (e: unknown) => e instanceof SettingsError && /settings\.gateway\.auth/.test(e.message));
    });

    // `npm test` type-checks this file first: each marked line below must be a compile error, or tsc fails on the
    // unused expect-error directive (the negative control of the typing). The calls never run.
    it("is checked by the compiler: unknown keys and wrong types do not compile", () => {
        const compileOnly = (): void => {
            // @ts-expect-error the guide's YAML key is not a setting
            settingsDocument({ tools: { allowlist: ["read"] } });
            // @ts-expect-error a rollout stage that does not exist
            settingsDocument({ rollout: { stage: "everything" } });
            // @ts-expect-error memory is a number of MiB
            settingsDocument({ container: { memoryMb: "4g" } });
        };
        assert.equal(typeof compileOnly, "function");
    });
});
