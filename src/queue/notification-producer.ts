import type { Queue } from 'bullmq';
import type { WebhookPayload } from '../alertmanager/webhook-payload.js';
import { HttpError } from '../http/http-error.js';
import type { NotificationJobData } from './job-types.js';
import { notificationKey } from './notification-key.js';

export interface NotificationProducer {
  /** Resolves once Redis has the job (or already had it within the dedup window). */
  enqueue(payload: WebhookPayload, requestId: string): Promise<{ key: string }>;
}

/**
 * Adds one `notifications` job per distinct notification. BullMQ's deduplication (a Redis key with a
 * TTL, set atomically with the add) makes HA peers and retries within the window a no-op; after the
 * window, the same content is a reminder and is delivered again.
 */
export function createNotificationProducer(
  queue: Queue<NotificationJobData>,
  opts: { dedupWindowMs: number; timeoutMs: number },
): NotificationProducer {
  return {
    async enqueue(payload, requestId) {
      const key = notificationKey(payload);
      const data: NotificationJobData = { key, receivedAt: Date.now(), requestId, payload };
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(new HttpError(503, 'queue_unavailable', 'Redis did not confirm the write in time; retry')),
          opts.timeoutMs,
        );
      });
      try {
        await Promise.race([
          queue.add('notification', data, { deduplication: { id: key, ttl: opts.dedupWindowMs } }),
          timeout,
        ]);
      } catch (err) {
        if (err instanceof HttpError) throw err;
        throw new HttpError(503, 'queue_unavailable', 'Redis is unavailable; retry', undefined, {
          cause: err,
        });
      } finally {
        clearTimeout(timer);
      }
      return { key };
    },
  };
}
