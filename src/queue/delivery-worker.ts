import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { RedisClient } from '../lib/redis-client.js';
import type { Logger } from 'pino';
import type { Channel, DeliveryReceipt } from '../channels/channel.js';
import { DeliveryError } from '../channels/delivery-error.js';
import type { Metrics } from '../metrics/metrics.js';
import { QUEUE_DELIVERIES, type DeliveryJobData } from './job-types.js';
import { isSuperseded } from './latest-notification.js';

export interface DeliveryWorkerDeps {
  readonly connection: RedisClient;
  /** Shared state (which notification of a group is newest). */
  readonly redis: RedisClient;
  readonly prefix: string;
  readonly channels: ReadonlyMap<string, Channel>;
  readonly concurrency: number;
  /** Job lock length and stalled-job check interval (see `delivery.lockMs` in the config schema). */
  readonly lockMs: number;
  readonly metrics: Metrics;
  readonly logger: Logger;
}

/**
 * Stage three: one job = one notification to one channel. The adapter says what went wrong; this
 * worker decides what it means for the job: wait as told (no attempt used), back off, or fail now.
 */
export function startDeliveryWorker(deps: DeliveryWorkerDeps): Worker<DeliveryJobData> {
  const { metrics, logger } = deps;
  const process = async (
    job: Job<DeliveryJobData>,
    token?: string,
    signal?: AbortSignal,
  ): Promise<DeliveryReceipt> => {
    const channel = deps.channels.get(job.data.channel);
    if (!channel) throw new UnrecoverableError(`channel "${job.data.channel}" is no longer configured`);
    // Two Slack channels are told apart by name (bounded by the config); the type groups them.
    const series = { channel: job.data.channel, type: channel.kind };
    // Late news is never posted: a newer notification of the group already says what is true now.
    if (await isSuperseded(deps.redis, deps.prefix, job.data)) {
      metrics.deliveries.inc({ ...series, outcome: 'skipped' });
      metrics.staleDeliveriesSkipped.inc({ channel: job.data.channel });
      logger.info(
        { jobId: job.id, channel: job.data.channel, key: job.data.key },
        'delivery skipped: a newer notification of this group is on its way',
      );
      return { outcome: 'skipped', detail: 'superseded by a newer notification of this group' };
    }
    const end = metrics.deliveryDuration.startTimer(series);
    try {
      const receipt = await channel.deliver(job.data, signal ?? new AbortController().signal);
      metrics.deliveries.inc({ ...series, outcome: receipt.outcome });
      logger.info(
        { jobId: job.id, channel: job.data.channel, key: job.data.key, detail: receipt.detail },
        'delivered',
      );
      return receipt;
    } catch (err) {
      const e =
        err instanceof DeliveryError
          ? err
          : new DeliveryError((err as Error).message, { retryable: true, cause: err });
      const log = {
        jobId: job.id,
        channel: job.data.channel,
        key: job.data.key,
        attempt: job.attemptsMade + 1,
        reason: e.message,
      };
      if (e.retryable && e.retryAfterMs !== undefined) {
        metrics.deliveries.inc({ ...series, outcome: 'rate_limited' });
        logger.warn({ ...log, retryAfterMs: e.retryAfterMs }, 'delivery postponed');
        // Waiting as the vendor asked is not a failed attempt, and it blocks only this job.
        await job.moveToDelayed(Date.now() + e.retryAfterMs, token);
        throw new DelayedError();
      }
      if (!e.retryable) {
        metrics.deliveries.inc({ ...series, outcome: 'failed' });
        logger.error(log, 'delivery failed permanently');
        throw new UnrecoverableError(e.message);
      }
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      metrics.deliveries.inc({ ...series, outcome: last ? 'failed' : 'retried' });
      logger.warn(log, last ? 'delivery failed after all attempts' : 'delivery will be retried');
      throw e;
    } finally {
      end();
    }
  };
  return new Worker<DeliveryJobData>(QUEUE_DELIVERIES, process, {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: deps.concurrency,
    lockDuration: deps.lockMs,
    stalledInterval: deps.lockMs,
    // A job that stalls again is retried once more before it is failed (kept, visible), so a
    // crash-looping job cannot take workers down forever.
    maxStalledCount: 2,
  });
}
