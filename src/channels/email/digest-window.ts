/**
 * One window of one email channel's digest: what the job that sends it carries (no secrets).
 * Windows are aligned to the epoch, so every replica puts a notification in the same window.
 */
export interface DigestWindow {
  /** The configured channel name. */
  readonly channel: string;
  /** The window's end (epoch ms), a multiple of `everyMs`; it starts `everyMs` earlier. */
  readonly windowEnd: number;
  readonly everyMs: number;
}

/**
 * Makes sure the window's digest is sent at its end; called once per delivery batched into it, so
 * it must be idempotent per (channel, windowEnd). `notification` says whether this delivery added
 * a notification or repeated one already there (a retry). Given by the composition root:
 * channels/ cannot reach the queue.
 */
export type ScheduleDigest = (window: DigestWindow, notification: 'added' | 'repeat') => Promise<void>;

/**
 * The end of the window `now` falls in: [end - everyMs, end).
 * @example windowEndFor(Date.parse('2026-11-25T12:07:00Z'), 900_000) // Date.parse('2026-11-25T12:15:00Z')
 */
export function windowEndFor(now: number, everyMs: number): number {
  return (Math.floor(now / everyMs) + 1) * everyMs;
}
