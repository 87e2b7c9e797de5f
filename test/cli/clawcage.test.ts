import { strict as assert } from "node:assert";
import { main } from "../../cli/clawcage";

describe("clawcage command: arguments and refusals (no Docker needed)", () => {
    it("exits 2 with a clear message when the stack does not exist", async () => {
        const errors: string[] = [];
        const original = console.error;
        console.error = (line: string) => void errors.push(line);
        try {
            assert.equal(await main(["node", "clawcage", "verify", "--stack", "no-such-stack"]), 2);
        } finally {
            console.error = original;
        }
        assert.match(errors.join("\n"), /no stack file .*Pulumi\.no-such-stack\.yaml/);
    });

    it("exits 2 when emergency-stop is missing its evidence folder", async () => {
        const original = process.stderr.write.bind(process.stderr);
        process.stderr.write = (() => true) as typeof process.stderr.write;
        try {
            assert.equal(await main(["node", "clawcage", "emergency-stop", "--stack", "dev"]), 2);
        } finally {
            process.stderr.write = original;
        }
    });
});
