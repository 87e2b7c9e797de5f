// The clawcage library: every component, renderer and the settings schema, for use in larger stacks.
export { OpenClawDeployment, DEPLOYMENT_NAME, type OpenClawDeploymentArgs } from "./deployment/openclawDeployment";
export { GatewaySecrets, MIN_TOKEN_LENGTH, type GatewaySecretsArgs } from "./secrets/gatewaySecrets";
export { HostAccount, type HostAccountArgs } from "./host/hostAccount";
export { hostLayout, GATEWAY_PATHS, PROXY_PATHS, type HostLayout } from "./host/layout";
export { renderAccountCreateScript, renderAccountDeleteScript, renderFileWriteScript } from "./host/hostScript";
export { IsolatedNetwork, type IsolatedNetworkArgs } from "./network/isolatedNetwork";
export { HardenedContainer, type HardenedContainerArgs } from "./container/hardenedContainer";
export { EgressProxy, type EgressProxyArgs, EGRESS_PROXY_HOST, EGRESS_PROXY_PORT } from "./egress/egressProxy";
export { renderSquidConf, FORBIDDEN_DESTINATIONS } from "./egress/squidConf";
export { IngressProxy, type IngressProxyArgs } from "./ingress/ingressProxy";
export { renderHaproxyCfg } from "./ingress/haproxyCfg";
export { OpenClawGateway, type OpenClawGatewayArgs, GATEWAY_HOST } from "./gateway/openclawGateway";
export { renderOpenClawConfig, renderExecApprovals, TOKEN_PROVIDER } from "./gateway/openclawConfig";
export { effectiveToolPolicy, type ToolPolicy } from "./gateway/toolPolicy";
export { deploymentSettingsSchema, type DeploymentSettings, type DeploymentSettingsInput } from "./settings/schema";
export { parseSettings, parseSettingsJson, settingsDocument, SettingsError } from "./settings/parse";
export { readStackInputs } from "./settings/stackConfig";
export * from "./settings/constants";
