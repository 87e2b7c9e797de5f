// The guide's runtime checklist, one evaluator per item (weekly: audit log, CPU/memory/disk, unauthorised access,
// config backup; monthly: update OpenClaw, rotate tokens, scan the image, review permissions).
export * from "./item";
export * from "./logRoom";
export * from "./containerLoad";
export * from "./deploymentSize";
export * from "./unauthorisedAttempts";
export * from "./ages";
export * from "./openclawVersion";
export * from "./auditLedger";
export * from "./configBackup";
export * from "./permissionDrift";
