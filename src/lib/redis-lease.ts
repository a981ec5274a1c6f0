import { randomUUID } from 'node:crypto';
import type { RedisClient } from './redis-client.js';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

export interface Lease {
  /** Aborts when a renewal fails or finds the key no longer ours: stop before the next side effect. */
  readonly signal: AbortSignal;
  /** Give the lease back; a no-op when it already lapsed or was taken over. */
  release(): Promise<void>;
}

/**
 * A mutual-exclusion lease in Redis that its holder renews while it works, so a crashed holder's
 * lease frees itself within `ttlMs` while a live one keeps it for as long as renewals get through.
 * (A fixed TTL would force a choice between blocking the key long after a crash and losing it
 * mid-work.) Renewals can still fail (Redis blip, event loop stalled past the TTL): then `signal`
 * aborts, because someone else may hold the key by now.
 * Returns undefined when someone else holds the key.
 */
export async function acquireLease(
  redis: RedisClient,
  key: string,
  ttlMs: number,
): Promise<Lease | undefined> {
  const token = randomUUID();
  const ok = await redis.set(key, token, 'PX', ttlMs, 'NX');
  if (ok !== 'OK') return undefined;
  const lost = new AbortController();
  const lose = (why: string): void => {
    clearInterval(timer);
    lost.abort(new Error(`lease ${key} lost: ${why}`));
  };
  // Renew three times per TTL so one slow round trip does not let the lease lapse.
  const timer = setInterval(
    () => {
      redis.eval(RENEW, 1, key, token, ttlMs).then(
        (held) => {
          if (held !== 1 && !lost.signal.aborted) lose('taken over or expired');
        },
        (err: unknown) => lose(`renewal failed: ${(err as Error).message}`),
      );
    },
    Math.max(100, Math.floor(ttlMs / 3)),
  );
  timer.unref();
  return {
    signal: lost.signal,
    async release() {
      clearInterval(timer);
      await redis.eval(RELEASE, 1, key, token);
    },
  };
}
