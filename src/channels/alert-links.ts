import type { Alert, WebhookPayload } from '../alertmanager/webhook-payload.js';

/** The runbook page alert-router serves for an alert name. */
export function runbookUrl(publicUrl: string, alertname: string | undefined): string {
  return `${publicUrl}/runbooks/${encodeURIComponent(alertname ?? 'unknown')}`;
}

/**
 * A prefilled Alertmanager silence for the group's common labels (the UI's
 * `#/silences/new?filter={a="b"}` form). Uses the configured ALERTMANAGER_URL when given, since
 * the payload's externalURL may be an internal address.
 */
export function silenceUrl(payload: WebhookPayload, alertmanagerUrl: string | undefined): string | undefined {
  const base = (alertmanagerUrl ?? payload.externalURL).replace(/\/+$/, '');
  if (!base) return undefined;
  const labels = Object.keys(payload.commonLabels).length > 0 ? payload.commonLabels : payload.groupLabels;
  const filter = `{${Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;
  return `${base}/#/silences/new?filter=${encodeURIComponent(filter)}`;
}

/** The alert's source graph, only when it is an http(s) link (it is shown, never fetched). */
export function sourceUrl(alert: Alert | undefined): string | undefined {
  if (!alert?.generatorURL) return undefined;
  try {
    const url = new URL(alert.generatorURL);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** Alerts in a stable order: firing first, then by start time. */
export function orderedAlerts(payload: WebhookPayload): Alert[] {
  return [...payload.alerts].sort((a, b) =>
    a.status === b.status ? a.startsAt.localeCompare(b.startsAt) : a.status === 'firing' ? -1 : 1,
  );
}

export const truncate = (s: string, max: number): string =>
  s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1))}…`;

/** Labels worth showing to a human first; the rest are noise at 3 a.m. */
export const KEY_LABELS = ['severity', 'service', 'team', 'cluster', 'namespace', 'instance', 'job'];
