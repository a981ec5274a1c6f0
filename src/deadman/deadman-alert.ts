import { utcText } from '../alert/format-duration.js';
import { createHash } from 'node:crypto';
import type { WebhookPayload } from '../alert/webhook-payload.js';

export const DEADMAN_ALERTNAME = 'DeadMansSwitch';

export interface DeadmanIncident {
  readonly source: string;
  readonly incident: string;
  /** Last heartbeat before the outage (or the start-up base when none ever came), ms. */
  readonly since: number;
  /** No heartbeat ever came (an `expectFirstWithinSeconds` page): `since` is when it was expected. */
  readonly neverHeard?: boolean;
  /** Set for the resolved notification, ms. */
  readonly resolvedAt?: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly publicUrl: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();
/** "2026-11-25 12:00:00 UTC": read by a person in a title, where Slack's date tokens do not render. */
const utc = (ms: number): string => utcText(ms, 'second');

/**
 * The page as an Alertmanager webhook v4 notification, so every channel adapter handles it as it
 * handles any alert: the groupKey is stable per source (PagerDuty dedup_key = sha256(groupKey), the
 * Slack message is updated in place) and the resolved twin closes the same incident.
 * @example deadmanPayload({ source: 'lab', incident: '1', since: 0, labels: {}, publicUrl: 'http://x' })
 */
export function deadmanPayload(i: DeadmanIncident): WebhookPayload {
  const resolved = i.resolvedAt !== undefined;
  const labels = {
    ...i.labels,
    alertname: DEADMAN_ALERTNAME,
    source: i.source,
    severity: 'critical',
    service: 'alerting-pipeline',
  };
  const annotations = {
    summary: i.neverHeard
      ? `${i.source} never sent a heartbeat (expected since ${utc(i.since)})`
      : `${i.source} silent since ${utc(i.since)}`,
    description:
      (i.neverHeard
        ? `No Watchdog heartbeat has ever arrived from source "${i.source}", expected since ${utc(i.since)}. `
        : `No Watchdog heartbeat from source "${i.source}" since ${utc(i.since)}. `) +
      'Prometheus, Alertmanager or the path between them and alert-router is broken: alerts from this source ' +
      'are not reaching anyone. This page comes from alert-router directly, not through Alertmanager.',
    runbook_url: `${i.publicUrl}/runbooks/${DEADMAN_ALERTNAME}`,
  };
  return {
    version: '4',
    groupKey: `deadmans-switch/${i.source}`,
    truncatedAlerts: 0,
    status: resolved ? 'resolved' : 'firing',
    receiver: 'alert-router-deadman',
    groupLabels: { alertname: DEADMAN_ALERTNAME, source: i.source },
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: i.publicUrl,
    alerts: [
      {
        status: resolved ? 'resolved' : 'firing',
        labels,
        annotations,
        // startsAt is the outage start: one incident keeps one (fingerprint, startsAt) episode.
        startsAt: iso(i.since),
        endsAt: resolved ? iso(i.resolvedAt) : '0001-01-01T00:00:00Z',
        generatorURL: `${i.publicUrl}/api/deadman`,
        fingerprint: createHash('sha256').update(`deadman/${i.source}`).digest('hex').slice(0, 16),
      },
    ],
  };
}

/** Job ids name the incident and action, so re-queuing after a crash cannot page twice. */
export function deadmanJobId(
  source: string,
  incident: string,
  action: 'trigger' | 'resolve',
  channel: string,
): string {
  return `deadman-${source}-${incident}-${action}-${channel}`;
}
