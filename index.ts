import * as pulumi from "@pulumi/pulumi";
import { DEPLOYMENT_NAME, OpenClawDeployment } from "./components/deployment/openclawDeployment";
import { readStackInputs } from "./components/settings/stackConfig";

// The clawcage program: one stack = one five-layer OpenClaw deployment, declared in Pulumi.<stack>.yaml.
const inputs = readStackInputs(new pulumi.Config());
const deployment = new OpenClawDeployment(DEPLOYMENT_NAME, {
    settings: inputs.settingsJson,
    suppliedTokens: inputs.suppliedTokens,
    channelTokens: inputs.channelTokens,
    modelKeys: inputs.modelKeys,
    sshPrivateKey: inputs.sshPrivateKey,
    ingressTls: inputs.ingressTls,
    alertWebhookUrl: inputs.alertWebhookUrl,
    alertMailPassword: inputs.alertMailPassword,
});

export const endpoint = deployment.endpoint;
export const ingressCertificateSha256 = deployment.ingressCertificateSha256;
export const tokens = deployment.tokens;
export const gatewayContainer = deployment.gatewayContainer;
export const team = deployment.team;
export const egressProxyContainer = deployment.egressProxyContainer;
export const openclawConfig = deployment.openclawConfig;
export const permissions = deployment.permissions;
// This stack's own outputs as the last `pulumi up` left them: the policy pack's one-loosening guard compares the
// permissions above with these at every preview (none at the first deployment).
export const previousPermissions = new pulumi.StackReference(`${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`).getOutput("permissions");
