import type { NamedValue } from '../alert/notification-context.js';
import type { ContextQuery, Runbook } from '../runbooks/runbook.js';

/** One context query's current value (the same shape notifications carry). */
export type LiveValue = NamedValue;

/**
 * Live numbers for the runbook pages, implemented over Prometheus by the enrichment stage
 * (live-context-adapter.ts). Any rejection, or no LiveContext at all, renders as "live context
 * unavailable".
 */
export interface LiveContext {
  /**
   * The current value of each of `runbook.context`, with `{{ label }}` filled from `labels`
   * (values as escaped PromQL literals, by renderQuery).
   */
  queryValues(
    runbook: Runbook,
    labels: Readonly<Record<string, string>>,
    signal?: AbortSignal,
  ): Promise<readonly LiveValue[]>;
  /**
   * The current value of each query as written, with no `{{ }}` filling: for PromQL that is
   * already concrete, such as the conditions of the alert's own expression.
   */
  queryExpressions(queries: readonly ContextQuery[], signal?: AbortSignal): Promise<readonly LiveValue[]>;
  /** Samples `[unix seconds, value]` of one already-filled query over the last `hours`. */
  queryRange(
    query: string,
    hours: number,
    signal?: AbortSignal,
  ): Promise<ReadonlyArray<readonly [number, number]>>;
}
