import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/** Give the lease back; a no-op when it already expired or was taken over. */
export type ReleaseLease = () => Promise<void>;

/**
 * A mutual-exclusion lease in Redis that its holder renews while it works: a live holder keeps it
 * however long the work takes, and a crashed holder's lease frees itself within `ttlMs`. (A fixed
 * TTL would force a choice between blocking the key long after a crash and losing it mid-work.)
 * Returns undefined when someone else holds the key.
 */
export async function acquireLease(
  redis: Redis,
  key: string,
  ttlMs: number,
): Promise<ReleaseLease | undefined> {
  const token = randomUUID();
  const ok = await redis.set(key, token, 'PX', ttlMs, 'NX');
  if (ok !== 'OK') return undefined;
  // Renew three times per TTL so one slow round trip does not let the lease lapse.
  const timer = setInterval(
    () => {
      redis.eval(RENEW, 1, key, token, ttlMs).catch(() => {
        // Redis trouble: the lease may lapse; the holder's own Redis writes will fail the same way.
      });
    },
    Math.max(100, Math.floor(ttlMs / 3)),
  );
  timer.unref();
  return async () => {
    clearInterval(timer);
    await redis.eval(RELEASE, 1, key, token);
  };
}
