/** A named PromQL query from a runbook's front matter; `{{ label }}` is replaced by an escaped literal. */
export interface ContextQuery {
  readonly name: string;
  readonly query: string;
  readonly unit?: string;
}

/** One parsed runbooks/<name>.md file. */
export interface Runbook {
  /** File name without .md; also the alert name unless `alerts` lists others. */
  readonly name: string;
  readonly file: string;
  readonly title: string;
  /** Alert names this runbook covers (front matter `alerts`, default [name]). */
  readonly alerts: readonly string[];
  readonly severity?: string;
  readonly team?: string;
  /** One line: what this alert means. */
  readonly summary: string;
  readonly links: ReadonlyArray<{ readonly title: string; readonly url: string }>;
  /** Grafana dashboards by uid (front matter `dashboards`), linked only where GRAFANA_URL is set. */
  readonly dashboards: ReadonlyArray<{ readonly title: string; readonly uid: string }>;
  readonly context: readonly ContextQuery[];
  /** First diagnosis steps as plain text lines (shown in Slack under the alert). */
  readonly firstSteps: readonly string[];
  /** Markdown body (rendered and sanitised by the runbook pages). */
  readonly body: string;
}

/** Loaded runbooks, reloadable without a restart. */
export interface RunbookStore {
  /** The runbook covering an alert name, if any. */
  forAlert(alertname: string): Runbook | undefined;
  list(): readonly Runbook[];
  /** Problems found in the last (re)load, as "file: reason". */
  problems(): readonly string[];
  close(): void;
}
