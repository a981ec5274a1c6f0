import { Cluster, Redis, type RedisOptions } from 'ioredis';

import type { RedisClient, RedisSettings } from '../lib/redis-client.js';

type Purpose = 'producer' | 'worker';

/**
 * Producers fail fast when Redis is down (so the webhook can answer 503 instead of hanging);
 * workers wait forever for Redis to come back (BullMQ requires maxRetriesPerRequest: null).
 */
const PURPOSE: Record<Purpose, RedisOptions> = {
  producer: { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 },
  worker: { maxRetriesPerRequest: null, enableReadyCheck: true },
};

/**
 * One connection to the configured topology. Sentinel: ioredis asks the Sentinels for the primary
 * and, with `failoverDetector`, listens for their `+switch-master` so it moves to the new primary as
 * soon as they promote one, not when the old socket finally errors. Cluster: ioredis follows
 * MOVED/ASK redirections and slot changes by itself.
 */
function connect(settings: RedisSettings, purpose: Purpose): RedisClient {
  const { topology, username, password } = settings;
  const auth = { ...(username ? { username } : {}), ...(password ? { password } : {}) };
  switch (topology.kind) {
    case 'standalone':
      return new Redis(topology.url, { ...PURPOSE[purpose], ...auth });
    case 'sentinel':
      return new Redis({
        ...PURPOSE[purpose],
        ...auth,
        sentinels: topology.sentinels.map((s) => ({ ...s })),
        name: topology.name,
        ...(settings.sentinelPassword ? { sentinelPassword: settings.sentinelPassword } : {}),
        failoverDetector: true,
      });
    case 'cluster': {
      const { enableOfflineQueue, ...perNode } = PURPOSE[purpose];
      return new Cluster(
        topology.nodes.map((n) => ({ ...n })),
        {
          ...(enableOfflineQueue === false ? { enableOfflineQueue } : {}),
          redisOptions: { ...perNode, ...auth },
        },
      );
    }
  }
}

export function producerConnection(settings: RedisSettings): RedisClient {
  return connect(settings, 'producer');
}

export function workerConnection(settings: RedisSettings): RedisClient {
  return connect(settings, 'worker');
}

/**
 * Waits (at most `timeoutMs`) for a connection to be ready. The producer refuses commands until
 * then, so the service waits for it before serving; with Redis down it starts anyway and answers
 * 503 until Redis is back.
 */
export async function waitUntilReady(redis: RedisClient, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
