import { nodeHeapOptions } from "../container/nodeHeap";
import { GATEWAY_PATHS } from "../host/layout";
import type { DeploymentSettings } from "../settings/schema";

/**
 * The gateway's environment, on either target: where OpenClaw, start-gateway.sh and git-guard.sh find what the
 * mounts put in place; Node's heap; then the proxy, for child processes and clients that read the environment
 * (OpenClaw itself uses `proxy`).
 */
export function gatewayEnv(s: DeploymentSettings, agentWritable: readonly string[], proxyUrl: string): Record<string, string> {
    return {
        HOME: GATEWAY_PATHS.home,
        OPENCLAW_STATE_DIR: GATEWAY_PATHS.state,
        OPENCLAW_CONFIG_PATH: GATEWAY_PATHS.configFile,
        CLAWCAGE_EXEC_APPROVALS: GATEWAY_PATHS.execApprovalsFile,
        CLAWCAGE_WORKSPACE: GATEWAY_PATHS.workspace,
        CLAWCAGE_WRITABLE_PATHS: agentWritable.join(":"),
        NODE_OPTIONS: nodeHeapOptions(s.container),
        HTTP_PROXY: proxyUrl,
        HTTPS_PROXY: proxyUrl,
        http_proxy: proxyUrl,
        https_proxy: proxyUrl,
        NO_PROXY: "localhost,127.0.0.1,::1",
    };
}
