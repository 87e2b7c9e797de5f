import type { PolicyInput } from "../../cli/check/policyInputs";
import { change } from "./fixtures";
import type { NegativeControl } from "./negativeControls";

/** The k8s stack's objects as recorded (resource names: `<deployment>-<kind>-<object name>`). */
const GATEWAY = "openclaw-deployment-openclaw-gateway";
const SANDBOX = "openclaw-deployment-openclaw-sandbox";

type Pod = { automountServiceAccountToken?: boolean; hostNetwork?: boolean; volumes: object[]; containers: { securityContext: Record<string, unknown>; resources: { limits: Record<string, unknown> } }[] };
type Policy = { spec: { ingress?: { from: object[]; ports?: object[] }[]; egress?: { to: object[]; ports?: object[] }[] } };

/** Changes one Deployment's pod template. */
const pod = (inputs: PolicyInput[], deployment: string, edit: (p: Pod) => void) => change(inputs, deployment, (d) => edit((d.spec as { template: { spec: Pod } }).template.spec));
const gatewayContainer = (p: Pod) => p.containers[0].securityContext;
/** Changes one NetworkPolicy. */
const netpol = (inputs: PolicyInput[], name: string, edit: (p: Policy) => void) => change(inputs, `openclaw-networkpolicy-${name}`, (p) => edit(p as unknown as Policy));

/** One changed property of the k8s stack, each caught by the named policy. */
export const KUBERNETES_CONTROLS: NegativeControl[] = [
    { policy: "kubernetes-pod-security", stack: "k8s", change: "gateway may escalate privileges", apply: (i) => pod(i, GATEWAY, (p) => void (gatewayContainer(p).allowPrivilegeEscalation = true)) },
    { policy: "kubernetes-pod-security", stack: "k8s", change: "gateway root filesystem writable", apply: (i) => pod(i, GATEWAY, (p) => void (gatewayContainer(p).readOnlyRootFilesystem = false)) },
    { policy: "kubernetes-pod-security", stack: "k8s", change: "sandbox host adds NET_RAW", apply: (i) => pod(i, SANDBOX, (p) => void (p.containers[0].securityContext.capabilities = { drop: ["ALL"], add: ["NET_RAW"] })) },
    { policy: "kubernetes-pod-security", stack: "k8s", change: "gateway runs as uid 0", apply: (i) => pod(i, GATEWAY, (p) => void (gatewayContainer(p).runAsUser = 0)) },
    { policy: "kubernetes-pod-security", stack: "k8s", change: "gateway mounts its service-account token", apply: (i) => pod(i, GATEWAY, (p) => void delete p.automountServiceAccountToken) },
    { policy: "kubernetes-pod-security", stack: "k8s", change: "sandbox host on the node's network", apply: (i) => pod(i, SANDBOX, (p) => void (p.hostNetwork = true)) },
    { policy: "kubernetes-pod-security", stack: "k8s", change: "gateway mounts the node's /var/run", apply: (i) => pod(i, GATEWAY, (p) => void p.volumes.push({ name: "node", hostPath: { path: "/var/run" } })) },
    { policy: "kubernetes-pod-security", stack: "k8s", change: "gateway without a memory limit", apply: (i) => pod(i, GATEWAY, (p) => void delete p.containers[0].resources.limits.memory) },
    {
        policy: "kubernetes-pod-security",
        stack: "k8s",
        change: "namespace not enforcing restricted",
        apply: (i) => change(i, "openclaw-namespace-openclaw", (n) => void ((n.metadata as { labels: Record<string, string> }).labels["pod-security.kubernetes.io/enforce"] = "baseline")),
    },
    { policy: "kubernetes-network-confined", stack: "k8s", change: "gateway ingress open to every pod", apply: (i) => netpol(i, "gateway", (p) => void (p.spec.ingress = [{ from: [] }])) },
    { policy: "kubernetes-network-confined", stack: "k8s", change: "gateway egress to anywhere", apply: (i) => netpol(i, "gateway", (p) => void p.spec.egress?.push({ to: [] })) },
    { policy: "kubernetes-network-confined", stack: "k8s", change: "gateway and default-deny policies gone", apply: (i) => i.filter((r) => r.name !== "openclaw-networkpolicy-gateway" && r.name !== "openclaw-networkpolicy-default-deny") },
    { policy: "openclaw-token-auth", stack: "k8s", change: "the pod subnet trusted while every pod reaches the gateway", apply: (i) => netpol(i, "gateway", (p) => void (p.spec.ingress = [{ from: [] }])) },
];
