import { DeadlineError } from './deadline-error.js';

/**
 * Settles like `work`, or rejects with a DeadlineError at `ms` if `work` is still pending (an
 * ioredis command waiting on a dead socket never settles by itself). The one place the service
 * bounds a wait: ingest, heartbeats, readiness, enrichment and runbook pages.
 * @example await beforeDeadline(1000, 'queue write', queue.add(name, data))
 */
export async function beforeDeadline<T>(
  ms: number,
  what: string,
  work: Promise<T>,
  onTimeout?: () => void,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new DeadlineError(what, ms));
    }, ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * As beforeDeadline, for work that can be cancelled: `fn` gets a signal that aborts at the deadline.
 * (Only where it is used: an AbortController costs more than the rest of a webhook request.)
 * @example await withDeadline(2500, 'live context', (signal) => fetch(url, { signal }))
 */
export async function withDeadline<T>(
  ms: number,
  what: string,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const ctl = new AbortController();
  return beforeDeadline(ms, what, fn(ctl.signal), () => ctl.abort());
}
