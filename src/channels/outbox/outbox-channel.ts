import { groupName } from '../../alert/group-name.js';
import type { Channel, DeliveryReceipt } from '../channel.js';
import type { Delivery } from '../delivery.js';
import { renderAll, type RenderOptions } from '../render-all.js';
import type { OutboxStore } from './outbox-store.js';

/**
 * An email's HTML is bounded (email-view.ts: MAX_ALERTS and the truncations) but, for a group of hostile labels, still large;
 * past this the outbox keeps its text part only, so 200 entries stay a modest Redis list.
 */
const MAX_STORED_HTML = 256 * 1024;

/**
 * The development and demo channel: stores what Slack, PagerDuty and email *would* receive, shown at
 * GET /outbox, so a new user sees the whole path without any vendor credentials.
 */
export class OutboxChannel implements Channel {
  readonly kind = 'outbox' as const;

  constructor(
    readonly name: string,
    private readonly store: OutboxStore,
    private readonly opts: RenderOptions,
  ) {}

  async deliver(d: Delivery): Promise<DeliveryReceipt> {
    const { slack, pagerduty, email } = renderAll(d.payload, d.context, { ...this.opts, key: d.key });
    await this.store.push({
      at: new Date().toISOString(),
      channel: this.name,
      key: d.key,
      status: d.payload.status,
      alertname: groupName(d.payload) ?? '',
      alerts: d.payload.alerts.length,
      rendered: {
        slack,
        pagerduty,
        email: {
          subject: email.subject,
          text: email.text,
          ...(email.html.length <= MAX_STORED_HTML ? { html: email.html } : {}),
        },
      },
    });
    return { outcome: 'delivered', detail: 'stored in outbox' };
  }
}
