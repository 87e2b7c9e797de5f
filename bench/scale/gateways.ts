import * as pulumi from "@pulumi/pulumi";
import { OpenClawDeployment } from "../../components/deployment/openclawDeployment";
import { readStackInputs } from "../../components/settings/stackConfig";

// The scale benchmark's program: `bench:gateways` deployments of the stack's settings in one program, each on its own
// published port, as a team's stack of a gateway per person would declare them.
const count = new pulumi.Config("bench").requireNumber("gateways");
const inputs = readStackInputs(new pulumi.Config("clawcage"));
const settings = JSON.parse(inputs.settingsJson) as { gateway: { publish?: { port: number } } };
for (let i = 0; i < count; i++) {
    if (settings.gateway.publish) settings.gateway.publish.port += 1;
    new OpenClawDeployment(`openclaw-${i}`, { ...inputs, settings: JSON.stringify(settings) });
}
