import type { WebClient } from '@slack/web-api';
import { DeliveryError } from '../delivery-error.js';
import { formatStormDigest } from './format-storm-digest.js';
import { callSlack } from './slack-errors.js';
import type { SlackMessageStore } from './slack-message-store.js';
import type { StormPolicy, StormStore } from './storm-store.js';

/** Asks for a digest refresh or an end-of-storm check later (a delayed job; runtime provides it). */
export interface StormScheduler {
  /** Refresh the digest at the next multiple of `intervalMs`: changes in between share one update. */
  refresh(channel: string, storm: string, intervalMs: number): Promise<void>;
  /** Check at `atMs` whether the storm has been quiet long enough to end. */
  endCheck(channel: string, storm: string, atMs: number): Promise<void>;
}

/** Counted by the runtime (metrics); the channel only reports. */
export interface StormEvents {
  started(channel: string): void;
  ended(channel: string): void;
  folded(channel: string): void;
}

/** Everything a Slack channel needs for storm mode. */
export interface StormMode {
  readonly policy: StormPolicy;
  readonly store: StormStore;
  readonly schedule: StormScheduler;
  readonly events: StormEvents;
}

export interface DigestTarget {
  /** The configured channel name and the Slack channel it posts to. */
  readonly name: string;
  readonly target: string;
  readonly postIntervalMs: number;
  readonly publicUrl: string;
  readonly client: WebClient;
  readonly messages: SlackMessageStore;
}

/**
 * Brings the storm's digest message up to date: posts it the first time (taking the channel's post
 * slot like any message), then updates it in place, never more often than the storm's digest
 * interval. Renders from Redis each time, so a refresh that waited (a 429, a busy worker) shows
 * everything that happened meanwhile: nothing is lost by skipping intermediate states.
 */
export async function refreshDigest(
  to: DigestTarget,
  storms: StormMode,
  id: string,
  signal: AbortSignal,
): Promise<'posted' | 'updated' | 'unchanged'> {
  const lease = await storms.store.lock(id, 30_000);
  if (!lease)
    throw new DeliveryError('another refresh of this digest is in progress', {
      retryable: true,
      retryAfterMs: 500,
    });
  try {
    const both = AbortSignal.any([signal, lease.signal]);
    const state = await storms.store.digestState(id);
    if (state.renderedVersion === state.version) return 'unchanged';
    const intervalMs = storms.policy.digestIntervalSeconds * 1000;
    const waitMs = state.updatedAt + intervalMs - Date.now();
    if (waitMs > 0)
      throw new DeliveryError('digest updated moments ago', { retryable: true, retryAfterMs: waitMs });
    const view = await storms.store.storm(id);
    if (!view) return 'unchanged';
    const message = formatStormDigest(view, to.publicUrl);
    if (!view.message) {
      await to.messages.reservePost(to.name, to.postIntervalMs);
      const res = await callSlack(
        () =>
          to.client.chat.postMessage({
            channel: to.target,
            text: message.text,
            blocks: [...message.blocks],
            unfurl_links: false,
          }),
        both,
      );
      if (!res.channel || !res.ts)
        throw new DeliveryError('slack returned no channel/ts', { retryable: false });
      await storms.store.setMessage(id, { channel: res.channel, ts: res.ts });
    } else {
      await callSlack(
        () =>
          to.client.chat.update({
            channel: view.message!.channel,
            ts: view.message!.ts,
            text: message.text,
            blocks: [...message.blocks],
          }),
        both,
      );
    }
    await storms.store.setRendered(id, state.version, Date.now());
    // A change while this ran whose refresh landed on this very job (a replica's clock ahead of
    // ours) would otherwise wait for the next change, which may never come.
    if ((await storms.store.digestState(id)).version !== state.version)
      await storms.schedule.refresh(to.name, id, intervalMs);
    return view.message ? 'updated' : 'posted';
  } finally {
    await lease.release();
  }
}
