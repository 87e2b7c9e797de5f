import { shellQuote } from "../../../components/host/hostScript";
import { call, classify, type Scenario } from "./scenario";
import { PLAN } from "./files";
import { PROJECT, PROJECT_COMMIT } from "./exec";

/** The legitimate use that must keep working in the same stages and through the same layers as the attacks. */

export const PLAN_TEXT = "Plan for the week: review the drafts.";

export const BENIGN_SCENARIOS: Scenario[] = [
    {
        name: "read a workspace file",
        source: "benign",
        deployment: "observe",
        session: "chat",
        expected: "read",
        layer: "read, in the workspace",
        attack: async (ctx) => classify(await ctx.chat(call("read", { path: PLAN })), [[new RegExp(PLAN_TEXT), "read"]]),
    },
    {
        name: "run a command on the workspace in the sandbox",
        source: "benign",
        deployment: "git",
        session: "chat",
        expected: "ran",
        layer: "exec on the sandbox host, the workspace copied in",
        attack: async (ctx) => classify(await ctx.chat(call("exec", { command: "ls notes" })), [[/plan\.md[\s\S]*todo\.md/, "ran"]]),
    },
    {
        name: "write into a writable path",
        source: "benign",
        deployment: "git",
        session: "operator",
        expected: "written",
        layer: "write, in the stage's writable path",
        attack: async (ctx) => {
            const text = `benign draft ${Date.now()}`;
            await ctx.operator(call("write", { path: "drafts/benign.md", content: text }));
            const landed = (await ctx.env.live.onHost(`cat ${shellQuote(`${ctx.env.live.layout.workspace}/drafts/benign.md`)}`)).stdout;
            return landed === text ? "written" : `host has: ${landed.slice(0, 80)}`;
        },
    },
    {
        name: "run an allowed form (git log HEAD) on the project's repository",
        source: "benign",
        deployment: "git",
        session: "operator",
        expected: "ran",
        layer: "exec on the gateway: a form of the stage, through the git guard",
        attack: async (ctx) => classify(await ctx.operator(call("exec", { command: "git log HEAD", workdir: PROJECT })), [[new RegExp(PROJECT_COMMIT), "ran"]]),
    },
];
