import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { reveal, type RecordedResource } from "../../cli/record/program";

// The scale benchmark's baseline: the same resources as a recorded run of gateways.ts (types, names, inputs), each
// declared directly, with none of clawcage's validation, rendering or wiring: what the mock runtime itself costs.
class RawResource extends pulumi.CustomResource {
    constructor(type: string, name: string, inputs: pulumi.Inputs) {
        super(type, name, inputs);
    }
}

const recorded = JSON.parse(fs.readFileSync(new pulumi.Config("bench").require("resources"), "utf8")) as RecordedResource[];
for (const r of recorded) {
    if (r.custom) new RawResource(r.type, r.name, reveal(r.inputs) as pulumi.Inputs);
    else new pulumi.ComponentResource(r.type, r.name);
}
