import { randomBytes, randomUUID } from 'node:crypto';
import type { WebhookPayload } from '../alert/webhook-payload.js';

export const TEST_ALERTNAME = 'AlertRouterTest';
const NOT_ENDED = '0001-01-01T00:00:00Z';

/**
 * A firing webhook v4 notification of one synthetic alert, as Alertmanager would send it: a group
 * of its own (a fresh groupKey, so it is never taken for a duplicate of an earlier test), alertname
 * AlertRouterTest and severity `info` unless the labels say otherwise.
 * @example testNotification({ severity: 'critical', team: 'ml' }, 'alert-router-test', new Date())
 */
export function testNotification(
  given: Readonly<Record<string, string>>,
  receiver: string,
  now: Date,
): WebhookPayload {
  const testId = randomUUID();
  const labels = { severity: 'info', ...given, alertname: TEST_ALERTNAME };
  const annotations = {
    summary: 'Test notification from alert-router send-test',
    description: `Sent by alert-router send-test (test id ${testId}) to check the path to each routed channel; no action is needed.`,
  };
  return {
    version: '4',
    groupKey: `{}:{alertname="${TEST_ALERTNAME}", test_id="${testId}"}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver,
    groupLabels: { alertname: TEST_ALERTNAME },
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: '',
    alerts: [
      {
        status: 'firing',
        labels,
        annotations,
        startsAt: now.toISOString(),
        endsAt: NOT_ENDED,
        generatorURL: '',
        fingerprint: randomBytes(8).toString('hex'),
      },
    ],
  };
}

/** The same notification resolved at `now`: what Alertmanager sends when the alert stops firing. */
export function resolutionOf(firing: WebhookPayload, now: Date): WebhookPayload {
  const endsAt = now.toISOString();
  return {
    ...firing,
    status: 'resolved',
    alerts: firing.alerts.map((a) => ({ ...a, status: 'resolved', endsAt })),
  };
}
