import type { WebClient } from '@slack/web-api';
import { groupHash } from '../../alert/notification-key.js';
import type { Delivery } from '../delivery.js';
import type { Channel, DeliveryReceipt } from '../channel.js';
import { DeliveryError } from '../delivery-error.js';
import { describeChange, formatSlackMessage, type SlackFormatOptions } from './format-slack-message.js';
import { controlsRef, withControls, type ActionState } from './message-controls.js';
import { callSlack } from './slack-errors.js';
import type { SlackMessageStore } from './slack-message-store.js';

const alertStates = (d: Delivery): Record<string, string> =>
  Object.fromEntries(d.payload.alerts.map((a) => [a.fingerprint, a.status]));

/**
 * One Slack message per (channel, alert group): posted once, then updated in place with a short
 * thread reply per change. Each step records its progress in Redis, so a retry after a crash or a
 * 429 resumes where it stopped instead of posting twice.
 */
export class SlackChannel implements Channel {
  readonly kind = 'slack' as const;

  constructor(
    readonly name: string,
    private readonly target: string,
    private readonly client: WebClient,
    private readonly store: SlackMessageStore,
    private readonly format: SlackFormatOptions,
    private readonly postIntervalMs = 1000,
  ) {}

  async deliver(d: Delivery, signal: AbortSignal): Promise<DeliveryReceipt> {
    const group = groupHash(d.payload.groupKey);
    const lease = await this.store.lock(this.name, group);
    if (!lease)
      throw new DeliveryError('another delivery of this group is in progress', {
        retryable: true,
        retryAfterMs: 500,
      });
    try {
      // A lost lease stops us before the next Slack call: another worker may be delivering now.
      return await this.deliverLocked(d, group, AbortSignal.any([signal, lease.signal]));
    } finally {
      await lease.release();
    }
  }

  private async deliverLocked(d: Delivery, group: string, signal: AbortSignal): Promise<DeliveryReceipt> {
    const state = await this.store.get(this.name, group);
    const base = formatSlackMessage(d.payload, d.context, this.format);
    const resolved = d.payload.status === 'resolved';
    // With actions on, who acknowledged or silenced stays on the message through every update.
    const render = (actions: ActionState): typeof base =>
      this.format.interactive
        ? withControls(base, { ...actions, ref: controlsRef(this.name, group), resolved, now: Date.now() })
        : base;
    const newEpisode = state?.resolved === true && !resolved && state.key !== d.key;
    const groupFields = { groupKey: d.payload.groupKey, groupLabels: d.payload.groupLabels, rendered: base };
    if (!state || newEpisode) {
      const message = render({});
      await this.store.reservePost(this.name, this.postIntervalMs);
      const res = await callSlack(
        () =>
          this.client.chat.postMessage({
            channel: this.target,
            text: message.text,
            blocks: [...message.blocks],
            unfurl_links: false,
          }),
        signal,
      );
      if (!res.channel || !res.ts)
        throw new DeliveryError('slack returned no channel/ts', { retryable: false });
      const alerts = alertStates(d);
      await this.store.set(this.name, group, {
        channel: res.channel,
        ts: res.ts,
        key: d.key,
        replyKey: d.key,
        receivedAt: d.receivedAt,
        resolved,
        alerts,
        prevAlerts: alerts,
        ...groupFields,
        // A new episode starts unacknowledged and unsilenced.
        actions: {},
        actionReply: '',
      });
      return { outcome: 'delivered', detail: `posted ${res.ts}` };
    }
    if (state.key !== d.key && d.receivedAt < state.receivedAt) {
      return { outcome: 'skipped', detail: 'a newer notification of this group is already shown' };
    }
    if (state.key !== d.key) {
      const message = render(state.actions);
      await callSlack(
        () =>
          this.client.chat.update({
            channel: state.channel,
            ts: state.ts,
            text: message.text,
            blocks: [...message.blocks],
          }),
        signal,
      );
      await this.store.set(this.name, group, {
        key: d.key,
        receivedAt: d.receivedAt,
        resolved,
        alerts: alertStates(d),
        prevAlerts: state.alerts,
        ...groupFields,
      });
    }
    if (state.replyKey !== d.key) {
      const prev = state.key === d.key ? state.prevAlerts : state.alerts;
      await this.store.reservePost(this.name, this.postIntervalMs);
      await callSlack(
        () =>
          this.client.chat.postMessage({
            channel: state.channel,
            thread_ts: state.ts,
            text: describeChange(prev, d.payload, d.context),
            unfurl_links: false,
          }),
        signal,
      );
      await this.store.set(this.name, group, { replyKey: d.key });
    }
    return { outcome: 'delivered', detail: `updated ${state.ts}` };
  }
}
