import { hostNamespacePolicy } from "../lib/hostNamespace";
import { cis } from "../lib/metadata";

export const containerNoHostIpc = hostNamespacePolicy(
    "ipcMode",
    "ipc",
    "it reads and writes the host's shared memory segments",
    cis("5.16", "Ensure that the host's IPC namespace is not shared"),
);
