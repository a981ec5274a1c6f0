import { orderedAlerts } from '../alert/alert-order.js';
import { firedForSeconds } from '../alert/firing-time.js';
import { formatValue, valueText } from '../alert/format-value.js';
import type { AlertContext } from '../alert/notification-context.js';
import type { WebhookPayload } from '../alert/webhook-payload.js';
import { seriesFor } from './match-series.js';
import type { AlertPlan } from './plan-queries.js';
import type { InstantSeries, QueryResult } from './prometheus-client.js';

/**
 * `{ resolved: { firedForSeconds } }` for each resolved alert among the first `max` shown: how
 * long it fired needs no Prometheus, so every context carries it, available or not.
 */
export function resolvedEpisodes(payload: WebhookPayload, max: number): Record<string, AlertContext> {
  const out: Record<string, AlertContext> = {};
  for (const a of orderedAlerts(payload).slice(0, max)) {
    const seconds = firedForSeconds(a);
    if (seconds !== undefined) out[a.fingerprint] = { resolved: { firedForSeconds: seconds } };
  }
  return out;
}

/**
 * A resolved alert's context with its peak (planned in plan-queries.ts) added when the answer has
 * this alert's series with a number: an empty window answers nothing or NaN, which is unknown.
 */
export function withPeak(
  ctx: AlertContext | undefined,
  peak: NonNullable<AlertPlan['peak']>,
  answer: QueryResult<InstantSeries> | undefined,
  labels: Readonly<Record<string, string>>,
): AlertContext | undefined {
  const series = answer && seriesFor(answer.series, labels);
  if (!series || !Number.isFinite(Number(series.value))) return ctx;
  const value = valueText(formatValue(series.value, peak.unit));
  return { ...ctx, resolved: { ...ctx?.resolved, peak: value, peakKind: peak.kind } };
}
