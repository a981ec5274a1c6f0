import type { Alert, WebhookPayload } from './webhook-payload.js';

const before = (a: Alert, b: Alert): number =>
  a.status === b.status ? a.startsAt.localeCompare(b.startsAt) : a.status === 'firing' ? -1 : 1;

/** Alerts in a stable order: firing first, then by start time. Every channel lists them so. */
export function orderedAlerts(payload: Pick<WebhookPayload, 'alerts'>): Alert[] {
  return [...payload.alerts].sort(before);
}

/** The alert a message leads with: `orderedAlerts(p)[0]`, without sorting the whole group. */
export function leadAlert(payload: Pick<WebhookPayload, 'alerts'>): Alert | undefined {
  let lead: Alert | undefined;
  for (const a of payload.alerts) if (!lead || before(a, lead) < 0) lead = a;
  return lead;
}
