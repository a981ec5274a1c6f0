import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { WebhookPayload } from '../alert/webhook-payload.js';
import { DeadlineError } from '../lib/deadline-error.js';
import { beforeDeadline } from '../lib/with-deadline.js';
import type { NotificationJobData } from './job-types.js';
import { notificationKey } from '../alert/notification-key.js';
import { QueueUnavailableError } from '../lib/queue-unavailable-error.js';
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
 * window, the same content is a reminder and is delivered again.
 *
 * Which call was the no-op: a deduplicated add returns the id of the job already there
 * (https://docs.bullmq.io/guide/jobs/deduplication). Each add proposes a fresh id of its own, so
 * the answer is exact under concurrency (the add is one Lua script); the `deduplicated` event would
 * arrive later, on another connection, and could not be matched to the request.
 */
export function createNotificationProducer(
  queue: Queue<NotificationJobData>,
  opts: { dedupWindowMs: number; timeoutMs: number },
): NotificationProducer {
  return {
    async enqueue(payload, requestId) {
      const key = notificationKey(payload);
      const data: NotificationJobData = { key, receivedAt: Date.now(), requestId, payload };
      const jobId = randomUUID();
      let job;
      try {
        job = await beforeDeadline(
          opts.timeoutMs,
          'queue write',
          queue.add('notification', data, { jobId, deduplication: { id: key, ttl: opts.dedupWindowMs } }),
        );
      } catch (err) {
        // A RangeError is the data, not Redis (BullMQ's JSON.stringify overflowing the stack, or a
        // string too long): a retry would fail the same way, so the sender must not retry.
        if (err instanceof RangeError)
          throw new UnstorableNotificationError(`notification cannot be stored: ${err.message}`, {
            cause: err,
          });
        const message =
          err instanceof DeadlineError
            ? 'Redis did not confirm the write in time; retry'
            : 'Redis is unavailable; retry';
        throw new QueueUnavailableError(message, { cause: err });
      }
      return { key, duplicate: job.id !== jobId };
    },
  };
}
