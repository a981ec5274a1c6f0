import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import type { RedisClient, ReplicaWait } from '../lib/redis-client.js';
import type { Metrics } from '../metrics/metrics.js';
import { RedisWatch, type RedisView } from '../queue/redis-watch.js';
import { replicasToWaitFor } from '../queue/replica-wait.js';

/** How often the producer looks at Redis's role and replicas between reconnections. */
const LOOK_EVERY_MS = 2000;

/** The watch of the producer's Redis, reported as metrics and logged when it changes. */
export function watchRedis(
  redis: RedisClient,
  config: AppConfig,
  metrics: Metrics,
  logger: Logger,
): RedisWatch {
  const topology = config.redis.topology.kind;
  metrics.redisFailovers.inc(0);
  metrics.redisLastFailover.set(0);
  return new RedisWatch(redis, topology, {
    slotKey: `${config.queuePrefix}:notifications`,
    intervalMs: LOOK_EVERY_MS,
    onChange(view, failover) {
      metrics.redisInfo.reset();
      metrics.redisInfo.set({ topology, role: view.role }, 1);
      metrics.redisReplicas.set(view.replicas);
      if (failover) {
        metrics.redisFailovers.inc();
        metrics.redisLastFailover.set(Math.round((view.lastFailoverAt ?? Date.now()) / 1000));
        logger.warn({ from: failover.from, to: failover.to }, 'redis primary changed (failover)');
      } else logger.info({ role: view.role, replicas: view.replicas, primary: view.primary }, 'redis role');
      if (
        view.role === 'master' &&
        view.replicas === 0 &&
        config.redis.waitReplicas === 'auto' &&
        topology !== 'standalone'
      )
        logger.warn(
          'redis primary has no replica connected: accepted notifications are not replicated until one is',
        );
    },
  });
}

/** /readyz's `redis`: where writes go and what "acknowledged" means right now. */
export function redisDetails(view: RedisView, wanted: ReplicaWait): Record<string, unknown> {
  return {
    topology: view.topology,
    role: view.role,
    primary: view.primary,
    replicas: view.replicas,
    waitReplicas: replicasToWaitFor(wanted, view.replicas),
    failovers: view.failovers,
    ...(view.lastFailoverAt ? { lastFailoverAt: new Date(view.lastFailoverAt).toISOString() } : {}),
  };
}
