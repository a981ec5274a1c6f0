import { DelayedError, Queue, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq';
import type { RedisClient } from '../lib/redis-client.js';
import type { Logger } from 'pino';
import type { Channel } from '../channels/channel.js';
import { DeliveryError } from '../channels/delivery-error.js';
import { SlackChannel } from '../channels/slack/slack-channel.js';
import type { StormScheduler } from '../channels/slack/storm-digest.js';
import { CAPPED_BACKOFF, cappedBackoff } from './capped-backoff.js';

export const QUEUE_STORM_DIGESTS = 'slack-digests';

/** One digest job: bring a storm's digest up to date, or end the storm if it has gone quiet. */
export interface StormDigestJobData {
  readonly kind: 'refresh' | 'end';
  /** The configured Slack channel's name. */
  readonly channel: string;
  readonly storm: string;
}

const JOB_OPTIONS: JobsOptions = {
  // About 15 minutes of retries (capped-backoff.ts); every later change schedules a fresh one.
  attempts: 20,
  backoff: { type: CAPPED_BACKOFF },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600, count: 1000 },
};

/**
 * Digest refreshes are delayed jobs keyed by time slot: every change to a storm within one
 * digest interval asks for the same job id, so BullMQ keeps one job and the digest gets one
 * update per interval however many groups join (chat.update is rate-limited per workspace).
 */
export function stormScheduler(queue: Queue<StormDigestJobData>): StormScheduler {
  return {
    async refresh(channel, storm, intervalMs) {
      const now = Date.now();
      const slot = Math.floor(now / intervalMs) + 1;
      await queue.add(
        'refresh',
        { kind: 'refresh', channel, storm },
        { ...JOB_OPTIONS, jobId: `refresh-${storm}-${slot}`, delay: slot * intervalMs - now },
      );
    },
    async endCheck(channel, storm, atMs) {
      // One check per second of joins at most; each later one supersedes the earlier.
      const slot = Math.ceil(atMs / 1000);
      await queue.add(
        'end',
        { kind: 'end', channel, storm },
        { ...JOB_OPTIONS, jobId: `end-${storm}-${slot}`, delay: Math.max(0, slot * 1000 - Date.now()) },
      );
    },
  };
}

export interface StormDigestWorkerDeps {
  readonly connection: RedisClient;
  readonly prefix: string;
  readonly channels: ReadonlyMap<string, Channel>;
  readonly lockMs: number;
  readonly logger: Logger;
}

/** Runs the digest jobs: Slack's 429 and a digest updated moments ago wait as told. */
export function startStormDigestWorker(deps: StormDigestWorkerDeps): Worker<StormDigestJobData> {
  const { logger } = deps;
  const process = async (
    job: Job<StormDigestJobData>,
    token?: string,
    signal?: AbortSignal,
  ): Promise<string> => {
    const channel = deps.channels.get(job.data.channel);
    if (!(channel instanceof SlackChannel))
      throw new UnrecoverableError(`"${job.data.channel}" is no longer a configured Slack channel`);
    const abort = signal ?? new AbortController().signal;
    try {
      if (job.data.kind === 'end') {
        const ended = await channel.endStormIfQuiet(job.data.storm, abort);
        if (ended) logger.info({ channel: job.data.channel, storm: job.data.storm }, 'storm over');
        return ended ? 'ended' : 'still going';
      }
      return await channel.refreshDigest(job.data.storm, abort);
    } catch (err) {
      if (err instanceof DeliveryError && err.retryable && err.retryAfterMs !== undefined) {
        await job.moveToDelayed(Date.now() + err.retryAfterMs, token);
        throw new DelayedError();
      }
      const reason = (err as Error).message;
      logger.warn(
        { channel: job.data.channel, storm: job.data.storm, kind: job.data.kind, reason },
        'storm digest',
      );
      if (err instanceof DeliveryError && !err.retryable) throw new UnrecoverableError(reason);
      throw err;
    }
  };
  return new Worker<StormDigestJobData>(QUEUE_STORM_DIGESTS, process, {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: 5,
    lockDuration: deps.lockMs,
    stalledInterval: deps.lockMs,
    maxStalledCount: 2,
    settings: { backoffStrategy: cappedBackoff },
  });
}
