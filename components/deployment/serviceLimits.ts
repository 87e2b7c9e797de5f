/**
 * Limits of the containers beside the gateway: small and never competing with it. 128 processes and threads: squid
 * and its few children, haproxy's fixed thread count (haproxyCfg.ts), the watcher's Node. The watcher reads logs and
 * keeps half a CPU; the proxies carry every request and get settings.container.proxyCpus.
 */
export const SERVICE_LIMITS = { cpus: 0.5, memoryMb: 256, memoryReservationMb: 64, cpuReservation: 0.25, maxProcesses: 128 };

/** A proxy's limits: the service limits with the settings' CPU share. */
export const proxyLimits = (container: { proxyCpus: number }) => ({ ...SERVICE_LIMITS, cpus: container.proxyCpus });
