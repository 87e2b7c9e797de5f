import { hostNamespacePolicy } from "../lib/hostNamespace";
import { cis } from "../lib/metadata";

export const containerNoHostPid = hostNamespacePolicy(
    "pidMode",
    "pid",
    "it sees and can signal every host process and read their environments",
    cis("5.15", "Ensure that the host's process namespace is not shared"),
);
