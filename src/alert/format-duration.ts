/**
 * A length of time for a reader, two units at most: "45s", "4m 10s", "2h 5m", "3d 4h" (how long
 * an alert fired).
 * @example formatDuration(250) // => '4m 10s'
 */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/**
 * A span of history, rounded to what is worth saying: "40 s", "12 min", "5 h", "3 d" (how much
 * data a figure covers).
 * @example formatSpan(725) // => '12 min'
 */
export function formatSpan(seconds: number): string {
  const s = Math.max(0, seconds);
  // Up, not down: "the last 0 s of data" would say there is none.
  if (s < 120) return `${Math.max(1, Math.ceil(s))} s`;
  if (s < 2 * 3600) return `${Math.round(s / 60)} min`;
  if (s < 2 * 86400) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

/**
 * The words that go with a figure resting on less history than its window, so "-2270 %" of a
 * 30-day budget is read as what 12 minutes of data say, not as a month's verdict.
 * @example historyText({ dataSeconds: 725, windowSeconds: 2592000 }) // => 'over the last 12 min of data (window 30 d)'
 */
export function historyText(h: { readonly dataSeconds: number; readonly windowSeconds: number }): string {
  return `over the last ${formatSpan(h.dataSeconds)} of data (window ${formatSpan(h.windowSeconds)})`;
}

/**
 * "2026-11-25 13:02 UTC" (or with seconds): a time as plain text, where nothing can render it in
 * the reader's own zone (a Slack header, a page without script, a fallback).
 * @example utcText(Date.parse('2026-11-25T13:02:04Z')) // => '2026-11-25 13:02 UTC'
 */
export function utcText(ms: number, precision: 'minute' | 'second' = 'minute'): string {
  return `${new Date(ms)
    .toISOString()
    .slice(0, precision === 'minute' ? 16 : 19)
    .replace('T', ' ')} UTC`;
}
