import type { Job, Queue } from 'bullmq';
import type { DeliveryJobData, NotificationJobData } from './job-types.js';

/** The queues an operator repairs: notifications (the routing stage) and deliveries (one per channel). */
export type RepairableQueue = 'notifications' | 'deliveries';
/** What sits in a queue and may need a person: failed for good, or waiting for a retry or a worker. */
export type ProblemState = 'failed' | 'delayed' | 'waiting';
export const PROBLEM_STATES: readonly ProblemState[] = ['failed', 'delayed', 'waiting'];

/** One job as an operator sees it: never its payload, which can be megabytes and holds label values. */
export interface ProblemJob {
  readonly queue: RepairableQueue;
  readonly id: string;
  readonly state: ProblemState;
  /** The configured channel (deliveries only). */
  readonly channel?: string;
  readonly groupKey: string;
  readonly alertname: string;
  readonly status: string;
  readonly alerts: number;
  /** The last error (failed jobs, and delayed ones waiting for their next attempt). */
  readonly reason?: string;
  readonly attemptsMade: number;
  readonly attempts: number;
  /** When the job was queued, and when it last failed. */
  readonly queuedAt: number;
  readonly failedAt?: number;
}

export interface ProblemPage {
  readonly jobs: readonly ProblemJob[];
  /** Jobs in this state in this queue (every channel). */
  readonly total: number;
  readonly next: number | null;
}

export type RepairAction = 'retry' | 'discard';

/** Which jobs an action is for: one job by id, or every failed job of a channel (or of the queue). */
export type RepairTarget =
  | { readonly queue: RepairableQueue; readonly id: string }
  | { readonly queue: RepairableQueue; readonly channel?: string; readonly all: true };

export interface RepairResult {
  /** Jobs retried or discarded. */
  readonly done: number;
  /** Jobs that were in another state by the time we got to them (a worker took them, a retry ran). */
  readonly skipped: number;
}

type AnyJobData = DeliveryJobData | NotificationJobData;

/** Read in pages of this many when acting on a whole channel: a failed job's data can be large. */
const SCAN_PAGE = 200;

function summary(queue: RepairableQueue, state: ProblemState, job: Job<AnyJobData>): ProblemJob {
  const p = job.data.payload;
  const channel = 'channel' in job.data ? job.data.channel : undefined;
  return {
    queue,
    id: String(job.id),
    state,
    ...(channel !== undefined ? { channel } : {}),
    groupKey: p.groupKey,
    alertname: p.commonLabels.alertname ?? p.alerts[0]?.labels.alertname ?? '',
    status: p.status,
    alerts: p.alerts.length,
    ...(job.failedReason ? { reason: job.failedReason } : {}),
    attemptsMade: job.attemptsMade,
    attempts: job.opts.attempts ?? 1,
    queuedAt: job.timestamp,
    ...(job.finishedOn ? { failedAt: job.finishedOn } : {}),
  };
}

/**
 * What an operator sees of the notifications and deliveries queues, and the repairs they make:
 * retry a failed job (its attempts start over, so a vendor that just recovered gets the full
 * backoff again) or discard it, one at a time or every failed job of a channel. A retried Slack
 * delivery updates the message already posted (the message store knows it), a PagerDuty one
 * carries the same dedup_key: retrying never pages twice.
 */
export class FailedJobs {
  constructor(
    private readonly queues: {
      readonly notifications: Queue<NotificationJobData>;
      readonly deliveries: Queue<DeliveryJobData>;
    },
  ) {}

  private queue(name: RepairableQueue): Queue<AnyJobData> {
    return this.queues[name] as Queue<AnyJobData>;
  }

  /** Jobs in each state of each queue, for the page's headline and the status page. */
  async counts(): Promise<Record<RepairableQueue, Record<ProblemState, number>>> {
    const [n, d] = await Promise.all(
      (['notifications', 'deliveries'] as const).map((q) => this.queue(q).getJobCounts(...PROBLEM_STATES)),
    );
    const pick = (c: Record<string, number> = {}): Record<ProblemState, number> => ({
      failed: c.failed ?? 0,
      delayed: c.delayed ?? 0,
      waiting: c.waiting ?? 0,
    });
    return { notifications: pick(n), deliveries: pick(d) };
  }

  /**
   * One page of a queue's jobs in one state, newest first. With `channel`, one channel's
   * deliveries: the state's jobs are read in pages until `offset + limit` of them matched, so
   * `offset` counts that channel's jobs. `total` is the state's jobs of every channel.
   */
  async list(
    queue: RepairableQueue,
    state: ProblemState,
    opts: { readonly offset: number; readonly limit: number; readonly channel?: string | undefined },
  ): Promise<ProblemPage> {
    const q = this.queue(queue);
    const total = (await q.getJobCounts(state))[state] ?? 0;
    const wanted = opts.offset + opts.limit;
    const matched: ProblemJob[] = [];
    let more: boolean;
    if (opts.channel === undefined) {
      const jobs = await q.getJobs([state], opts.offset, wanted - 1, false);
      for (const j of jobs) if (j?.data?.payload) matched.push(summary(queue, state, j as Job<AnyJobData>));
      more = wanted < total;
    } else {
      for (let start = 0; matched.length <= wanted; start += SCAN_PAGE) {
        const jobs = await q.getJobs([state], start, start + SCAN_PAGE - 1, false);
        for (const j of jobs)
          if (j?.data?.payload && 'channel' in j.data && j.data.channel === opts.channel)
            matched.push(summary(queue, state, j as Job<AnyJobData>));
        if (jobs.length < SCAN_PAGE) break;
      }
      more = matched.length > wanted;
      matched.splice(0, opts.offset);
      matched.splice(opts.limit);
    }
    return { jobs: matched, total, next: more ? wanted : null };
  }

  /** One job's summary in whichever problem state it is, or undefined. */
  async get(queue: RepairableQueue, id: string): Promise<ProblemJob | undefined> {
    const job = await this.queue(queue).getJob(id);
    if (!job?.data?.payload) return undefined;
    const state = await job.getState();
    return (PROBLEM_STATES as readonly string[]).includes(state)
      ? summary(queue, state as ProblemState, job)
      : undefined;
  }

  /**
   * Retries or discards the target. One job: a failed one is retried or removed, a delayed one is
   * run now (retry) or removed, a waiting one can only be removed. All: every failed job of the
   * channel (deliveries) or of the queue (notifications, or deliveries without a channel).
   */
  async repair(action: RepairAction, target: RepairTarget): Promise<RepairResult> {
    const q = this.queue(target.queue);
    if ('id' in target) {
      const job = await q.getJob(target.id);
      if (!job) return { done: 0, skipped: 0 };
      return (await this.act(action, job)) ? { done: 1, skipped: 0 } : { done: 0, skipped: 1 };
    }
    let done = 0;
    let skipped = 0;
    // Acting removes a job from the failed set, so the next page starts where this one did,
    // past the jobs that stayed (another channel's, or ones that could not be acted on).
    // A retried job that fails again at once is back at the front: each job is acted on once.
    let offset = 0;
    const seen = new Set<string>();
    for (;;) {
      const page = await q.getJobs(['failed'], offset, offset + SCAN_PAGE - 1, true);
      if (page.length === 0) break;
      for (const job of page) {
        const channel = job && 'channel' in job.data ? job.data.channel : undefined;
        if (
          !job ||
          seen.has(String(job.id)) ||
          (target.channel !== undefined && channel !== target.channel)
        ) {
          offset++;
          continue;
        }
        seen.add(String(job.id));
        if (await this.act(action, job)) done++;
        else {
          skipped++;
          offset++;
        }
      }
    }
    return { done, skipped };
  }

  /** False when the job is not (or no longer) in a state this action applies to. */
  private async act(action: RepairAction, job: Job<AnyJobData>): Promise<boolean> {
    const state = await job.getState();
    try {
      if (action === 'discard') {
        if (!(PROBLEM_STATES as readonly string[]).includes(state)) return false;
        await job.remove();
      } else if (state === 'failed') {
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      } else if (state === 'delayed') {
        await job.promote();
      } else return false;
      return true;
    } catch {
      // A worker locked it or it moved on between getState and the call: nothing was changed.
      return false;
    }
  }
}
