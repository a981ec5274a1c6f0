import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { RedisClient } from '../lib/redis-client.js';
import type { Logger } from 'pino';
import type { Channel } from '../channels/channel.js';
import { DeliveryError } from '../channels/delivery-error.js';
import type { DigestWindow, ScheduleDigest } from '../channels/email/digest-window.js';
import { EmailChannel, type DigestReceipt } from '../channels/email/email-channel.js';
import type { Metrics } from '../metrics/metrics.js';
import type { DeliveryPolicy } from './delivery-policy.js';
import { deliveryJobOptions } from './job-options.js';

export const QUEUE_EMAIL_DIGESTS = 'email-digests';

/** Data of one `email-digests` job: send this window's digest of this channel. No secrets. */
export type EmailDigestJobData = DigestWindow;

export interface EmailDigests {
  /** For the email channels (createChannelRegistry's scheduleEmailDigest). */
  readonly schedule: ScheduleDigest;
  /** Starts the worker that sends each window's digest when it is due. */
  start(channels: ReadonlyMap<string, Channel>, connection: RedisClient): Worker<EmailDigestJobData>;
  close(): Promise<void>;
}

/**
 * One delayed job per (channel, window), due at the window's end. Its id names the window, so the
 * many deliveries batched into it, their retries and every replica add it once. Sending is tried as
 * hard as a delivery (`delivery:` attempts and backoff): the batch stays in Redis until SMTP took it.
 * @example const digests = createEmailDigests({ connection, prefix, policy, metrics, logger })
 */
export function createEmailDigests(deps: {
  readonly connection: RedisClient;
  readonly prefix: string;
  readonly policy: DeliveryPolicy;
  readonly metrics: Metrics;
  readonly logger: Logger;
}): EmailDigests {
  const { prefix, policy, metrics, logger } = deps;
  const queue = new Queue<EmailDigestJobData>(QUEUE_EMAIL_DIGESTS, { connection: deps.connection, prefix });
  queue.on('error', (err) => logger.warn({ err: err.message }, 'email digest queue error'));
  let worker: Worker<EmailDigestJobData> | undefined;
  const send = async (
    job: Job<EmailDigestJobData>,
    channels: ReadonlyMap<string, Channel>,
    signal?: AbortSignal,
  ) => {
    const channel = channels.get(job.data.channel);
    if (!(channel instanceof EmailChannel))
      throw new UnrecoverableError(`channel "${job.data.channel}" is no longer an email channel`);
    const log = { jobId: job.id, channel: job.data.channel, windowEnd: job.data.windowEnd };
    try {
      const receipt: DigestReceipt = await channel.sendDigest(
        job.data,
        signal ?? new AbortController().signal,
      );
      if (receipt.sent) metrics.emailDigestsSent.inc({ channel: job.data.channel });
      logger.info(
        { ...log, ...receipt },
        receipt.sent ? 'email digest sent' : 'email digest empty: nothing sent',
      );
      return receipt;
    } catch (err) {
      const e =
        err instanceof DeliveryError
          ? err
          : new DeliveryError((err as Error).message, { retryable: true, cause: err });
      const last = !e.retryable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      // The batch is still in Redis either way; a job failed for good is kept in the failed set.
      (last ? logger.error : logger.warn).call(
        logger,
        { ...log, attempt: job.attemptsMade + 1, reason: e.message },
        last ? 'email digest not sent; its batch is kept' : 'email digest will be retried',
      );
      if (!e.retryable) throw new UnrecoverableError(e.message);
      throw e;
    }
  };
  return {
    async schedule(w, notification) {
      await queue.add('digest', w, {
        ...deliveryJobOptions(policy),
        jobId: `${w.channel}-${w.windowEnd}`,
        delay: Math.max(0, w.windowEnd - Date.now()),
      });
      if (notification === 'added') metrics.emailDigestNotifications.inc({ channel: w.channel });
    },
    start(channels, connection) {
      worker = new Worker<EmailDigestJobData>(
        QUEUE_EMAIL_DIGESTS,
        (job, _token, signal) => send(job, channels, signal),
        {
          connection,
          prefix,
          concurrency: 5,
          lockDuration: policy.lockMs,
          stalledInterval: policy.lockMs,
          maxStalledCount: 2,
        },
      );
      return worker;
    },
    async close() {
      await worker?.close();
      await queue.close();
    },
  };
}
