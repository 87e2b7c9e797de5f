import { evaluatePolicy, type PackConfig, type PolicyResult } from "../../cli/check/evaluate";
import { inputsOfRun, STACK_TYPE, type PolicyInput } from "../../cli/check/policyInputs";
import type { ClawcagePolicy } from "../../policy/api";
import { runStack, runStackConfig, stackConfig } from "../../cli/record/program";

/**
 * The committed stacks, recorded once per test process (each run takes seconds), each as previewed again after
 * its own deployment: its previous outputs are those of a first run, as on every `pulumi up` but the first.
 */
const runs = new Map<string, Promise<PolicyInput[]>>();
export type CommittedStack = "dev" | "prod" | "team" | "k8s";
export function recorded(stack: CommittedStack): Promise<PolicyInput[]> {
    if (!runs.has(stack)) runs.set(stack, runStack(stack).then((first) => runStackConfig(stackConfig(stack), first)).then((run) => inputsOfRun(run, stack)));
    return runs.get(stack) as Promise<PolicyInput[]>;
}

/** A deep copy to mutate: recorded inputs and state must never be shared between tests. */
export const copy = (inputs: PolicyInput[]): PolicyInput[] => structuredClone(inputs);

/**
 * Changes one resource the same way in its inputs (what resource policies see) and its state (what
 * stack policies see), as the engine would after the change.
 */
export function change(inputs: PolicyInput[], name: string, edit: (props: Record<string, unknown>) => void): PolicyInput[] {
    const out = copy(inputs);
    const target = out.find((r) => r.name === name);
    if (!target) throw new Error(`no resource ${name}`);
    edit(target.inputs);
    edit(target.state);
    return out;
}

/**
 * Changes a file a host command writes (clawcage's hostFile: the content is its stdin).
 */
export function changeWrittenFile(inputs: PolicyInput[], command: string, edit: (text: string) => string): PolicyInput[] {
    return change(inputs, command, (p) => {
        p.stdin = edit(String(p.stdin));
    });
}

/** The parts of openclaw.json the negative controls change. */
export interface ConfigDoc {
    gateway: { auth: { mode: string; token: unknown; trustedProxy: { allowUsers: string[]; allowLoopback?: boolean } }; trustedProxies: string[]; tools: { deny: string[] } };
    agents: { defaults: { sandbox: { mode: string } } };
    browser?: { enabled: boolean };
    models?: { providers?: Record<string, unknown> };
    tools: { allow: string[]; deny: string[]; exec: { mode: string; safeBins?: string[] }; fs: { workspaceOnly: boolean } };
    logging: { audit: { enabled: boolean } };
    channels: Record<string, { botToken?: unknown; dmPolicy: string; allowFrom: string[]; groupAllowFrom: string[]; groups: Record<string, { requireMention: boolean }> }>;
}

/** Changes a stack output, as the program would export it. */
export function changeOutput(inputs: PolicyInput[], output: string, edit: (value: unknown) => unknown): PolicyInput[] {
    const out = copy(inputs);
    const stack = out.find((r) => r.type === STACK_TYPE);
    if (!stack) throw new Error("no stack resource");
    stack.state[output] = edit(stack.state[output]);
    return out;
}

/** Changes the gateway's openclaw.json as exported in the stack output `openclawConfig`. */
export function changeConfig(inputs: PolicyInput[], edit: (config: ConfigDoc) => void): PolicyInput[] {
    const out = copy(inputs);
    const stack = out.find((r) => r.type === STACK_TYPE);
    if (!stack) throw new Error("no stack resource");
    const config = JSON.parse(String(stack.state.openclawConfig)) as ConfigDoc;
    edit(config);
    stack.state.openclawConfig = JSON.stringify(config, null, 2);
    return out;
}

export function check(policy: ClawcagePolicy, inputs: PolicyInput[], config: PackConfig = {}): Promise<PolicyResult> {
    return evaluatePolicy(policy, inputs, "test", config);
}
