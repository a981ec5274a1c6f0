import type { FigureHistory } from '../alert/notification-context.js';
import { figureWindowSeconds, type RecordingRules } from './figure-window.js';
import type { InstantSeries, QueryResult } from './prometheus-client.js';

/** How the caller asks Prometheus (cached, limited and time-boxed its own way). */
export interface HistoryQueries {
  rules(): Promise<RecordingRules>;
  instant(expr: string): Promise<QueryResult<InstantSeries>>;
}

/**
 * Windows up to this length fill within minutes of a start, before most alerts' `for:` has
 * passed: three times the 5-minute rate window of the shipped rules. Only longer ones are checked.
 */
const MIN_CHECKED_WINDOW_SECONDS = 15 * 60;
/**
 * A figure resting on less than this share of its window is labelled with how much data it has:
 * past 90 % it means, within a tenth, what its name says.
 */
const COVERED_SHARE = 0.9;
const FINE_STEP = 15;

// A metric name with a colon is a recording rule's (https://prometheus.io/docs/concepts/data_model/#metric-names-and-labels);
// only then are the rules asked for. Strings are blanked first: `instance="host:8080"` is no name.
const RECORDED_NAME = /(?<![\w.:])[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z0-9_:]*/;
const withoutStrings = (q: string): string => q.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');

/**
 * The age of a figure's own data within its window: the oldest moment in the window at which the
 * query had a value, `time() - min_over_time(timestamp(Q)[W:S])`. Subquery steps are aligned to
 * multiples of S, so data younger than one step is found by a finer look at the last step (15 s
 * steps), data younger than that by a 1 s look at the last 15 s, and the first sample by itself.
 * ~10,000 steps for a plain selector (a recorded
 * series, cheap to read), ~500 for an expression that computes on each step.
 */
export function historyProbe(query: string, windowSeconds: number): string {
  const plain = /^[a-zA-Z_:][a-zA-Z0-9_:]*\s*(\{(?:[^"}]|"(?:[^"\\]|\\.)*")*\})?$/.test(query.trim());
  const step = Math.max(FINE_STEP, Math.ceil(windowSeconds / (plain ? 10_000 : 500) / FINE_STEP) * FINE_STEP);
  const ts = `timestamp(${query})`;
  const over = (range: number, by: number): string => `min_over_time(${ts}[${range}s:${by}s])`;
  return `time() - (${over(Math.ceil(windowSeconds), step)} or ${over(step, FINE_STEP)} or ${over(FINE_STEP, 1)} or ${ts})`;
}

/**
 * For each query whose window (its longest range, through the recording rules it reads) is longer
 * than the data Prometheus holds for it: how much history it rests on. A 30-day error budget on a
 * Prometheus started 12 minutes ago gives `{ dataSeconds: 720, windowSeconds: 2592000 }`, shown as
 * "over the last 12 min of data". Best effort: a failed or late question leaves a figure unlabelled.
 * @example await figureHistories(['slo:budget_remaining{service="a"}'], { rules, instant })
 */
export async function figureHistories(
  queries: readonly string[],
  ask: HistoryQueries,
): Promise<Map<string, FigureHistory>> {
  const out = new Map<string, FigureHistory>();
  const needsRules = queries.some((q) => RECORDED_NAME.test(withoutStrings(q)));
  const rules: RecordingRules = needsRules ? await ask.rules().catch(() => new Map()) : new Map();
  await Promise.all(
    [...new Set(queries)].map(async (q) => {
      const windowSeconds = figureWindowSeconds(q, rules);
      if (windowSeconds <= MIN_CHECKED_WINDOW_SECONDS) return;
      const r = await ask.instant(historyProbe(q, windowSeconds)).catch(() => undefined);
      const ages = (r?.series ?? []).map((s) => Number(s.value)).filter((a) => Number.isFinite(a) && a >= 0);
      if (ages.length === 0) return;
      const dataSeconds = Math.min(...ages);
      if (dataSeconds < windowSeconds * COVERED_SHARE) out.set(q, { dataSeconds, windowSeconds });
    }),
  );
  return out;
}
