import type { Queue } from 'bullmq';
import type { RedisClient } from '../lib/redis-client.js';
import { addOnce } from '../lib/add-once.js';
import { QueueUnavailableError } from '../lib/queue-unavailable-error.js';
import { beforeDeadline } from '../lib/with-deadline.js';
import type { ActionJobData } from './action-job.js';
import { responseUrlKey } from './response-url.js';

export interface ClickQueue {
  /** Resolves once Redis has the click (or already had it: a retry by Slack, `duplicate`). */
  enqueue(job: ActionJobData, responseUrl: string | undefined): Promise<{ duplicate: boolean }>;
}

/** How long Slack lets a response_url be used (https://api.slack.com/interactivity/handling#message_responses). */
const RESPONSE_URL_SECONDS = 30 * 60;
/** The same click arriving again within the hour (resent by a proxy, a client, a replay) is queued once. */
const DEDUP_MS = 3600 * 1000;

/**
 * Queues clicks for the action worker, bounded by `timeoutMs` so Slack's 3-second window holds
 * whatever Redis does. The response_url goes to a key of its own with Slack's 30-minute life, so
 * job data (shown by queue tools) holds no capability to post.
 */
export function createClickQueue(
  queue: Queue<ActionJobData>,
  redis: RedisClient,
  prefix: string,
  opts: { timeoutMs: number },
): ClickQueue {
  return {
    async enqueue(job, responseUrl) {
      // One budget for both writes: Slack's 3 seconds do not grow with the number of steps.
      const deadline = Date.now() + opts.timeoutMs;
      if (responseUrl) {
        try {
          await beforeDeadline(
            opts.timeoutMs,
            'response_url write',
            redis.set(responseUrlKey(prefix, job.clickId), responseUrl, 'EX', RESPONSE_URL_SECONDS, 'NX'),
          );
        } catch (err) {
          throw new QueueUnavailableError('Redis is unavailable; retry', { cause: err });
        }
      }
      return addOnce(queue, job.kind, job, {
        dedupId: job.clickId,
        ttlMs: DEDUP_MS,
        timeoutMs: Math.max(1, deadline - Date.now()),
      });
    },
  };
}
