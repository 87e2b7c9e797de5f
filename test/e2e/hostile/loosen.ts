import { dockerOk } from "../../../cli/live/docker";
import { shellQuote } from "../../../components/host/hostScript";
import { deploymentNames } from "../../../components/deployment/names";
import { AUDIT_PLUGIN_ID } from "../../../components/gateway/auditPlugin/record";
import { restartEgressProxy } from "../assistant";
import { reopenDoor, type Environment, type Log } from "../harness";
import { restartGateway as restartGatewayAndWait } from "../health";

/**
 * The negative controls' loosenings: each takes away one layer of the running deployment, the way a careless
 * hand-written setup would have it, and returns the way back. Files are edited on the host in place (owner and
 * mode kept) and the container that reads them restarted; the restore puts the bytes back and restarts again.
 */

export type Restore = () => Promise<void>;
type Json = Record<string, unknown>;

const NAMES = deploymentNames();

async function restartGateway(env: Environment, log: Log): Promise<void> {
    await restartGatewayAndWait(env, log);
    await reopenDoor(env);
}

async function editHostFile(env: Environment, file: string, edit: (text: string) => string, restart: () => Promise<void>): Promise<Restore> {
    const q = shellQuote(file);
    const original = (await env.live.onHost(`cat ${q}`)).stdout;
    await env.live.onHost(`cp -p ${q} ${q}.hostile && cat > ${q}`, edit(original));
    try {
        await restart();
    } catch (e) {
        await env.live.onHost(`cat ${q}.hostile > ${q} && rm -f ${q}.hostile`);
        throw e;
    }
    return async () => {
        await env.live.onHost(`cat ${q}.hostile > ${q} && rm -f ${q}.hostile`);
        await restart();
    };
}

const editJson = (edit: (doc: Json) => void) => (text: string) => {
    const doc = JSON.parse(text) as Json;
    edit(doc);
    return JSON.stringify(doc, null, 2);
};

/** openclaw.json with one change. */
const openclawJson = (env: Environment, log: Log, edit: (doc: Json) => void): Promise<Restore> =>
    editHostFile(env, env.live.layout.gatewayConfigFile, editJson(edit), () => restartGateway(env, log));

/** openclaw.json with one change to its tools. */
const gatewayConfig = (env: Environment, log: Log, edit: (tools: Json) => void): Promise<Restore> => openclawJson(env, log, (doc) => edit(doc.tools as Json));

/** openclaw.json with one change to the audit plugin's entry. */
const auditPluginEntry = (env: Environment, log: Log, edit: (entry: { enabled: boolean; config: Json }) => void): Promise<Restore> =>
    openclawJson(env, log, (doc) => edit((doc.plugins as { entries: Record<string, { enabled: boolean; config: Json }> }).entries[AUDIT_PLUGIN_ID]));

/** The audit plugin told of none of the gateway's secrets: it masks only the key formats it knows by shape. */
export async function auditKnowsNoSecret(env: Environment, log: Log): Promise<Restore> {
    const restore = await auditPluginEntry(env, log, (entry) => {
        entry.config.secretFiles = [];
    });
    return async () => {
        await restore();
        await scrubRecord(env);
    };
}

/**
 * The gateway's token, which the control let into the record, overwritten in place by a mark of its length (dd,
 * no truncation): the file keeps its inode and size, so whoever reads it by position reads on undisturbed.
 */
async function scrubRecord(env: Environment): Promise<void> {
    const file = shellQuote(env.live.layout.gatewayAuditFile);
    const token = (await env.live.onHost(`cat ${shellQuote(env.live.layout.gatewayTokenFile)}`)).stdout.trim();
    const text = (await env.live.onHost(`cat ${file}`)).stdout;
    if (token.length === 0 || !text.includes(token)) return;
    const r = await env.live.onHost(`dd of=${file} conv=notrunc status=none`, text.split(token).join("x".repeat(token.length)));
    if (r.code !== 0) throw new Error(`scrubbing the token from the audit record failed: ${r.stderr}`);
}

/** The audit plugin not loaded, as OpenClaw runs without it. */
export const withoutAuditPlugin = (env: Environment, log: Log): Promise<Restore> =>
    auditPluginEntry(env, log, (entry) => {
        entry.enabled = false;
    });

/** OpenClaw's file tools may leave the workspace (`tools.fs.workspaceOnly: false`). */
export const fileToolsAnywhere = (env: Environment, log: Log): Promise<Restore> =>
    gatewayConfig(env, log, (tools) => {
        tools.fs = { workspaceOnly: false };
    });

/** web_fetch may reach private and special-use addresses (OpenClaw's SSRF guard off). */
export const fetchAnyAddress = (env: Environment, log: Log): Promise<Restore> =>
    gatewayConfig(env, log, (tools) => {
        const web = tools.web as { fetch: Json };
        web.fetch.ssrfPolicy = { dangerouslyAllowPrivateNetwork: true, allowRfc2544BenchmarkRange: true };
    });

/** A path-only approvals entry for `program`: any arguments, what a bare name in an allowlist would be. */
export const anyArguments = (env: Environment, log: Log, program: string): Promise<Restore> =>
    editHostFile(
        env,
        env.live.layout.gatewayApprovalsFile,
        editJson((doc) => {
            const main = (doc.agents as { main: { allowlist: Json[] } }).main;
            main.allowlist = [...main.allowlist, { pattern: program }];
        }),
        () => restartGateway(env, log),
    );

/** squid.conf with `edit` applied. */
export const proxyRules = (env: Environment, edit: (conf: string) => string): Promise<Restore> =>
    editHostFile(env, env.live.layout.egressConfigFile, edit, () => restartEgressProxy(env));

/** The sandbox host joined to the routed egress network, as a sandbox with the default bridge would be. */
export async function sandboxOnRoutedNetwork(): Promise<Restore> {
    await dockerOk(["network", "connect", NAMES.networks.egress, NAMES.sandboxHost]);
    return async () => {
        await dockerOk(["network", "disconnect", NAMES.networks.egress, NAMES.sandboxHost]);
    };
}
