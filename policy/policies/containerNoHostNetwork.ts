import { hostNamespacePolicy } from "../lib/hostNamespace";
import { cis } from "../lib/metadata";

export const containerNoHostNetwork = hostNamespacePolicy(
    "networkMode",
    "network",
    "it bypasses the internal network and the egress proxy and reaches every host port and the internet",
    cis("5.9", "Ensure that the host's network namespace is not shared"),
);
