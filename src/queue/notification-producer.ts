import type { Queue } from 'bullmq';
import type { WebhookPayload } from '../alert/webhook-payload.js';
import { addOnce } from '../lib/add-once.js';
import type { NotificationJobData } from './job-types.js';
import { notificationKey } from '../alert/notification-key.js';
import type { ReplicationGate } from './replica-wait.js';
import { UnstorableNotificationError } from './unstorable-notification-error.js';

export interface Enqueued {
  /** The notification's content key (`notificationKey`). */
  readonly key: string;
  /** True when Redis already had this content within the dedup window: nothing was added. */
  readonly duplicate: boolean;
}

export interface NotificationProducer {
  /** Resolves once Redis has the job (or already had it within the dedup window). */
  enqueue(payload: WebhookPayload, requestId: string): Promise<Enqueued>;
}

/**
 * Adds one `notifications` job per distinct notification. BullMQ's deduplication (a Redis key with a
 * TTL, set atomically with the add) makes HA peers and retries within the window a no-op; after the
 * window, the same content is a reminder and is delivered again (addOnce says which call was the
 * no-op). With a replication gate, it resolves only once replicas hold the job too.
 */
export function createNotificationProducer(
  queue: Queue<NotificationJobData>,
  opts: { dedupWindowMs: number; timeoutMs: number; replication?: ReplicationGate },
): NotificationProducer {
  return {
    async enqueue(payload, requestId) {
      // One budget for the write and its replication: Alertmanager's timeout does not grow.
      const deadline = Date.now() + opts.timeoutMs;
      const key = notificationKey(payload);
      const data: NotificationJobData = { key, receivedAt: Date.now(), requestId, payload };
      try {
        const { duplicate } = await addOnce(queue, 'notification', data, {
          dedupId: key,
          ttlMs: opts.dedupWindowMs,
          timeoutMs: opts.timeoutMs,
        });
        await opts.replication?.confirm(Math.max(1, deadline - Date.now()));
        return { key, duplicate };
      } catch (err) {
        // A RangeError is the data, not Redis (BullMQ's JSON.stringify overflowing the stack, or a
        // string too long): a retry would fail the same way, so the sender must not retry.
        if (err instanceof RangeError)
          throw new UnstorableNotificationError(`notification cannot be stored: ${err.message}`, {
            cause: err,
          });
        throw err;
      }
    },
  };
}
