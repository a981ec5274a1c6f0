import { Cluster, type Redis } from 'ioredis';
import type { RedisClient } from '../src/lib/redis-client.js';

// Glob characters in a prefix would match other prefixes' keys on the shared Redis.
const globEscaped = (s: string): string => s.replace(/[*?[\]\\]/g, '\\$&');

async function scanOne(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

/**
 * Every key under `prefix:`, found with SCAN (never KEYS, which blocks a shared Redis). On a
 * cluster SCAN sees one node's keys, so every primary is scanned.
 * @example const keys = await keysUnder(redis, 'test-1a2b3c4d')
 */
export async function keysUnder(redis: RedisClient, prefix: string): Promise<string[]> {
  const pattern = `${globEscaped(prefix)}:*`;
  if (!(redis instanceof Cluster)) return scanOne(redis, pattern);
  const perNode = await Promise.all(redis.nodes('master').map((node) => scanOne(node, pattern)));
  return perNode.flat();
}

/**
 * Deletes every key under `prefix:` (a test's or a benchmark's own QUEUE_PREFIX). Refuses the
 * empty prefix and the service's default, which would be someone's real data. One DEL per key on
 * a cluster, where a DEL of several keys must stay in one slot.
 * @example await deletePrefix(redis, 'bench-1a2b3c4d')
 */
export async function deletePrefix(redis: RedisClient, prefix: string): Promise<void> {
  if (prefix === '' || prefix === 'alert-router' || prefix === '{alert-router}')
    throw new Error(`refusing to delete prefix "${prefix}"`);
  const keys = await keysUnder(redis, prefix);
  if (redis instanceof Cluster) {
    await Promise.all(keys.map((k) => redis.del(k)));
    return;
  }
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
}
