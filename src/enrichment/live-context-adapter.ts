import { varyingLabels } from '../alert/varying-labels.js';
import type { ContextQuery, Runbook } from '../runbooks/runbook.js';
import type { LiveContext, LiveValue } from './live-context.js';
import type { InstantSeries, PrometheusClient, QueryResult, RangeSeries } from './prometheus-client.js';
import { QueryCache } from './query-cache.js';
import { renderQuery } from './render-query.js';
import { figureHistories } from './figure-history.js';
import type { FigureHistory } from '../alert/notification-context.js';

const MAX_SERIES_SHOWN = 5;
const CHART_POINTS = 120;

/**
 * The runbook pages' LiveContext over the same Prometheus client and cache as the notifications,
 * so a page opened from a Slack message during a storm reuses the answers the worker just got.
 * Queries whose labels the alert lacks are left out; several series of one query become one
 * value each, named by the labels that differ. Rejects (the page shows "unavailable") when
 * Prometheus fails or `signal` aborts.
 * @example createLiveContext(client, cache, { timeoutMs: 2500 }).queryValues(runbook, labels)
 */
export function createLiveContext(
  client: PrometheusClient,
  cache: QueryCache,
  opts: { timeoutMs: number },
): LiveContext {
  const signalOr = (signal: AbortSignal | undefined): AbortSignal =>
    signal ?? AbortSignal.timeout(opts.timeoutMs);
  const instant = (query: string, wait: AbortSignal): Promise<QueryResult<InstantSeries>> =>
    cache.get(
      `instant:${query}`,
      () =>
        client.query(query, {
          signal: AbortSignal.timeout(opts.timeoutMs),
          timeoutMs: opts.timeoutMs,
          maxSeries: 20,
        }),
      wait,
    );
  const queryExpressions = async (
    queries: readonly ContextQuery[],
    signal: AbortSignal | undefined,
    histories: Promise<ReadonlyMap<string, FigureHistory>> = Promise.resolve(new Map()),
  ): Promise<LiveValue[]> => {
    const wait = signalOr(signal);
    const jobs = queries.map((q) => instant(q.query, wait).then((r) => ({ q, r })));
    const [answers, history] = await Promise.all([Promise.all(jobs), histories]);
    const values: LiveValue[] = [];
    for (const { q, r } of answers) {
      const h = history.get(q.query);
      const unit = { ...(q.unit ? { unit: q.unit } : {}), ...(h ? { history: h } : {}) };
      if (r.series.length === 0) values.push({ name: q.name, value: 'NaN', ...unit });
      const varying = varyingLabels(r.series.map((s) => s.labels));
      for (const s of r.series.slice(0, MAX_SERIES_SHOWN)) {
        const which = varying.map((k) => `${k}=${s.labels[k] ?? ''}`).join(', ');
        values.push({ name: which ? `${q.name} (${which})` : q.name, value: s.value, ...unit });
      }
    }
    return values;
  };
  return {
    queryValues(runbook: Runbook, labels, signal) {
      // A query needing a label the alert lacks is left out, as in notifications.
      const filled = runbook.context.flatMap((q) => {
        const query = renderQuery(q.query, labels);
        return query === undefined ? [] : [{ ...q, query }];
      });
      const wait = signalOr(signal);
      // As in notifications: how much history each figure rests on, best effort.
      const histories = figureHistories(
        filled.map((q) => q.query),
        {
          rules: () =>
            cache.get(
              'rules:record',
              () => client.recordingRules({ signal: AbortSignal.timeout(opts.timeoutMs) }),
              wait,
            ),
          instant: (query) => instant(query, wait),
        },
      ).catch(() => new Map<string, FigureHistory>());
      return queryExpressions(filled, signal, histories);
    },
    queryExpressions: (queries, signal) => queryExpressions(queries, signal),
    async queryRange(query, hours, signal) {
      const seconds = Math.max(60, Math.round(hours * 3600));
      // A step on a 15 s grid keeps the cache key stable between page loads.
      const step = Math.max(15, Math.ceil(seconds / CHART_POINTS / 15) * 15);
      const load = (): Promise<QueryResult<RangeSeries>> => {
        const end = Math.floor(Date.now() / 1000);
        return client.queryRange(
          query,
          { start: end - seconds, end, step },
          { signal: AbortSignal.timeout(opts.timeoutMs), timeoutMs: opts.timeoutMs, maxSeries: 1 },
        );
      };
      const r = await cache.get(`range:${step}:${seconds}:${query}`, load, signalOr(signal));
      return r.series[0]?.points ?? [];
    },
  };
}
