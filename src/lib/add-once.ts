import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { DeadlineError } from './deadline-error.js';
import { QueueUnavailableError } from './queue-unavailable-error.js';
import { beforeDeadline } from './with-deadline.js';

/**
 * Adds a job unless one with the same deduplication id was added within `ttlMs`, waiting at most
 * `timeoutMs` for Redis. Which call was the no-op: a deduplicated add returns the id of the job
 * already there (https://docs.bullmq.io/guide/jobs/deduplication), so each add proposes a fresh id
 * of its own and compares; exact under concurrency, since the add is one Lua script.
 * Redis trouble is a QueueUnavailableError (the sender should retry); a RangeError (the data cannot
 * be serialised or stored) is thrown as is, since a retry would fail the same way.
 * @example const { duplicate } = await addOnce(queue, 'notification', data, { dedupId: key, ttlMs: 60_000, timeoutMs: 1000 })
 */
export async function addOnce<T>(
  queue: Queue<T>,
  name: string,
  data: T,
  opts: { readonly dedupId: string; readonly ttlMs: number; readonly timeoutMs: number },
): Promise<{ duplicate: boolean }> {
  const jobId = randomUUID();
  try {
    const job = await beforeDeadline(
      opts.timeoutMs,
      'queue write',
      // BullMQ's generics tie the name type to the data type; any name is ours to choose here.
      (queue as Queue).add(name, data, { jobId, deduplication: { id: opts.dedupId, ttl: opts.ttlMs } }),
    );
    return { duplicate: job.id !== jobId };
  } catch (err) {
    if (err instanceof RangeError) throw err;
    const message =
      err instanceof DeadlineError
        ? 'Redis did not confirm the write in time; retry'
        : 'Redis is unavailable; retry';
    throw new QueueUnavailableError(message, { cause: err });
  }
}
