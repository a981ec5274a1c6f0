/** The backoff type of notification jobs; the notification worker knows how to compute it. */
export const CAPPED_BACKOFF = 'capped-exponential';

const FIRST_MS = 500;
const MAX_MS = 60_000;

/**
 * Exponential backoff from 500 ms, capped at a minute, with jitter. BullMQ's built-in exponential
 * has no cap: 20 attempts would wait 500 ms x 2^19 (three days) before the last one, so a
 * notification that cannot be routed would be reported days late. Capped, 20 attempts span about
 * 15 minutes.
 * @example new Worker(name, process, { settings: { backoffStrategy: cappedBackoff } })
 */
export function cappedBackoff(attemptsMade: number): number {
  const ms = Math.min(MAX_MS, FIRST_MS * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(ms * (0.5 + Math.random() * 0.5));
}
