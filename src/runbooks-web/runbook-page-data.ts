import { dashboardUrl, silenceLink } from '../alert/alert-links.js';
import { commonLabels, fillPlaceholders } from '../alert/fill-placeholders.js';
import { thresholdText } from '../alert/format-value.js';
import { withDeadline } from '../lib/with-deadline.js';

import type { DeadmanStatus } from '../deadman/deadman-status.js';
import type { ContextQuery, Runbook, RunbookStore } from '../runbooks/runbook.js';
import { renderQuery } from '../enrichment/render-query.js';
import { alertExpression, analyseExpression } from '../enrichment/alert-expression.js';
import type { FiringAlert, FiringAlertSource } from './firing-alerts.js';
import type { LiveContext, LiveValue } from '../enrichment/live-context.js';
import { renderMarkdown } from './render-markdown.js';
import type { Sample } from './svg-chart.js';

export interface PageDataDeps {
  readonly store: RunbookStore;
  readonly firing?: FiringAlertSource;
  readonly live?: LiveContext;
  readonly prometheusUrl?: string;
  readonly alertmanagerUrl?: string;
  /** Grafana for the dashboards runbooks name by uid (GRAFANA_URL); without it none is linked. */
  readonly grafanaUrl?: string;
  /** Time budget for Alertmanager and for live context, each (default 2.5 s). */
  readonly budgetMs?: number;
  readonly chartHours?: number;
  readonly now?: () => number;
  /** The dead man's switch sources, shown on the index. */
  readonly deadman?: () => Promise<DeadmanStatus>;
}

export interface FiringInstance {
  readonly alertname: string;
  readonly fingerprint: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly firingForSeconds: number;
  readonly silenceUrl?: string;
}

interface Availability {
  readonly available: boolean;
  readonly reason?: string;
}

export interface RunbookPageData {
  readonly alert: string;
  readonly runbook: Omit<Runbook, 'file'> & { readonly bodyHtml: string };
  readonly firing: Availability & { readonly instances: readonly FiringInstance[]; readonly total: number };
  readonly live: Availability & {
    /** Labels the context queries were filled with (the oldest firing instance). */
    readonly labels: Readonly<Record<string, string>>;
    readonly values: readonly LiveValue[];
    readonly chart?: {
      readonly name: string;
      readonly query: string;
      readonly unit?: string;
      readonly hours: number;
      readonly samples: readonly Sample[];
    };
  };
  readonly queries: ReadonlyArray<{
    readonly name: string;
    readonly query: string;
    readonly unit?: string;
    readonly graphUrl?: string;
  }>;
}

export interface RunbookIndexData {
  readonly runbooks: ReadonlyArray<{
    readonly name: string;
    readonly title: string;
    readonly severity?: string;
    readonly team?: string;
    readonly summary: string;
    readonly alerts: ReadonlyArray<{ readonly name: string; readonly firing: number }>;
  }>;
  /** Firing alerts no runbook covers. */
  readonly withoutRunbook: ReadonlyArray<{ readonly alertname: string; readonly firing: number }>;
  readonly firing: Availability;
  readonly problems: readonly string[];
  readonly deadman?: DeadmanStatus | { readonly error: string };
}

const MAX_INSTANCES = 50;
const errMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));

async function firingAlerts(deps: PageDataDeps): Promise<Availability & { alerts: readonly FiringAlert[] }> {
  if (!deps.firing) return { available: false, reason: 'ALERTMANAGER_URL is not configured', alerts: [] };
  try {
    return {
      available: true,
      alerts: await withDeadline(deps.budgetMs ?? 2500, 'Alertmanager', (s) => deps.firing!.active(s)),
    };
  } catch (err) {
    return { available: false, reason: errMessage(err), alerts: [] };
  }
}

export function graphLink(prometheusUrl: string, query: string, hours: number): string {
  return `${prometheusUrl.replace(/\/+$/, '')}/graph?g0.expr=${encodeURIComponent(query)}&g0.tab=0&g0.range_input=${hours}h`;
}

/** Index: every runbook with its firing counts, and firing alerts that lack a runbook. */
export async function indexData(deps: PageDataDeps): Promise<RunbookIndexData> {
  const f = await firingAlerts(deps);
  const counts = new Map<string, number>();
  for (const a of f.alerts) {
    const n = a.labels.alertname ?? '(no alertname)';
    counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  const runbooks = [...deps.store.list()]
    .sort((a, b) => a.title.localeCompare(b.title))
    .map((rb) => ({
      name: rb.name,
      title: rb.title,
      ...(rb.severity ? { severity: rb.severity } : {}),
      ...(rb.team ? { team: rb.team } : {}),
      summary: rb.summary,
      alerts: rb.alerts.map((name) => ({ name, firing: counts.get(name) ?? 0 })),
    }));
  const withoutRunbook = [...counts]
    .filter(([name]) => !deps.store.forAlert(name))
    .map(([alertname, firing]) => ({ alertname, firing }))
    .sort((a, b) => a.alertname.localeCompare(b.alertname));
  return {
    runbooks,
    withoutRunbook,
    firing: f.available ? { available: true } : { available: false, reason: f.reason ?? 'unavailable' },
    problems: deps.store.problems(),
    ...(deps.deadman
      ? {
          deadman: await deps
            .deadman()
            .catch(() => ({ error: "dead man's switch state unavailable (Redis?)" })),
        }
      : {}),
  };
}

/** Everything the page for one alert shows; the JSON answer is exactly this. */
export async function runbookPageData(
  deps: PageDataDeps,
  alert: string,
  rb: Runbook,
): Promise<RunbookPageData> {
  const now = deps.now?.() ?? Date.now();
  const hours = deps.chartHours ?? 3;
  const covered = new Set(rb.alerts);
  const f = await firingAlerts(deps);
  const mine = f.alerts
    .filter((a) => covered.has(a.labels.alertname ?? ''))
    .sort(
      (a, b) =>
        (a.labels.alertname === alert ? 0 : 1) - (b.labels.alertname === alert ? 0 : 1) ||
        a.startsAt.localeCompare(b.startsAt),
    );
  const instances = mine.slice(0, MAX_INSTANCES).map((a) => ({
    alertname: a.labels.alertname ?? alert,
    fingerprint: a.fingerprint,
    labels: a.labels,
    startsAt: a.startsAt,
    firingForSeconds: Math.max(0, (now - Date.parse(a.startsAt)) / 1000) || 0,
    ...(deps.alertmanagerUrl ? { silenceUrl: silenceLink(deps.alertmanagerUrl, a.labels) } : {}),
  }));
  const labels = instances[0]?.labels ?? {};
  const fill = (q: string): string | undefined => {
    try {
      // The enrichment stage's escaping, so the page queries exactly what Slack showed.
      return renderQuery(q, labels);
    } catch {
      return undefined;
    }
  };
  const queries = rb.context.map((q) => {
    const filled = fill(q.query);
    return {
      name: q.name,
      query: filled ?? q.query,
      ...(q.unit ? { unit: q.unit } : {}),
      ...(filled && deps.prometheusUrl ? { graphUrl: graphLink(deps.prometheusUrl, filled, hours) } : {}),
    };
  });
  const { file: _file, ...meta } = rb;
  // The steps as a reader of this alert's firing instances needs them (HTML-escaped by the page).
  const shared = commonLabels(mine.filter((a) => a.labels.alertname === alert).map((a) => a.labels));
  const grafana = deps.grafanaUrl;
  return {
    alert,
    runbook: {
      ...meta,
      firstSteps: rb.firstSteps.map((s) => fillPlaceholders(s, shared)),
      links: [
        ...rb.links,
        ...(grafana ? rb.dashboards.map((d) => ({ title: d.title, url: dashboardUrl(grafana, d.uid) })) : []),
      ],
      bodyHtml: renderMarkdown(rb.body),
    },
    firing: {
      ...(f.available ? { available: true } : { available: false, reason: f.reason ?? 'unavailable' }),
      instances,
      total: mine.length,
    },
    live: await liveData(deps, rb, labels, hours, fill, conditionQueries(mine[0]?.generatorURL)),
    queries,
  };
}

type ConditionQuery = ContextQuery & { readonly threshold: string };

/**
 * The conditions of a firing alert's expression that has no single threshold (a burn-rate
 * alert's windows), as the notifications show them.
 */
function conditionQueries(generatorURL: string | undefined): readonly ConditionQuery[] {
  const expr = alertExpression(generatorURL);
  if (!expr) return [];
  return analyseExpression(expr).conditions.map((c) => ({
    name: c.name,
    query: c.measured,
    // In the value's unit, as the notifications show it (`> 14.4×`, `> 5 %`).
    threshold: thresholdText(c.threshold, c.unit),
    ...(c.unit ? { unit: c.unit } : {}),
  }));
}

async function liveData(
  deps: PageDataDeps,
  rb: Runbook,
  labels: Readonly<Record<string, string>>,
  hours: number,
  fill: (q: string) => string | undefined,
  conditions: readonly ConditionQuery[],
): Promise<RunbookPageData['live']> {
  const live = deps.live;
  if (!live)
    return { available: false, reason: 'no Prometheus configured for live context', labels, values: [] };
  // Without a firing instance only queries that need no label can be answered.
  const usable = rb.context.filter((q) => fill(q.query) !== undefined);
  if (usable.length === 0 && conditions.length === 0) return { available: true, labels, values: [] };
  const first = usable[0];
  try {
    const [windows, values, samples] = await withDeadline(deps.budgetMs ?? 2500, 'live context', (signal) =>
      Promise.all([
        // One query each, so every value it gives is known to belong to that condition.
        Promise.all(
          conditions.map(async ({ threshold, ...q }) =>
            (await live.queryExpressions([q], signal)).map((v) => ({ ...v, threshold })),
          ),
        ),
        usable.length > 0 ? live.queryValues({ ...rb, context: usable }, labels, signal) : [],
        first ? live.queryRange(fill(first.query)!, hours, signal) : [],
      ]),
    );
    if (!first) return { available: true, labels, values: windows.flat() };
    return {
      available: true,
      labels,
      values: [...windows.flat(), ...values],
      chart: {
        name: first.name,
        query: fill(first.query)!,
        ...(first.unit ? { unit: first.unit } : {}),
        hours,
        samples,
      },
    };
  } catch (err) {
    return { available: false, reason: errMessage(err), labels, values: [] };
  }
}
