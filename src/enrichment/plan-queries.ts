import type { Alert, WebhookPayload } from '../alert/webhook-payload.js';
import { orderedAlerts } from '../alert/alert-order.js';
import { firedForSeconds, payloadTime } from '../alert/firing-time.js';
import type { RunbookStore } from '../runbooks/runbook.js';
import { alertExpression, analyseExpression } from './alert-expression.js';
import { renderQuery } from './render-query.js';

/** One distinct query to send; many alerts may point at the same one. */
export interface PlannedQuery {
  readonly key: string;
  readonly kind: 'instant' | 'range';
  readonly expr: string;
  /** Evaluation time (unix seconds) of an instant query; now when absent. */
  readonly time?: number;
  /** The main expression must keep every alert's series for label matching; context queries fewer. */
  readonly maxSeries: number;
}

export interface AlertPlan {
  readonly alert: Alert;
  readonly main?: {
    readonly instant: string;
    readonly range: string;
    readonly threshold?: string;
    readonly unit?: string;
  };
  /**
   * Each comparison of an expression that has no single threshold (`a > 14.4 and b > 14.4`), with
   * the instant query of its measured side: one per burn-rate window.
   */
  readonly conditions: ReadonlyArray<{
    readonly name: string;
    readonly key: string;
    readonly threshold: string;
    readonly unit?: string;
  }>;
  readonly context: ReadonlyArray<{ readonly name: string; readonly key: string; readonly unit?: string }>;
  /**
   * A resolved alert's worst value while it fired (its expression's max, or min for a `<` alert,
   * over startsAt..endsAt); a resolved alert gets no other query, since its "now" is over.
   */
  readonly peak?: { readonly key: string; readonly kind: 'highest' | 'lowest'; readonly unit?: string };
}

export interface QueryPlan {
  readonly alerts: readonly AlertPlan[];
  /** Distinct queries by key, in first-use order. */
  readonly queries: ReadonlyMap<string, PlannedQuery>;
  /** Context queries that could not be rendered ("Runbook/query: reason"). */
  readonly skipped: readonly string[];
}

export interface PlanOptions {
  readonly runbooks?: Pick<RunbookStore, 'forAlert'>;
  /** Alerts enriched per notification, in the order the channels show them. */
  readonly maxAlerts: number;
  readonly mainMaxSeries: number;
  readonly contextMaxSeries: number;
}

/**
 * Decides what to ask Prometheus for one notification: for the first `maxAlerts` distinct alerts,
 * the alert's own expression (now and over the last hour) and its runbook's context queries with
 * the alert's label values filled in. Identical queries collapse into one key, so a 1,000-alert
 * group of one rule needs a handful of queries, not thousands.
 */
export function planQueries(payload: WebhookPayload, opts: PlanOptions): QueryPlan {
  const queries = new Map<string, PlannedQuery>();
  const skipped: string[] = [];
  const add = (kind: PlannedQuery['kind'], expr: string, maxSeries: number, time?: number): string => {
    const key = time === undefined ? `${kind}:${expr}` : `${kind}@${time}:${expr}`;
    if (!queries.has(key))
      queries.set(key, { key, kind, expr, maxSeries, ...(time === undefined ? {} : { time }) });
    return key;
  };
  const seen = new Set<string>();
  const alerts: AlertPlan[] = [];
  for (const alert of orderedAlerts(payload)) {
    if (alerts.length >= opts.maxAlerts) break;
    if (seen.has(alert.fingerprint)) continue;
    seen.add(alert.fingerprint);
    const expr = alertExpression(alert.generatorURL);
    if (alert.status === 'resolved') {
      const peak = expr ? peakQuery(alert, expr) : undefined;
      alerts.push({
        alert,
        conditions: [],
        context: [],
        ...(peak
          ? {
              peak: {
                key: add('instant', peak.expr, opts.mainMaxSeries, peak.time),
                kind: peak.kind,
                ...peak.unit,
              },
            }
          : {}),
      });
      continue;
    }
    let main: AlertPlan['main'];
    let conditions: AlertPlan['conditions'] = [];
    if (expr) {
      const { measured, threshold, unit, conditions: windows } = analyseExpression(expr);
      main = {
        instant: add('instant', measured, opts.mainMaxSeries),
        range: add('range', measured, opts.mainMaxSeries),
        ...(threshold ? { threshold } : {}),
        ...(unit ? { unit } : {}),
      };
      conditions = windows.map((c) => ({
        name: c.name,
        // Like the main query, the answer covers the whole group and is matched per alert.
        key: add('instant', c.measured, opts.mainMaxSeries),
        threshold: c.threshold,
        ...(c.unit ? { unit: c.unit } : {}),
      }));
    }
    const context: Array<AlertPlan['context'][number]> = [];
    const alertname = alert.labels.alertname;
    let runbook;
    try {
      runbook = alertname ? opts.runbooks?.forAlert(alertname) : undefined;
    } catch {
      runbook = undefined;
    }
    for (const q of runbook?.context ?? []) {
      try {
        const rendered = renderQuery(q.query, alert.labels);
        if (rendered === undefined) continue; // the alert lacks a label this query needs
        context.push({
          name: q.name,
          key: add('instant', rendered, opts.contextMaxSeries),
          ...(q.unit ? { unit: q.unit } : {}),
        });
      } catch (err) {
        skipped.push(`${runbook?.name ?? alertname}/${q.name}: ${(err as Error).message}`);
      }
    }
    alerts.push({ alert, ...(main ? { main } : {}), conditions, context });
  }
  return { alerts, queries, skipped };
}

/**
 * The query for a resolved alert's worst value: `max_over_time((measured)[window:step])` at its
 * endsAt, over the window it fired (a subquery, so it works for any expression). `min_over_time`
 * for an alert that fires below its threshold. None for an `==`/`!=` alert (the peak of `up == 0`
 * says nothing) or an expression with no threshold at all.
 */
function peakQuery(
  alert: Alert,
  expr: string,
): { expr: string; time: number; kind: 'highest' | 'lowest'; unit: { unit?: string } } | undefined {
  const seconds = firedForSeconds(alert);
  const end = payloadTime(alert.endsAt);
  if (seconds === undefined || end === undefined) return undefined;
  const { measured, threshold, unit, conditions } = analyseExpression(expr);
  const op = threshold?.split(' ')[0] ?? (conditions.length > 0 ? '>' : undefined);
  if (op !== '>' && op !== '>=' && op !== '<' && op !== '<=') return undefined;
  const kind = op.startsWith('<') ? 'lowest' : 'highest';
  const window = Math.max(1, seconds);
  // About 250 evaluations whatever the length: a three-day episode costs what a minute does.
  const step = Math.max(1, Math.ceil(window / 250));
  return {
    expr: `${kind === 'lowest' ? 'min' : 'max'}_over_time((${measured})[${window}s:${step}s])`,
    time: end / 1000,
    kind,
    unit: unit ? { unit } : {},
  };
}
