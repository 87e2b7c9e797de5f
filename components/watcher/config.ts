import { z } from "zod";
import { auditPluginConfigSchema } from "../gateway/auditPlugin/config";

/**
 * The alert watcher's settings file (600, in its config folder, mounted read-only): what it reads, where it keeps
 * its positions, the rules it matches the proxy's log against, and where alerts go. It holds the webhook URL and
 * the mail password, so it is secret. The watcher only imports the type: its image has no zod.
 */
export const watcherConfigSchema = z.strictObject({
    recordFile: z.string().min(1),
    egressLogFile: z.string().min(1),
    positionsFile: z.string().min(1),
    pollMs: z.int().min(100),
    rules: auditPluginConfigSchema.shape.rules,
    /** Both deliveries go out through the egress proxy, to these hosts alone. */
    proxyUrl: z.string().min(1),
    webhookUrl: z.string().optional(),
    mail: z
        .strictObject({
            transport: z.strictObject({ host: z.string(), port: z.int(), secure: z.boolean(), auth: z.strictObject({ user: z.string(), pass: z.string() }).optional() }),
            from: z.string(),
            to: z.array(z.string()).min(1),
        })
        .optional(),
});

export type WatcherConfig = z.infer<typeof watcherConfigSchema>;
