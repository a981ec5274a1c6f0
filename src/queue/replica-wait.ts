import type { Redis } from 'ioredis';
import type { ReplicaWait } from '../lib/redis-client.js';
import { QueueUnavailableError } from '../lib/queue-unavailable-error.js';
import { beforeDeadline } from '../lib/with-deadline.js';
import type { RedisWatch } from './redis-watch.js';

export interface ReplicationGate {
  /**
   * Resolves once enough replicas hold every write this process made so far on the producer's
   * connection, or throws a QueueUnavailableError at `timeoutMs` (the sender retries; the dedup
   * window makes the retry a no-op that waits again).
   */
  confirm(timeoutMs: number): Promise<void>;
}

/**
 * How many replicas a write waits for now. auto: one whenever the primary has one connected. A
 * primary left alone (its replica lost, or after a failover until the old primary rejoins) is
 * accepted as it is: nothing to wait for, and refusing every page until a replica returns would be
 * worse.
 */
export function replicasToWaitFor(wanted: ReplicaWait, connected: number): number {
  return wanted === 'auto' ? Math.min(1, connected) : wanted;
}

/**
 * Acknowledged means replicated. Redis replication is asynchronous: a primary that dies right after
 * answering a write can lose it in the failover. `WAIT n ms` blocks until `n` replicas have every
 * write of this connection so far (https://redis.io/docs/latest/commands/wait/), so the webhook
 * answers 2xx only for notifications a promoted replica would still have.
 *
 * A WAIT counts this connection's writes, and a connection runs one command at a time, so a WAIT
 * blocks the writes queued behind it. Concurrent requests therefore share WAITs: one sent after a
 * caller's write covers it, and callers arriving while one is in flight share the next. A retried
 * notification that BullMQ deduplicates still writes (its `deduplicated` event, bullmq's
 * src/commands/includes/deduplicateJob.lua), so its WAIT also covers the first attempt's write,
 * which came earlier in the primary's replication stream.
 */
export function replicationGate(
  watch: RedisWatch,
  wanted: ReplicaWait,
  observe: (seconds: number, outcome: 'confirmed' | 'short') => void,
): ReplicationGate {
  let inFlight: Promise<number> | undefined;
  let next: Promise<number> | undefined;
  const send = (node: Redis, n: number, timeoutMs: number): Promise<number> => {
    // Redis answers a little before our deadline, so a shortfall is reported with its count (WAIT's
    // timeout 0 would block forever).
    const serverMs = Math.max(1, Math.floor(timeoutMs > 200 ? timeoutMs - 100 : timeoutMs / 2));
    const wait = node.call('WAIT', n, serverMs) as Promise<number>;
    inFlight = wait;
    const done = (): void => {
      if (inFlight === wait) inFlight = undefined;
    };
    void wait.then(done, done);
    return wait;
  };
  const shared = (node: Redis, n: number, timeoutMs: number): Promise<number> => {
    if (!inFlight) return send(node, n, timeoutMs);
    next ??= inFlight
      .catch(() => 0)
      .then(() => {
        next = undefined;
        return send(node, n, timeoutMs);
      });
    return next;
  };
  return {
    async confirm(timeoutMs) {
      const n = replicasToWaitFor(wanted, watch.view().replicas);
      if (n === 0) return;
      const started = performance.now();
      const node = watch.primaryNode();
      let acked = 0;
      try {
        if (node) acked = await beforeDeadline(timeoutMs, 'replica confirmation', shared(node, n, timeoutMs));
      } catch {
        acked = 0;
      }
      const seconds = (performance.now() - started) / 1000;
      if (acked >= n) {
        observe(seconds, 'confirmed');
        return;
      }
      observe(seconds, 'short');
      throw new QueueUnavailableError(
        `Redis replicas did not confirm the write in time (${acked} of ${n}); retry`,
      );
    },
  };
}
