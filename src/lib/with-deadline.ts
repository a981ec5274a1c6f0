import { DeadlineError } from './deadline-error.js';

/**
 * Runs `fn` with a signal that aborts after `ms`, and rejects with a DeadlineError at `ms` even if
 * `fn` ignores the signal (an ioredis command waiting on a dead socket does). The one place the
 * service bounds a wait: ingest, heartbeats, readiness, enrichment and runbook pages.
 * @example await withDeadline(1000, 'queue write', () => queue.add(name, data))
 */
export async function withDeadline<T>(
  ms: number,
  what: string,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const ctl = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ctl.abort();
      reject(new DeadlineError(what, ms));
    }, ms);
  });
  try {
    return await Promise.race([fn(ctl.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
