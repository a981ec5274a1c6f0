/** One named value as Prometheus renders it ("0.0123", "NaN", "+Inf"), in the runbook's unit. */
export interface NamedValue {
  readonly name: string;
  readonly value: string;
  readonly unit?: string;
  /** For a condition of the alert's own expression: what it is compared with (`> 14.4`). */
  readonly threshold?: string;
  /**
   * Present when the figure rests on less data than its window (a 30-day error budget on a
   * Prometheus 12 minutes old): show it with historyText ("over the last 12 min of data").
   */
  readonly history?: FigureHistory;
}

/** How much history a figure rests on, against the window it is meant to cover. */
export interface FigureHistory {
  readonly dataSeconds: number;
  readonly windowSeconds: number;
}

/** Live context gathered by the worker for one notification (filled by the enrichment stage). */
export interface AlertContext {
  /** Current value of the alert's own expression, rendered ("0.23", "NaN", "+Inf"). */
  readonly value?: string;
  /**
   * Named values: first each condition of an expression with several (a burn-rate window, with
   * its `threshold`), then the runbook's context queries.
   */
  readonly values?: readonly NamedValue[];
  /** A text sparkline of the last hour of the main series. */
  readonly sparkline?: string;
  /** The alert's firing condition when its expression ends in one (`> 0.05`), shown next to the value. */
  readonly threshold?: string;
  /** For a resolved alert only (then the fields above are absent): what happened while it fired. */
  readonly resolved?: ResolvedFigures;
}

/** What a resolved message says about an alert: how long it fired and how bad it got. */
export interface ResolvedFigures {
  /** endsAt - startsAt in seconds (firedForSeconds in firing-time.ts); absent when either is unreadable. */
  readonly firedForSeconds?: number;
  /**
   * The alert's own expression at its worst over the firing window, formatted with its unit
   * ("5.87 %", "31.2× budget burn rate"): the highest value, or the lowest for an alert that fires
   * below a threshold (`< 0.1`). Absent when unknown (no Prometheus, no data, a `== 0` alert).
   */
  readonly peak?: string;
  readonly peakKind?: 'highest' | 'lowest';
}

/** What a message shows of one runbook. */
export interface RunbookSummary {
  readonly summary?: string;
  /** The first diagnosis steps, their placeholders filled from the alerts' common labels. */
  readonly firstSteps?: readonly string[];
  /** Grafana dashboards the runbook names by uid (linked only when GRAFANA_URL is set). */
  readonly dashboards?: ReadonlyArray<{ readonly title: string; readonly uid: string }>;
}

export interface NotificationContext {
  readonly available: boolean;
  /** Why context is missing ("Prometheus timed out"), shown as "live context unavailable". */
  readonly reason?: string;
  /** Keyed by alert fingerprint. */
  readonly alerts: Readonly<Record<string, AlertContext>>;
  /** alert-router's runbooks for the group's alert names, keyed by alert name: no entry, no runbook. */
  readonly runbooks: Readonly<Record<string, RunbookSummary>>;
}
