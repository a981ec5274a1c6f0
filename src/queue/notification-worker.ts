import { Worker, type Job, type Queue } from 'bullmq';
import type { RedisClient } from '../lib/redis-client.js';
import type { Logger } from 'pino';
import type { NotificationContext } from '../alert/notification-context.js';
import { dropStaleFiring } from './episode-filter.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Router } from '../routing/route-notification.js';
import type { WebhookPayload } from '../alert/webhook-payload.js';
import { QUEUE_NOTIFICATIONS, type DeliveryJobData, type NotificationJobData } from './job-types.js';
import { cappedBackoff } from './capped-backoff.js';
import type { DeliveryPolicy } from './delivery-policy.js';
import { enqueueDeliveries } from './enqueue-deliveries.js';

export interface NotificationWorkerDeps {
  readonly prefix: string;
  readonly policy: DeliveryPolicy;
  readonly connection: RedisClient;
  readonly redis: RedisClient;
  readonly deliveries: Queue<DeliveryJobData>;
  readonly router: Router;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Live context; never on the ingest path, bounded by its own budget. */
  readonly enrich?: (payload: WebhookPayload) => Promise<NotificationContext>;
}

/**
 * Stage two of the pipeline: drop stale firings, route, enrich once, then fan out one delivery job
 * per channel. Delivery job ids are derived from the notification job, so a retry of this stage
 * after a crash cannot create a second delivery.
 */
export function startNotificationWorker(deps: NotificationWorkerDeps): Worker<NotificationJobData> {
  const { prefix, policy, metrics, logger } = deps;
  const process = async (job: Job<NotificationJobData>): Promise<{ channels: string[]; stale: number }> => {
    const { key, receivedAt, payload: original } = job.data;
    const { payload, dropped } = await dropStaleFiring(deps.redis, prefix, original);
    if (dropped > 0) metrics.notificationsStale.inc(dropped);
    if (!payload) {
      logger.info(
        { key, groupKey: original.groupKey },
        'late copy of an episode (firing after its resolution, or an old resolution) ignored',
      );
      return { channels: [], stale: dropped };
    }
    const channels = deps.router.route(payload.receiver, payload.commonLabels);
    const context = deps.enrich ? await deps.enrich(payload) : undefined;
    await enqueueDeliveries(
      deps.deliveries,
      deps.redis,
      policy,
      { key, receivedAt, payload, ...(context ? { context } : {}) },
      channels,
      (channel) => `${job.id}-${channel}`,
    );
    logger.info(
      { key, requestId: job.data.requestId, channels, alerts: payload.alerts.length },
      'notification routed',
    );
    return { channels, stale: dropped };
  };
  const worker = new Worker<NotificationJobData>(QUEUE_NOTIFICATIONS, process, {
    connection: deps.connection,
    prefix,
    concurrency: 10,
    lockDuration: policy.lockMs,
    stalledInterval: policy.lockMs,
    // A job that stalls again is retried once more before it is failed (kept, visible), so a
    // crash-looping job cannot take workers down forever.
    maxStalledCount: 2,
    settings: { backoffStrategy: cappedBackoff },
  });
  // Series exist from the start, so the first failure is an increase Prometheus can see.
  for (const outcome of ['retried', 'failed']) metrics.notificationFailures.inc({ outcome }, 0);
  // A notification that fails here never reaches any channel: say so every time, with the reason.
  // (A job failed for stalling too often is failed inside BullMQ without this event; the failed-set
  // gauge, alert_router_queue_jobs, still shows it, and the alert rule watches both.)
  worker.on('failed', (job, err) => {
    // finishedOn is set only when the job failed for good (no retry left, or unrecoverable).
    const last = !job || Boolean(job.finishedOn);
    metrics.notificationFailures.inc({ outcome: last ? 'failed' : 'retried' });
    logger.error(
      {
        jobId: job?.id,
        key: job?.data.key,
        groupKey: job?.data.payload?.groupKey,
        attempt: job?.attemptsMade,
        reason: err.message,
      },
      last ? 'notification failed after all attempts: not delivered' : 'notification failed; will retry',
    );
  });
  return worker;
}
