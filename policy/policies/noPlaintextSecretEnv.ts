import type { StackValidationPolicy } from "@pulumi/policy";
import { areaTags } from "../lib/metadata";
import { envEntries } from "../lib/openclaw";
import { containerLabel, openclawContainers, props } from "../lib/stack";
import { list } from "../lib/values";

const SECRET_NAME = /(TOKEN|SECRET|PASSW|API_?KEY|PRIVATE_?KEY|CREDENTIAL|ACCESS_?KEY)/i;
const REFERENCE_NAME = /_(FILE|PATH|ID)$/i;
const REFERENCE_VALUE = /^\$\{?[A-Z_][A-Z0-9_]*\}?$/;

/**
 * A token written in the program ends up in source control and in plain state. Accepted: a value
 * marked secret (wire format, as recorded offline), a value the engine does not know yet (preview:
 * advisory), a reference to another variable, or a value computed from another resource (the
 * engine unwraps secrets before policies run, so a generated token such as RandomBytes shows up as
 * `envs` depending on that resource). A literal with no such origin is a violation.
 */
export const noPlaintextSecretEnv: StackValidationPolicy = {
    name: "no-plaintext-secret-env",
    displayName: "No plaintext secret in env",
    description: "Secret-looking environment variables of OpenClaw containers (OPENCLAW_GATEWAY_TOKEN, *_API_KEY, *_SECRET, ...) are secrets or generated values, never literals.",
    severity: "critical",
    enforcementLevel: "mandatory",
    tags: areaTags("identity", "layer-3"),
    remediationSteps: "Generate the token (random.RandomBytes, 32 bytes) or read it with config.requireSecret, and pass it wrapped in pulumi.secret(); never write it in code or in plain stack config.",
    validateStack: (args, reportViolation) => {
        const found = openclawContainers(args.resources);
        if (found.length === 0) args.notApplicable("no OpenClaw container in the stack");
        for (const container of found) {
            // Reading an unknown value throws; the SDK reports that as the advisory "can't run policy
            // during preview". The whole list first, then (below) any single entry.
            const known = list(props(container).envs);
            const entries = envEntries(props(container));
            const computed = (container.propertyDependencies.envs ?? []).length > 0;
            for (const env of entries) {
                if (env.unknown || env.secret || computed || !SECRET_NAME.test(env.name) || REFERENCE_NAME.test(env.name)) continue;
                if (env.value === undefined || env.value === "" || REFERENCE_VALUE.test(env.value)) continue;
                reportViolation(`${containerLabel(container)}: env ${env.name} holds a literal value that is neither secret nor generated`, container.urn);
            }
            if (entries.some((e) => e.unknown)) known.forEach((entry) => entry);
        }
    },
};
