import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { WebhookPayload } from '../alert/webhook-payload.js';
import { DeadlineError } from '../lib/deadline-error.js';
import { withDeadline } from '../lib/with-deadline.js';
import type { RunbookStore } from '../runbooks/runbook.js';
import { formatValue, thresholdText, valueText, type FormattedValue } from '../alert/format-value.js';
import type {
  AlertContext,
  FigureHistory,
  NotificationContext,
  RunbookSummary,
} from '../alert/notification-context.js';
import { commonLabels, fillPlaceholders } from '../alert/fill-placeholders.js';
import { groupName } from '../alert/group-name.js';
import { planQueries, type PlannedQuery, type QueryPlan } from './plan-queries.js';
import type { InstantSeries, PrometheusClient, QueryResult, RangeSeries } from './prometheus-client.js';
import { PrometheusError } from './prometheus-error.js';
import type { QueryCache } from './query-cache.js';
import { seriesFor, describeSeries } from './match-series.js';
import { hasTrend, sparkline } from './sparkline.js';
import { figureHistories } from './figure-history.js';
import { resolvedEpisodes, withPeak } from './resolved-figures.js';
import { cut } from '../lib/truncate.js';

export interface EnrichmentOptions {
  /** Undefined when PROMETHEUS_URL is not configured: runbooks only, context marked unavailable. */
  readonly client: PrometheusClient | undefined;
  readonly cache: QueryCache;
  readonly runbooks?: Pick<RunbookStore, 'forAlert'>;
  /** Hard limit per notification (config `enrichment.budgetMs`). */
  readonly budgetMs: number;
  readonly maxAlerts?: number;
  /** Requests in flight to Prometheus per process. */
  readonly concurrency?: number;
  readonly trendSeconds?: number;
  readonly stepSeconds?: number;
  readonly logger?: Logger;
}

export type Enricher = ((payload: WebhookPayload) => Promise<NotificationContext>) & {
  /** The query plan for a payload (what would be asked), for previews and the benchmark. */
  plan(payload: WebhookPayload): QueryPlan;
};

// Assembly after the deadline is synchronous and small; the margin keeps the total under budget.
const ASSEMBLY_MARGIN_MS = 25;

export function unavailableReason(err: unknown, budgetMs: number): string {
  if (!(err instanceof PrometheusError)) return 'enrichment failed';
  switch (err.kind) {
    case 'timeout':
      return `Prometheus did not answer within ${budgetMs} ms`;
    case 'network':
      return 'Prometheus unreachable';
    case 'unavailable':
      return `Prometheus unavailable${err.status ? ` (HTTP ${err.status})` : ''}`;
    case 'bad_request':
    case 'unprocessable':
      return `Prometheus rejected the query${err.status ? ` (HTTP ${err.status})` : ''}: ${cut(err.message, 150)}`;
    default:
      return `Prometheus answer unusable: ${cut(err.message, 150)}`;
  }
}

/** A filled step longer than this is cut: job data stays small whatever a label holds. */
const MAX_STEP_CHARS = 1000;

/**
 * alert-router's runbooks for the group's alert names (the group's own name first), each with its
 * first steps filled from the labels the alerts of that name share, and the dashboards it names.
 */
function runbookSummaries(
  payload: WebhookPayload,
  store: EnrichmentOptions['runbooks'],
): NotificationContext['runbooks'] {
  const out: Record<string, RunbookSummary> = {};
  if (!store) return out;
  const byName = new Map<string, Array<Readonly<Record<string, string>>>>();
  const lead = groupName(payload);
  if (lead !== undefined) byName.set(lead, []);
  for (const a of payload.alerts) {
    const name = a.labels.alertname;
    if (!name) continue;
    const sets = byName.get(name);
    if (sets) sets.push(a.labels);
    else if (byName.size < 20) byName.set(name, [a.labels]);
  }
  for (const [name, labelSets] of byName) {
    try {
      const rb = store.forAlert(name);
      if (!rb) continue;
      const labels = commonLabels(labelSets);
      out[name] = {
        summary: rb.summary,
        firstSteps: rb.firstSteps.slice(0, 5).map((s) => cut(fillPlaceholders(s, labels), MAX_STEP_CHARS)),
        ...(rb.dashboards.length > 0 ? { dashboards: rb.dashboards } : {}),
      };
    } catch {
      // A broken store must not cost the notification its delivery.
    }
  }
  return out;
}

/**
 * Builds the enrichment stage: `enrich(payload)` returns live context for a notification within
 * `budgetMs`, whatever Prometheus does. Slow, down or erroring Prometheus yields
 * `{available: false, reason}` at the budget, never later, and it never throws. One client, cache
 * and limiter per process, so concurrent notifications share requests too.
 * @example const enrich = createEnricher({ client, cache: new QueryCache(), budgetMs: 2000 })
 */
export function createEnricher(opts: EnrichmentOptions): Enricher {
  // Every caller waits in p-limit's queue, so a query arriving as another finishes cannot take
  // the freed slot ahead of one already waiting (the limit holds under any interleaving).
  const limit = pLimit(opts.concurrency ?? 8);
  const maxAlerts = opts.maxAlerts ?? 10;
  const trendSeconds = opts.trendSeconds ?? 3600;
  const stepSeconds = opts.stepSeconds ?? 120;
  const plan = (payload: WebhookPayload): QueryPlan =>
    planQueries(payload, {
      ...(opts.runbooks ? { runbooks: opts.runbooks } : {}),
      maxAlerts,
      mainMaxSeries: 2000,
      contextMaxSeries: 20,
    });

  const load = (
    client: PrometheusClient,
    q: PlannedQuery,
  ): Promise<QueryResult<InstantSeries | RangeSeries>> => {
    // The shared request has its own deadline, independent of the caller that happened to start it.
    const signal = AbortSignal.timeout(opts.budgetMs);
    const qopts = {
      signal,
      maxSeries: q.maxSeries,
      timeoutMs: opts.budgetMs,
      ...(q.time === undefined ? {} : { time: q.time }),
    };
    return limit((): Promise<QueryResult<InstantSeries | RangeSeries>> => {
      if (signal.aborted) throw new PrometheusError('timeout', 'queued past the deadline');
      if (q.kind === 'instant') return client.query(q.expr, qopts);
      const end = Math.floor(Date.now() / 1000);
      return client.queryRange(q.expr, { start: end - trendSeconds, end, step: stepSeconds }, qopts);
    });
  };

  async function enrich(
    payload: WebhookPayload,
    runbooks: NotificationContext['runbooks'],
  ): Promise<NotificationContext> {
    const client = opts.client;
    // How long each resolved alert fired needs no Prometheus: every answer carries it.
    const episodes = resolvedEpisodes(payload, maxAlerts);
    if (!client)
      return { available: false, reason: 'PROMETHEUS_URL is not configured', alerts: episodes, runbooks };
    const p = plan(payload);
    if (p.skipped.length > 0) opts.logger?.warn({ skipped: p.skipped }, 'runbook context queries skipped');
    if (p.queries.size === 0) return { available: true, alerts: episodes, runbooks };

    const deadline = AbortSignal.timeout(Math.max(1, opts.budgetMs - ASSEMBLY_MARGIN_MS));
    const keys = [...p.queries.keys()];
    setMaxListeners(keys.length + 10, deadline); // one listener per waiting query, all removed on settle
    // Asked alongside: how much history each runbook figure rests on (best effort, same deadline).
    const histories = figureHistories(
      [...new Set(p.alerts.flatMap((a) => a.context.map((c) => p.queries.get(c.key)!.expr)))],
      {
        rules: () =>
          opts.cache.get(
            'rules:record',
            () => limit(() => client.recordingRules({ signal: AbortSignal.timeout(opts.budgetMs) })),
            deadline,
          ),
        instant: (expr) =>
          opts.cache.get(
            `instant:${expr}`,
            () => load(client, { key: `instant:${expr}`, kind: 'instant', expr, maxSeries: 20 }),
            deadline,
          ) as Promise<QueryResult<InstantSeries>>,
      },
    ).catch(() => new Map<string, FigureHistory>());
    // Every wait ends at the deadline at the latest, so this resolves within the budget.
    const settled = await Promise.allSettled(
      keys.map((k) => opts.cache.get(k, () => load(client, p.queries.get(k)!), deadline)),
    );
    const history = await histories;
    const results = new Map<string, QueryResult<InstantSeries | RangeSeries>>();
    let firstError: unknown;
    settled.forEach((s, i) => {
      if (s.status === 'fulfilled') results.set(keys[i]!, s.value);
      else firstError ??= s.reason;
    });
    if (results.size === 0) {
      const reason = unavailableReason(firstError, opts.budgetMs);
      opts.logger?.warn({ reason, queries: keys.length }, 'live context unavailable');
      return { available: false, reason, alerts: episodes, runbooks };
    }

    const alerts: Record<string, AlertContext> = { ...episodes };
    for (const a of p.alerts) {
      if (a.peak) {
        const r = results.get(a.peak.key) as QueryResult<InstantSeries> | undefined;
        const ctx = withPeak(alerts[a.alert.fingerprint], a.peak, r, a.alert.labels);
        if (ctx) alerts[a.alert.fingerprint] = ctx;
        continue;
      }
      const ctx: { -readonly [K in keyof AlertContext]: AlertContext[K] } = {};
      if (a.main) {
        const now = results.get(a.main.instant) as QueryResult<InstantSeries> | undefined;
        if (now) {
          const f = valueFor(now, a.alert.labels, a.main.unit);
          ctx.value = valueText(f);
        }
        if (a.main.threshold) ctx.threshold = thresholdText(a.main.threshold, a.main.unit);
        const trend = results.get(a.main.range) as QueryResult<RangeSeries> | undefined;
        const line = trend && seriesFor(trend.series, a.alert.labels);
        const points = line?.points.map(([, v]) => v) ?? [];
        if (hasTrend(points)) ctx.sparkline = sparkline(points);
      }
      const windows = a.conditions.flatMap((c) => {
        const r = results.get(c.key) as QueryResult<InstantSeries> | undefined;
        if (!r) return [];
        const f = valueFor(r, a.alert.labels, c.unit);
        return [
          {
            name: c.name,
            value: f.value,
            ...(f.unit ? { unit: f.unit } : {}),
            threshold: thresholdText(c.threshold, c.unit),
          },
        ];
      });
      const values = a.context.flatMap((c) => {
        const r = results.get(c.key) as QueryResult<InstantSeries> | undefined;
        if (!r) return [];
        const h = history.get(p.queries.get(c.key)!.expr);
        return [{ name: c.name, ...describeSeries(r, c.unit), ...(h ? { history: h } : {}) }];
      });
      if (windows.length + values.length > 0) ctx.values = [...windows, ...values];
      if (Object.keys(ctx).length > 0) alerts[a.alert.fingerprint] = ctx;
    }
    const failed = keys.length - results.size;
    return {
      available: true,
      ...(failed > 0
        ? {
            reason: `${failed} of ${keys.length} queries failed: ${unavailableReason(firstError, opts.budgetMs)}`,
          }
        : {}),
      alerts,
      runbooks,
    };
  }

  const safe = async (payload: WebhookPayload): Promise<NotificationContext> => {
    // Runbooks come from memory: a message keeps its runbook, steps and links whatever Prometheus does.
    let runbooks: NotificationContext['runbooks'] = {};
    try {
      runbooks = runbookSummaries(payload, opts.runbooks);
      return await withDeadline(opts.budgetMs, 'enrichment', () => enrich(payload, runbooks));
    } catch (err) {
      const alerts = resolvedEpisodes(payload, maxAlerts);
      if (err instanceof DeadlineError) {
        return {
          available: false,
          reason: `enrichment exceeded its ${opts.budgetMs} ms budget`,
          alerts,
          runbooks,
        };
      }
      opts.logger?.error({ err }, 'enrichment failed');
      return { available: false, reason: 'enrichment failed', alerts, runbooks };
    }
  };
  return Object.assign(safe, { plan });
}

/** This alert's value in an answer that covers the whole group; "no data" when it has no series. */
function valueFor(
  r: QueryResult<InstantSeries>,
  labels: Readonly<Record<string, string>>,
  unit: string | undefined,
): FormattedValue {
  const series = seriesFor(r.series, labels);
  return series ? formatValue(series.value, unit) : { value: 'no data' };
}
