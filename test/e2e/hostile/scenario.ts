import type { Restore } from "./loosen";
import type { Decoys } from "./evidence";
import type { Environment, Log } from "../harness";

/**
 * A hostile scenario: the scripted model (stubs/model.js) plays an attacker, or a prompt-injected assistant,
 * through OpenClaw's own agent loop in the deployed cage. The attack must be refused or contained; its negative
 * control takes away the one layer that should stop it and must see the attack get through, in the same run.
 * Benign scenarios are the legitimate use that must keep working in the same stage.
 */

/**
 * Where a scenario runs. The alert rules only notify in observe, git and careless, so that the attacks meet the
 * layers underneath: observe is the committed stack so (its prompts not kept), git the git stage, careless a
 * careless variant of it. observe-rules is the committed stack as is (the guide's rules block), git-rules the
 * git stage with them.
 */
export type Deployment = "observe-rules" | "observe" | "git" | "careless" | "git-rules";

export interface Ctx {
    env: Environment;
    log: Log;
    decoys: Decoys;
    /** A chat through the published endpoint (a sandboxed session from the git stage on); the answer. */
    chat(text: string, conversation?: string): Promise<string>;
    /** A turn of the operator's own session (agent:main:main), whose exec runs on the gateway. */
    operator(text: string): Promise<string>;
    /** When the suite started (ms): the audit record must hold every call made since. */
    started: number;
    /** Every answer so far, for the leak search. */
    answers: readonly string[];
    /** A harness container the scenario needs, started once and kept to teardown. */
    extra(name: string, start: () => Promise<string>): Promise<string>;
}

/** What one run of an attack (or of its control) showed: a short label for the table, checked by the runner. */
export type Observe = (ctx: Ctx) => Promise<string>;

export interface Scenario {
    name: string;
    source: "guide" | "known attack" | "benign";
    deployment: Deployment;
    /** Who asks: a chat (any client or channel) or the operator's session. */
    session: "chat" | "operator";
    expected: string;
    /** The layer that stops it (benign: what it uses). */
    layer: string;
    attack: Observe;
    /**
     * The alerts the webhook and the mail server must each receive for the attack, `<rule> seen|blocked|paused`; a benign
     * scenario must raise none. Without it the alerts are reported, not checked.
     */
    alerts?: string[];
    control?: {
        deployment: Deployment;
        /** The one layer taken away: the deployment's own difference, or a loosening applied to it. */
        what: string;
        loosen?: Loosening;
        expected: string;
        observe: Observe;
        alerts?: string[];
    };
}

/** A loosening of the running deployment; controls that name the same id share one application of it. */
export interface Loosening {
    id: string;
    apply: (ctx: Ctx) => Promise<Restore>;
}

/** A tool call, as the scripted model's script line. */
export const call = (tool: string, args: Record<string, unknown>): string => `CALL ${tool} ${JSON.stringify(args)}`;

/** A call through the tool-search bridge, how OpenClaw offers the tools it does not list directly (web_fetch here). */
export const bridged = (tool: string, args: Record<string, unknown>): string => call("tool_call", { id: tool, args });

/** The first of `labels` whose pattern the answer matches, or the answer itself (shortened) when none does. */
export function classify(answer: string, labels: [RegExp, string][]): string {
    return labels.find(([re]) => re.test(answer))?.[1] ?? `unexpected: ${answer.replace(/\s+/g, " ").slice(0, 160)}`;
}
