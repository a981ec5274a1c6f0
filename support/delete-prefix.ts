import type { Redis } from 'ioredis';

// Glob characters in a prefix would match other prefixes' keys on the shared Redis.
const globEscaped = (s: string): string => s.replace(/[*?[\]\\]/g, '\\$&');

/**
 * Every key under `prefix:`, found with SCAN (never KEYS, which blocks a shared Redis).
 * @example const keys = await keysUnder(redis, 'test-1a2b3c4d')
 */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${globEscaped(prefix)}:*`, 'COUNT', 500);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

/**
 * Deletes every key under `prefix:` (a test's or a benchmark's own QUEUE_PREFIX). Refuses the
 * empty prefix and the service's default, which would be someone's real data.
 * @example await deletePrefix(redis, 'bench-1a2b3c4d')
 */
export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  if (prefix === '' || prefix === 'alert-router') throw new Error(`refusing to delete prefix "${prefix}"`);
  const keys = await keysUnder(redis, prefix);
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
}
