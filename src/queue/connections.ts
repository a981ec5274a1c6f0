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
