import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

// `pulumi preview --policy-pack ./policy`. Constructing the pack starts the analyzer's gRPC server, so other
// code imports the side-effect-free ./api instead.
new PolicyPack("clawcage-openclaw", {
    policies,
    description: "The OpenClaw security guide's pre-deploy checklist for any stack that runs OpenClaw on Docker.",
});
