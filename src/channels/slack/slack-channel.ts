import type { WebClient } from '@slack/web-api';
import { groupHash } from '../../alert/notification-key.js';
import type { Delivery } from '../delivery.js';
import type { Channel, DeliveryReceipt } from '../channel.js';
import { DeliveryError } from '../delivery-error.js';
import { describeChange, formatSlackMessage, type SlackFormatOptions } from './format-slack-message.js';
import { controlsRef, withControls, type ActionState } from './message-controls.js';
import { callSlack } from './slack-errors.js';
import type { SlackMessageStore } from './slack-message-store.js';
import { stormEntry } from './storm-entry.js';
import { refreshDigest, type StormMode } from './storm-digest.js';

const alertStates = (d: Delivery): Record<string, string> =>
  Object.fromEntries(d.payload.alerts.map((a) => [a.fingerprint, a.status]));

/**
 * One Slack message per (channel, alert group): posted once, then updated in place with a short
 * thread reply per change. Each step records its progress in Redis, so a retry after a crash or a
 * 429 resumes where it stopped instead of posting twice. In a storm (storm mode, docs/storms.md)
 * the groups beyond the channel's threshold join the storm's one digest message instead.
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
    private readonly storms?: StormMode,
  ) {}

  /** Brings a storm's digest up to date (the digest job calls this). */
  refreshDigest(storm: string, signal: AbortSignal): Promise<'posted' | 'updated' | 'unchanged'> {
    if (!this.storms) throw new DeliveryError('storm mode is off for this channel', { retryable: false });
    const to = {
      name: this.name,
      target: this.target,
      postIntervalMs: this.postIntervalMs,
      publicUrl: this.format.publicUrl,
      client: this.client,
      messages: this.store,
    };
    return refreshDigest(to, this.storms, storm, signal);
  }

  /** Ends the storm if no new group joined for the quiet period, then finalises its digest. */
  async endStormIfQuiet(storm: string, signal: AbortSignal): Promise<boolean> {
    if (!this.storms) return false;
    const ended = await this.storms.store.endIfQuiet(storm, this.name, this.storms.policy);
    if (ended) this.storms.events.ended(this.name);
    // Also on a retry after the storm ended: the first try's refresh may have had to wait.
    if (ended || (await this.storms.store.isOver(storm))) await this.refreshDigest(storm, signal);
    return ended;
  }

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
    const inStorm = this.storms ? await this.stormDelivery(this.storms, d, group) : undefined;
    if (inStorm) return inStorm;
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
      if (this.storms) {
        const joined = await this.admit(this.storms, d, group);
        if (joined) return joined;
      }
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
        repliedAlerts: alerts,
        ...groupFields,
        // A new episode starts unacknowledged and unsilenced.
        actions: {},
        actionReply: '',
      });
      // Posted: the group's next episode is a new group for storm detection again.
      await this.storms?.store.forget(this.name, group);
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
        ...groupFields,
      });
    }
    if (state.replyKey !== d.key) {
      const prev = state.repliedAlerts;
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
      await this.store.set(this.name, group, { replyKey: d.key, repliedAlerts: alertStates(d) });
    }
    return { outcome: 'delivered', detail: `updated ${state.ts}` };
  }

  /**
   * A group already folded into a storm: its news updates the digest, not a message. The one way
   * out is a new episode after the storm is over (the group had resolved): then it is a new group.
   */
  private async stormDelivery(
    storms: StormMode,
    d: Delivery,
    group: string,
  ): Promise<DeliveryReceipt | undefined> {
    const id = await storms.store.foldedInto(this.name, group);
    if (!id) return undefined;
    const prev = await storms.store.entry(id, group);
    if (d.payload.status === 'firing' && prev?.status === 'resolved' && (await storms.store.isOver(id))) {
      await storms.store.forget(this.name, group);
      return undefined;
    }
    if (prev && d.receivedAt < prev.receivedAt)
      return { outcome: 'skipped', detail: 'a newer notification of this group is already in the digest' };
    await this.joinStorm(storms, id, d, prev?.joinedAt ?? Date.now());
    return { outcome: 'delivered', detail: `updated in storm digest ${id}` };
  }

  /** A new group (or episode): its own message as before, unless the channel is in a storm. */
  private async admit(storms: StormMode, d: Delivery, group: string): Promise<DeliveryReceipt | undefined> {
    const admission = await storms.store.admit(this.name, group, storms.policy);
    if (admission.ended) {
      storms.events.ended(this.name);
      await storms.schedule.refresh(this.name, admission.ended, storms.policy.digestIntervalSeconds * 1000);
    }
    if (admission.kind === 'own') return undefined;
    if (admission.started) storms.events.started(this.name);
    const now = Date.now();
    // First, so a retry after a failure below (which comes back through stormDelivery) still has it.
    await storms.schedule.endCheck(this.name, admission.id, now + storms.policy.quietSeconds * 1000);
    const prev = await storms.store.entry(admission.id, group);
    await this.joinStorm(storms, admission.id, d, prev?.joinedAt ?? now);
    if (!prev) storms.events.folded(this.name);
    return { outcome: 'delivered', detail: `folded into storm digest ${admission.id}` };
  }

  private async joinStorm(storms: StormMode, id: string, d: Delivery, joinedAt: number): Promise<void> {
    await storms.store.upsert(id, this.name, stormEntry(d, this.format, joinedAt));
    await storms.schedule.refresh(this.name, id, storms.policy.digestIntervalSeconds * 1000);
  }
}
