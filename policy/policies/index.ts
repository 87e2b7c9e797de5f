import type { ClawcagePolicy } from "../lib/metadata";
import { containerCapabilities } from "./containerCapabilities";
import { containerCpuLimit } from "./containerCpuLimit";
import { containerMemoryLimit } from "./containerMemoryLimit";
import { containerNoDockerSocket } from "./containerNoDockerSocket";
import { containerNoHostIpc } from "./containerNoHostIpc";
import { containerNoHostNetwork } from "./containerNoHostNetwork";
import { containerNoHostPid } from "./containerNoHostPid";
import { containerNoNewPrivileges } from "./containerNoNewPrivileges";
import { containerNonRoot } from "./containerNonRoot";
import { containerNoSensitiveMounts } from "./containerNoSensitiveMounts";
import { containerNotPrivileged } from "./containerNotPrivileged";
import { containerPidsLimit } from "./containerPidsLimit";
import { containerReadOnlyRoot } from "./containerReadOnlyRoot";
import { containerSandboxGvisor } from "./containerSandboxGvisor";
import { containerSeccomp } from "./containerSeccomp";
import { containerAppArmor } from "./containerAppArmor";
import { egressAllowlistDomains } from "./egressAllowlistDomains";
import { egressOnlyThroughProxy } from "./egressOnlyThroughProxy";
import { egressProxyClients } from "./egressProxyClients";
import { gatewayInternalNetworks } from "./gatewayInternalNetworks";
import { gatewaysShareNoNetwork } from "./gatewaysShareNoNetwork";
import { imagesPinned } from "./imagesPinned";
import { kubernetesNetworkConfined } from "./kubernetesNetworkConfined";
import { kubernetesPodSecurity } from "./kubernetesPodSecurity";
import { noPlaintextSecretEnv } from "./noPlaintextSecretEnv";
import { openclawAuditLog } from "./openclawAuditLog";
import { openclawChannelAllowlists } from "./openclawChannelAllowlists";
import { openclawCredentialsFromSecretRef } from "./openclawCredentialsFromSecretRef";
import { openclawExecBrowser } from "./openclawExecBrowser";
import { openclawMentionGating } from "./openclawMentionGating";
import { openclawSandbox } from "./openclawSandbox";
import { openclawTokenAuth } from "./openclawTokenAuth";
import { openclawTokenFromSecret } from "./openclawTokenFromSecret";
import { openclawToolAllowlist } from "./openclawToolAllowlist";
import { openclawWorkspaceOnly } from "./openclawWorkspaceOnly";
import { oneLooseningAtATime } from "./oneLooseningAtATime";
import { publishedPortAllowlisted } from "./publishedPortAllowlisted";

/** The pack's policies in the order of mission.md's pre-deploy checklist (container, identity, permissions, audit), then the extras. */
export const policies: ClawcagePolicy[] = [
    containerNonRoot,
    containerNoNewPrivileges,
    containerCapabilities,
    containerReadOnlyRoot,
    containerMemoryLimit,
    containerCpuLimit,
    openclawSandbox,
    openclawTokenAuth,
    openclawTokenFromSecret,
    openclawCredentialsFromSecretRef,
    noPlaintextSecretEnv,
    openclawChannelAllowlists,
    openclawMentionGating,
    publishedPortAllowlisted,
    openclawToolAllowlist,
    openclawExecBrowser,
    openclawWorkspaceOnly,
    oneLooseningAtATime,
    containerNoSensitiveMounts,
    openclawAuditLog,
    containerNoDockerSocket,
    containerNotPrivileged,
    containerNoHostNetwork,
    containerNoHostPid,
    containerNoHostIpc,
    gatewayInternalNetworks,
    gatewaysShareNoNetwork,
    egressOnlyThroughProxy,
    egressAllowlistDomains,
    egressProxyClients,
    imagesPinned,
    containerPidsLimit,
    containerSandboxGvisor,
    containerSeccomp,
    containerAppArmor,
    kubernetesPodSecurity,
    kubernetesNetworkConfined,
];
