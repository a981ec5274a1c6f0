import type { Queue } from 'bullmq';
import type { RedisClient } from '../lib/redis-client.js';
import type { WebhookPayload } from '../alert/webhook-payload.js';
import type { NotificationContext } from '../alert/notification-context.js';
import type { DeliveryPolicy } from './delivery-policy.js';
import { deliveryJobOptions } from './job-options.js';
import type { DeliveryJobData } from './job-types.js';
import { markLatest } from './latest-notification.js';

/**
 * One delivery job per channel for a notification, in one round trip. Every producer of deliveries
 * (routed notifications, the dead man's switch) goes through here, so they share job options and
 * the rule that a job id names the delivery: adding the same id again is a no-op, which is what
 * makes a retried fan-out safe. Each channel first learns that this notification is the group's
 * newest, so a late delivery of an older one is skipped instead of posted (latest-notification.ts).
 * @example await enqueueDeliveries(queue, redis, policy, { key, receivedAt, payload }, ['slack'], (c) => `${jobId}-${c}`)
 */
export async function enqueueDeliveries(
  queue: Queue<DeliveryJobData>,
  /** Shared state, where the group's newest notification per channel is recorded. */
  redis: RedisClient,
  policy: DeliveryPolicy,
  n: { key: string; receivedAt: number; payload: WebhookPayload; context?: NotificationContext },
  channels: readonly string[],
  jobIdFor: (channel: string) => string,
): Promise<void> {
  await markLatest(redis, queue.opts.prefix ?? 'bull', n, channels);
  await queue.addBulk(
    channels.map((channel) => ({
      name: channel,
      data: {
        key: n.key,
        receivedAt: n.receivedAt,
        channel,
        payload: n.payload,
        ...(n.context ? { context: n.context } : {}),
      },
      opts: { ...deliveryJobOptions(policy), jobId: jobIdFor(channel) },
    })),
  );
}
