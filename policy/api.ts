// The policy pack's public entry: what the offline check, the CLI and the tests import (never lib/ or
// policies/ directly). It has no side effect; index.ts is what `pulumi preview --policy-pack ./policy` runs.
export { policies } from "./policies";
export { areaOf, isStackPolicy, type ChecklistArea, type ClawcagePolicy } from "./lib/metadata";
export { isUnknownValueError, unknownCheckingProxy } from "./lib/values";
export { SENSITIVE_HOST_PATHS } from "./lib/sensitivePaths";
export { admitsEveryone, cidrsOverlap, isLoopback } from "./lib/cidrs";
export { unregistrableDomainReason } from "./lib/domains";
export { expandToolNames, OPENCLAW_TOOL_IDS, OPENCLAW_TOOLS_VERSION, unknownToolNameReason } from "./lib/openclawTools";
export { diffPermissions, loosenings, loosensTooMuch, readPermissions, type Permission, type PermissionDiff } from "./lib/permissions";
export { oneLooseningAtATime, PERMISSIONS_OUTPUT, PREVIOUS_PERMISSIONS_OUTPUT } from "./policies/oneLooseningAtATime";
