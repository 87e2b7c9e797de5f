import { strict as assert } from "node:assert";
import { ALL_CHECKS, LIVE_CHECKS, accessChecks, formatTable, hostChecks, networkChecks, runChecks, type Check, type LiveDeployment } from "../../cli/verify";
import { DRIFT_CHECKS } from "../../cli/routine/collect";
import { parseInspect } from "../../cli/live/probe";

/** Which checks run where is said by their flags; these tests hold the selections to them. */
describe("verify checks: what each run includes, by the checks' own flags", () => {
    it("`clawcage verify` runs every check that needs no stub and locks nobody out", () => {
        assert.deepEqual(LIVE_CHECKS, ALL_CHECKS.filter((c) => !c.needsStubUpstreams && !c.locksCallerOut));
        assert.ok(!LIVE_CHECKS.includes(accessChecks.rateLimit), "the lockout check would lock the operator out");
        assert.ok(!LIVE_CHECKS.includes(networkChecks.allowedHost), "a stub-only probe would reach for the real internet");
        // Self-contained egress checks do run on a real deployment.
        assert.ok(LIVE_CHECKS.includes(networkChecks.metadata) && LIVE_CHECKS.includes(networkChecks.accessLog));
    });

    it("the check that locks the caller out runs after every other one", () => {
        assert.equal(ALL_CHECKS.at(-1), accessChecks.rateLimit);
        assert.equal(ALL_CHECKS.filter((c) => c.locksCallerOut).length, 1);
    });

    it("the permission-drift look never runs a check that changes the host (it would repair what it reports)", () => {
        assert.deepEqual(DRIFT_CHECKS, Object.values(hostChecks).filter((c) => !c.mutatesHost));
        assert.ok(!DRIFT_CHECKS.includes(hostChecks.createIdempotent));
        assert.ok(DRIFT_CHECKS.includes(hostChecks.fileModes));
    });
});

describe("verify results: a mechanism absent on the host is a skip, never a pass", () => {
    const check = (observation: { observed: string; pass: boolean; skipped?: true }): Check => ({ layer: "L1", name: "c", expected: "e", run: async () => observation });
    const statusOf = async (c: Check) => (await runChecks([c], {} as LiveDeployment)).map((r) => formatTable([r]).split("\n")[1].split(" | ").at(-1)?.trim())[0];

    it("a skipped check reads SKIP and keeps the run passing; what it could read failing still fails (negative control)", async () => {
        assert.equal(await statusOf(check({ observed: "no AppArmor", pass: true, skipped: true })), "SKIP");
        assert.equal(await statusOf(check({ observed: "no AppArmor; engine differs", pass: false, skipped: true })), "FAIL");
        assert.equal(await statusOf(check({ observed: "ok", pass: true })), "PASS");
    });
});

describe("docker inspect output, parsed with zod", () => {
    const container = {
        Config: { User: "10001:10001", Image: "clawcage/gateway:abc", Cmd: null, Labels: { a: "b" } },
        State: { Running: true },
        HostConfig: { Memory: 1, MemorySwap: 1, NanoCpus: 1, ReadonlyRootfs: true, Privileged: false, SecurityOpt: null, CapDrop: ["ALL"], CapAdd: null, PortBindings: { "18789/tcp": null } },
        NetworkSettings: { Networks: { "openclaw-net-internal": { IPAddress: "10.0.0.2", Gateway: "" } } },
        Id: "kept",
    };

    it("keeps every field the engine gave (the emergency stop saves the document as evidence)", () => {
        const parsed = parseInspect("g", JSON.stringify([container]));
        assert.equal(parsed.Config.Image, "clawcage/gateway:abc");
        assert.equal((parsed as unknown as { Id: string }).Id, "kept");
    });

    it("negative control: a document without a field clawcage reads is an error naming it", () => {
        const broken = { ...container, HostConfig: { ...container.HostConfig, Memory: "1g" } };
        assert.throws(() => parseInspect("g", JSON.stringify([broken])), /docker inspect g: unexpected output .*HostConfig\.Memory/s);
        assert.throws(() => parseInspect("g", "[]"), /docker inspect g: unexpected output/);
    });
});
