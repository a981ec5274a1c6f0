import type { DeliveryJobData } from '../../queue/job-types.js';
import type { Channel, DeliveryReceipt } from '../channel.js';
import { formatEmail } from '../email/format-email.js';
import { formatPagerDutyEvent } from '../pagerduty/format-pagerduty-event.js';
import { formatSlackMessage } from '../slack/format-slack-message.js';
import type { OutboxStore } from './outbox-store.js';

/**
 * The development and demo channel: stores what Slack, PagerDuty and email *would* receive, shown at
 * GET /outbox, so a new user sees the whole path without any vendor credentials.
 */
export class OutboxChannel implements Channel {
  readonly kind = 'outbox' as const;

  constructor(
    readonly name: string,
    private readonly store: OutboxStore,
    private readonly opts: { publicUrl: string; alertmanagerUrl: string | undefined; maxAlertsShown: number },
  ) {}

  async deliver(d: DeliveryJobData): Promise<DeliveryReceipt> {
    const email = formatEmail(d.payload, d.context, {
      ...this.opts,
      key: d.key,
      domain: 'alert-router.local',
    });
    await this.store.push({
      at: new Date().toISOString(),
      channel: this.name,
      key: d.key,
      status: d.payload.status,
      alertname: d.payload.commonLabels.alertname ?? d.payload.alerts[0]?.labels.alertname ?? '',
      alerts: d.payload.alerts.length,
      rendered: {
        slack: formatSlackMessage(d.payload, d.context, this.opts),
        pagerduty: formatPagerDutyEvent(d.payload, d.context, this.opts),
        email: { subject: email.subject, text: email.text },
      },
    });
    return { outcome: 'delivered', detail: 'stored in outbox' };
  }
}
