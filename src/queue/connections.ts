import { Redis } from 'ioredis';

/**
 * Producers fail fast when Redis is down (so the webhook can answer 503 instead of hanging);
 * workers wait forever for Redis to come back (BullMQ requires maxRetriesPerRequest: null).
 */
export function producerConnection(url: string): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    lazyConnect: false,
  });
}

export function workerConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

/**
 * Waits (at most `timeoutMs`) for a connection to be ready. The producer refuses commands until
 * then, so the service waits for it before serving; with Redis down it starts anyway and answers
 * 503 until Redis is back.
 */
export async function waitUntilReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
