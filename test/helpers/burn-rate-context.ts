import type { NotificationContext } from '../../src/alert/notification-context.js';
import type { WebhookPayload } from '../../src/alert/webhook-payload.js';

type Value = { name: string; value: string; unit?: string; threshold?: string };

/**
 * Live context as enrichment builds it for a multi-window burn-rate alert: each window's value
 * with the threshold it is compared against, then any runbook values (`more`).
 */
export function burnRateContext(p: WebhookPayload, more: Value[] = []): NotificationContext {
  const live = {
    value: '16.2',
    values: [
      { name: 'slo:burn_rate:5m', value: '16.2', threshold: '> 14.4' },
      { name: 'slo:burn_rate:30m', value: '3', threshold: '> 6' },
      ...more,
    ],
  };
  return { available: true, alerts: { [p.alerts[0]!.fingerprint]: live }, runbooks: {} };
}
