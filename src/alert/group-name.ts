import { leadAlert } from './alert-order.js';
import type { WebhookPayload } from './webhook-payload.js';

/**
 * The one name of an alert group, used by every channel, the outbox and the runbook link: the
 * alertname all its alerts share, else the one it is grouped by, else the lead alert's own.
 * Undefined when not even the lead alert has one.
 * @example groupName(fixture('firing')) // 'HighErrorRate'
 */
export function groupName(
  p: Pick<WebhookPayload, 'commonLabels' | 'groupLabels' | 'alerts'>,
): string | undefined {
  return p.commonLabels.alertname ?? p.groupLabels.alertname ?? leadAlert(p)?.labels.alertname;
}

/** The group's name for titles and subjects, with one wording for a group that has none. */
export function groupTitle(p: Pick<WebhookPayload, 'commonLabels' | 'groupLabels' | 'alerts'>): string {
  return groupName(p) ?? 'alert';
}
