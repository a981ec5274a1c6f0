import { formatValue, valueText } from '../alert/format-value.js';
import { varyingLabels } from '../alert/varying-labels.js';
import type { InstantSeries, QueryResult } from './prometheus-client.js';
import { cut } from '../lib/truncate.js';

/**
 * The series of a group-wide answer that belongs to one alert: every label of the series (except
 * `__name__`) must equal the alert's label, and the most specific match wins. An aggregate with no
 * labels (`sum(...)`) matches every alert.
 */
export function seriesFor<S extends { readonly labels: Readonly<Record<string, string>> }>(
  series: readonly S[],
  alertLabels: Readonly<Record<string, string>>,
): S | undefined {
  let best: S | undefined;
  let bestSize = -1;
  for (const s of series) {
    const entries = Object.entries(s.labels).filter(([k]) => k !== '__name__');
    if (entries.length > bestSize && entries.every(([k, v]) => alertLabels[k] === v)) {
      best = s;
      bestSize = entries.length;
    }
  }
  return best;
}

/**
 * A context query's answer as one line: a single value with its unit, or for several series the
 * first three, each named by the labels that tell them apart.
 * @example describeSeries({ series: [{ labels: {}, value: '0.5' }], omitted: 0 }, 'ratio') // => { value: '50', unit: '%' }
 */
export function describeSeries(
  r: QueryResult<InstantSeries>,
  unit: string | undefined,
): { value: string; unit?: string } {
  if (r.series.length === 0) return { value: 'no data' };
  if (r.series.length === 1) {
    const f = formatValue(r.series[0]!.value, unit);
    return f.unit ? { value: f.value, unit: f.unit } : { value: f.value };
  }
  const varying = varyingLabels(r.series.map((s) => s.labels));
  const parts = r.series.slice(0, 3).map((s) => {
    const f = formatValue(s.value, unit);
    const name = cut(varying.map((k) => s.labels[k] ?? '').join('/'), 60) || '?';
    return `${name}: ${valueText(f)}`;
  });
  const more = r.series.length - 3 + r.omitted;
  return { value: `${parts.join(', ')}${more > 0 ? ` (+${more} more)` : ''}` };
}
