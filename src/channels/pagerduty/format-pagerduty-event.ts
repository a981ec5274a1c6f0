import type { WebhookPayload } from '../../alert/webhook-payload.js';
import type { NotificationContext } from '../../alert/notification-context.js';
import { groupHash } from '../../alert/notification-key.js';
import { messageLinks, type LinkKind, type LinkOptions } from '../../alert/alert-links.js';
import { orderedAlerts } from '../../alert/alert-order.js';
import { groupTitle } from '../../alert/group-name.js';
import { truncate } from '../../lib/truncate.js';
import { fitDetails } from './fit-event-size.js';
import { own } from '../../lib/own.js';

export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

/** The Events API v2 body without `routing_key`: the secret is added at send time, never stored in jobs. */
export interface PagerDutyEvent {
  event_action: 'trigger' | 'resolve';
  dedup_key: string;
  payload?: {
    summary: string;
    source: string;
    severity: PagerDutySeverity;
    timestamp?: string;
    component?: string;
    group?: string;
    class?: string;
    custom_details: Record<string, unknown>;
  };
  links?: Array<{ href: string; text: string }>;
  client: string;
  client_url?: string;
}

// PagerDuty shows links without context: say where silence and source lead; runbooks and dashboards keep their own words.
const LINK_TEXT: Partial<Record<LinkKind, string>> = {
  silence: 'Silence in Alertmanager',
  source: 'Source graph',
};

/** ISO 8601 as PagerDuty takes it, for a real time with a four-digit year; else undefined. */
function isoTimestamp(ms: number): string | undefined {
  if (!Number.isFinite(ms)) return undefined;
  const iso = new Date(ms).toISOString();
  return /^\d{4}-/.test(iso) ? iso : undefined;
}

export function mapSeverity(severity: string | undefined): PagerDutySeverity {
  switch ((severity ?? '').toLowerCase()) {
    case 'critical':
    case 'page':
      return 'critical';
    case 'warning':
      return 'warning';
    case 'info':
    case 'none':
      return 'info';
    default:
      return 'error';
  }
}

/**
 * Trigger while firing, resolve when resolved, one incident per alert group: the dedup_key is
 * sha256(groupKey), as Alertmanager's own PagerDuty integration does. A resolve carries no
 * payload or links: PagerDuty reads only its action and dedup_key (the rest describes a trigger:
 * https://developer.pagerduty.com/docs/events-api-v2/overview/), and the incident keeps the
 * trigger's details, so no steps, silence link or value that would read as still failing.
 */
export function formatPagerDutyEvent(
  p: WebhookPayload,
  context: NotificationContext | undefined,
  opts: LinkOptions,
): PagerDutyEvent {
  const dedup_key = groupHash(p.groupKey);
  const alerts = orderedAlerts(p);
  const alertname = groupTitle(p);
  const links = messageLinks(p, opts, context?.runbooks).map((l) => ({
    href: l.href,
    text: LINK_TEXT[l.kind] ?? l.text,
  }));
  if (p.status === 'resolved')
    return { event_action: 'resolve', dedup_key, client: 'alert-router', client_url: opts.publicUrl };

  const firing = alerts.filter((a) => a.status === 'firing');
  const summaryText = p.commonAnnotations.summary ?? firing[0]?.annotations.summary ?? alertname;
  const runbook = own(context?.runbooks, alertname);
  const details: Record<string, unknown> = {
    firing: firing.length,
    resolved: alerts.length - firing.length,
    truncated_alerts: p.truncatedAlerts,
    common_labels: p.commonLabels,
    common_annotations: p.commonAnnotations,
    ...(context && !context.available
      ? { live_context: `unavailable${context.reason ? `: ${context.reason}` : ''}` }
      : {}),
    ...(runbook ? { runbook } : {}),
  };
  const perAlert = alerts.map((a) => {
    const live = own(context?.alerts, a.fingerprint);
    return {
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt,
      ...(live ? { live } : {}),
    };
  });
  const timestamp = Date.parse(firing[0]?.startsAt ?? '');
  const payload = {
    summary: truncate(`[${firing.length}] ${alertname}: ${summaryText}`, 1024),
    // PagerDuty rejects a blank source.
    source: truncate(
      [p.commonLabels.instance, p.commonLabels.service, p.commonLabels.job].find((s) => s?.trim()) ??
        'alertmanager',
      255,
    ),
    severity: mapSeverity(p.commonLabels.severity),
    // PagerDuty rejects a timestamp that is not ISO 8601; a payload can carry anything.
    ...(isoTimestamp(timestamp) ? { timestamp: isoTimestamp(timestamp) } : {}),
    ...(p.commonLabels.service ? { component: truncate(p.commonLabels.service, 255) } : {}),
    ...(p.commonLabels.team ? { group: truncate(p.commonLabels.team, 255) } : {}),
    class: truncate(alertname, 255),
  };
  const event: PagerDutyEvent = {
    event_action: 'trigger',
    dedup_key,
    payload: { ...payload, custom_details: {} },
    links,
    client: 'alert-router',
    client_url: opts.publicUrl,
  };
  // Every part of the event counts toward PagerDuty's size limit, whatever the group holds.
  event.payload!.custom_details = fitDetails(event, details, perAlert);
  return event;
}
