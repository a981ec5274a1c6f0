const BARS = '▁▂▃▄▅▆▇█';

/**
 * Fewer samples than this make no trend: one or two bars (`▁`, `▁█`) are noise a reader has to
 * decode, and five are the fewest that show a shape (rising, falling, a spike and back). At the
 * notification trend's 2-minute step that is 8 minutes of history, the runbook chart's 90-second
 * step 6 minutes: a fresh Prometheus shows a trend within its first quarter hour.
 */
export const MIN_TREND_POINTS = 5;

/** Whether a series has enough samples (gaps, NaN, not counted) to be drawn as a trend. */
export function hasTrend(values: readonly number[]): boolean {
  return values.filter((v) => !Number.isNaN(v)).length >= MIN_TREND_POINTS;
}

/**
 * A compact text sparkline (▁▂▃▄▅▆▇█) of a series, resampled to at most `width` characters by
 * averaging. Gaps (NaN, missing) render as a space and ±Inf as the extreme bar, so a trend is
 * readable in Slack, email and PagerDuty alike. A flat series renders as a flat low line.
 * @example sparkline([1, 2, 3, 4]) // => '▁▃▆█'
 */
export function sparkline(values: readonly number[], width = 30): string {
  if (values.length === 0 || width <= 0) return '';
  const buckets: number[] = [];
  const n = Math.min(width, values.length);
  for (let b = 0; b < n; b++) {
    const from = Math.floor((b * values.length) / n);
    const to = Math.max(from + 1, Math.floor(((b + 1) * values.length) / n));
    const slice = values.slice(from, to).filter((v) => !Number.isNaN(v));
    if (slice.length === 0) buckets.push(NaN);
    else if (slice.some((v) => v === Infinity)) buckets.push(Infinity);
    else if (slice.some((v) => v === -Infinity)) buckets.push(-Infinity);
    else buckets.push(slice.reduce((a, v) => a + v, 0) / slice.length);
  }
  const finite = buckets.filter((v) => Number.isFinite(v));
  const min = finite.length ? Math.min(...finite) : 0;
  const max = finite.length ? Math.max(...finite) : 0;
  return buckets
    .map((v) => {
      if (Number.isNaN(v)) return ' ';
      if (v === Infinity) return BARS[BARS.length - 1]!;
      if (v === -Infinity || max === min) return BARS[0]!;
      return BARS[Math.min(BARS.length - 1, Math.floor(((v - min) / (max - min)) * BARS.length))]!;
    })
    .join('');
}
