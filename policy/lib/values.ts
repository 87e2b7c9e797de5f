import * as policySdk from "@pulumi/policy";

/**
 * Reading resource properties that may be secret or unknown.
 *
 * Under the Pulumi engine, @pulumi/policy unwraps secrets before a policy sees them and puts an unknown
 * value behind a proxy that throws UnknownValueError when read (the SDK turns that into the advisory
 * "can't run policy during preview"). Offline (clawcage's program recorder, the wire format) secrets stay wrapped
 * as {SECRET_SIG_KEY: SECRET_SIG, value}. Every read here accepts both forms.
 */

// The wire signature of a secret (@pulumi/pulumi/runtime/rpc). Restated so the pack stays self-contained.
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

// @pulumi/policy exports these at runtime; its typings mark them internal, so they are typed once here.
const sdk = policySdk as unknown as {
    unknownCheckingProxy: <T extends object>(value: T) => T;
    UnknownValueError: new (...args: never[]) => Error;
};
export const unknownCheckingProxy = sdk.unknownCheckingProxy;

export function isUnknownValueError(e: unknown): e is Error {
    return e instanceof sdk.UnknownValueError;
}

/** The value read by `read`, or undefined when it is unknown (preview); other errors propagate. */
export function ifKnown<T>(read: () => T): T | undefined {
    try {
        return read();
    } catch (e) {
        if (isUnknownValueError(e)) return undefined;
        throw e;
    }
}

/** True when the value is marked secret: the wire wrapper or @pulumi/policy's Secret. */
export function isSecretValue(value: unknown): boolean {
    if (value instanceof policySdk.Secret) return true;
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** The value with its secret wrapper(s) removed, for reading non-secret facts about it. */
export function plain(value: unknown): unknown {
    let v = value;
    while (isSecretValue(v)) v = v instanceof policySdk.Secret ? (v.value as unknown) : (v as Record<string, unknown>).value;
    return v;
}

export function str(value: unknown): string | undefined {
    const v = plain(value);
    return typeof v === "string" ? v : undefined;
}

export function num(value: unknown): number | undefined {
    const v = plain(value);
    if (typeof v === "number") return v;
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
    return undefined;
}

export function bool(value: unknown): boolean | undefined {
    const v = plain(value);
    return typeof v === "boolean" ? v : undefined;
}

export function list(value: unknown): unknown[] {
    const v = plain(value);
    return Array.isArray(v) ? (v as unknown[]) : [];
}

export function record(value: unknown): Record<string, unknown> | undefined {
    const v = plain(value);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The value at a dotted path (`gateway.auth.mode`), unwrapping secrets on the way. */
export function at(root: unknown, path: string): unknown {
    return path.split(".").reduce<unknown>((node, key) => record(node)?.[key], root);
}
