import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { RedisClient } from '../lib/redis-client.js';
import type { Logger } from 'pino';
import { AlertmanagerError } from '../alertmanager/alertmanager-error.js';
import { DeliveryError } from '../channels/delivery-error.js';
import type { Metrics } from '../metrics/metrics.js';
import { QUEUE_ACTIONS, type ActionJobData } from './action-job.js';
import { carryOutClick, type ClickDeps, type ClickResult } from './carry-out-click.js';
import { tellUser } from './response-url.js';

export interface ActionWorkerDeps extends ClickDeps {
  readonly connection: RedisClient;
  /** For the response_urls (kept apart from job data). */
  readonly redis: RedisClient;
  readonly prefix: string;
  readonly metrics: Metrics;
  readonly logger: Logger;
}

/**
 * Carries out Slack clicks (acknowledge, silence, unsilence) with retries, off Slack's 3-second
 * request. What went wrong decides the job's fate, as for deliveries: wait as told, back off, or
 * stop; when it stops for good, the user who clicked is told, privately.
 */
export function startActionWorker(deps: ActionWorkerDeps): Worker<ActionJobData> {
  const { metrics, logger } = deps;
  const tell = (job: Job<ActionJobData>, text: string): Promise<void> =>
    tellUser(deps.redis, deps.prefix, job.data.clickId, text, logger);
  const process = async (
    job: Job<ActionJobData>,
    token?: string,
    signal?: AbortSignal,
  ): Promise<ClickResult> => {
    const log = { jobId: job.id, clickId: job.data.clickId, action: job.data.kind, user: job.data.user.id };
    try {
      const result = await carryOutClick(job.data, deps, {
        // A stalled attempt counts too: it may have created the silence before it died.
        firstTry: job.attemptsMade === 0 && job.attemptsStarted <= 1,
        signal: signal ?? new AbortController().signal,
      });
      metrics.slackActions.inc({ action: job.data.kind, outcome: result.outcome });
      logger.info({ ...log, outcome: result.outcome, detail: result.detail }, 'slack action');
      if (result.notice) await tell(job, result.notice);
      return result;
    } catch (err) {
      const retryable =
        err instanceof DeliveryError || err instanceof AlertmanagerError ? err.retryable : true;
      const retryAfterMs = err instanceof DeliveryError ? err.retryAfterMs : undefined;
      const reason = (err as Error).message;
      if (retryable && retryAfterMs !== undefined) {
        // A busy group or Slack's rate: waiting as told is not a failed attempt.
        await job.moveToDelayed(Date.now() + retryAfterMs, token);
        throw new DelayedError();
      }
      const last = !retryable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (!last) {
        metrics.slackActions.inc({ action: job.data.kind, outcome: 'retried' });
        logger.warn({ ...log, reason, attempt: job.attemptsMade + 1 }, 'slack action will be retried');
        throw err;
      }
      metrics.slackActions.inc({ action: job.data.kind, outcome: 'failed' });
      logger.error({ ...log, reason }, 'slack action failed');
      await tell(
        job,
        `:warning: Could not ${job.data.kind} this alert group: ${reason.slice(0, 300)}. Try again in a minute${job.data.kind === 'acknowledge' ? '' : ', or use Alertmanager directly'}.`,
      );
      throw new UnrecoverableError(reason);
    }
  };
  return new Worker<ActionJobData>(QUEUE_ACTIONS, process, {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: 10,
    maxStalledCount: 2,
  });
}
