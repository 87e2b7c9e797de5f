import { z } from "zod";
import { auditPluginConfigSchema } from "../gateway/auditPlugin/config";

/**
 * The alert watcher's settings file (600, in its config folder, mounted read-only): what it reads, where it keeps
 * its positions, the rules it matches the proxy's log against, and where mail goes. The webhook's URL and the mail
 * password are in the secret file beside it. The watcher only imports the types: its image has no zod.
 */
export const watcherConfigSchema = z.strictObject({
    recordFile: z.string().min(1),
    egressLogFile: z.string().min(1),
    /** A team member's watcher: only the proxy's lines from this gateway network (CIDR) are its gateway's; the others', other watchers'. */
    egressClients: z.cidrv4().optional(),
    positionsFile: z.string().min(1),
    /** Touched after every pass that delivered all it read: the container's health check reads its age. */
    heartbeatFile: z.string().min(1),
    /** The secret file beside it (600): the webhook's URL and the mail password. */
    secretsFile: z.string().min(1),
    pollMs: z.int().min(100),
    rules: auditPluginConfigSchema.shape.rules,
    /** Both deliveries go out through the egress proxy, to these hosts alone. */
    proxyUrl: z.string().min(1),
    /** A CA (PEM) the destinations' certificates chain to besides the public ones. */
    caCertificate: z.string().optional(),
    mail: z
        .strictObject({
            transport: z.strictObject({ host: z.string(), port: z.int(), secure: z.boolean(), user: z.string() }),
            from: z.string(),
            to: z.array(z.string()).min(1),
        })
        .optional(),
});

export type WatcherConfig = z.infer<typeof watcherConfigSchema>;

/** The secret file's contents. */
export interface WatcherSecrets {
    webhookUrl?: string;
    mailPassword?: string;
}
