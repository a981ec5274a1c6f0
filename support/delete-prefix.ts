import type { Redis } from 'ioredis';

/**
 * Deletes every key under `prefix:` (a test's or a benchmark's own QUEUE_PREFIX).
 * @example await deletePrefix(redis, 'bench-1a2b3c4d')
 */
export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}
