import type { WebClient } from '@slack/web-api';
import type { EqualMatcher, SilenceApi } from '../alertmanager/silence-api.js';
import { DeliveryError } from '../channels/delivery-error.js';
import type { OpenIncidents } from '../channels/pagerduty/open-incidents.js';
import { escapeMrkdwn } from '../channels/slack/slack-escape.js';
import { slackDate } from '../channels/slack/slack-date.js';
import { callSlack } from '../channels/slack/slack-errors.js';
import { parseControlsRef, withControls, type ActionState } from '../channels/slack/message-controls.js';
import type { SlackMessageState, SlackMessageStore } from '../channels/slack/slack-message-store.js';
import { truncate } from '../lib/truncate.js';
import type { ActionJobData } from './action-job.js';
import type { SilenceAllowList, SilencePermission } from './silence-allowed.js';

/** What the action worker acts with; built once by the composition root. */
export interface ClickDeps {
  readonly slack: { readonly client: WebClient; readonly store: SlackMessageStore };
  /** The configured Slack channels by name: their post rate and who may silence from them. */
  readonly channels: ReadonlyMap<
    string,
    { readonly postIntervalMs: number; readonly silenceAllowed?: SilenceAllowList }
  >;
  readonly permission: SilencePermission;
  readonly pagerduty: ReadonlyMap<
    string,
    { acknowledge(dedupKey: string, signal: AbortSignal): Promise<void> }
  >;
  readonly incidents: OpenIncidents;
  readonly silences: SilenceApi;
}

export interface ClickResult {
  readonly outcome: 'done' | 'refused';
  /** Told to the user privately (ephemeral), when there is something to tell. */
  readonly notice?: string;
  readonly detail: string;
}

const refused = (notice: string, detail: string): ClickResult => ({ outcome: 'refused', notice, detail });
const at = (ms: number): string => slackDate(new Date(ms).toISOString());
const who = (name: string): string => `@${escapeMrkdwn(truncate(name, 80))}`;

/**
 * One click, carried out under the group's lock (the one deliveries take, so a message update and
 * an action never interleave): check the message is still the group's current one, act
 * (Alertmanager, PagerDuty), record it with the message, redraw the message, reply in its thread.
 * Each step can be retried: the silence is found again by the click's marker, the state says
 * which click made it, and the reply is posted once.
 * Throws DeliveryError (retryable or not) or AlertmanagerError for the worker to sort out.
 */
export async function carryOutClick(
  job: ActionJobData,
  deps: ClickDeps,
  opts: { firstTry: boolean; signal: AbortSignal },
): Promise<ClickResult> {
  const ref = parseControlsRef(job.ref);
  const channel = ref ? deps.channels.get(ref.channel) : undefined;
  if (!ref || !channel)
    return refused('This message has no alert group that alert-router can act on.', 'unknown ref');
  const lease = await deps.slack.store.lock(ref.channel, ref.group);
  if (!lease)
    throw new DeliveryError('the alert group is being updated', { retryable: true, retryAfterMs: 500 });
  try {
    const state = await deps.slack.store.get(ref.channel, ref.group);
    if (!state || state.channel !== job.slackChannel || state.ts !== job.messageTs)
      return refused(
        'This message is no longer the current one for its alert group; act on the latest message.',
        'stale message',
      );
    const signal = AbortSignal.any([opts.signal, lease.signal]);
    const mine = state.actions.last === job.clickId;
    let actions = state.actions;
    let reply: string | undefined;
    let notice: string | undefined;
    if (!mine) {
      if (state.resolved)
        return refused(
          'This alert group has resolved: there is nothing left to acknowledge or silence.',
          'resolved',
        );
      const next = await act(job, state, ref, channel.silenceAllowed, deps, opts.firstTry, signal);
      if ('outcome' in next) return next;
      actions = next.actions;
      reply = next.reply;
      notice = next.notice;
      await deps.slack.store.set(ref.channel, ref.group, { actions });
    }
    if (state.rendered) {
      const message = withControls(state.rendered, {
        ...actions,
        ref: job.ref,
        resolved: false,
        now: Date.now(),
      });
      await callSlack(
        () =>
          deps.slack.client.chat.update({
            channel: state.channel,
            ts: state.ts,
            text: message.text,
            blocks: [...message.blocks],
          }),
        signal,
      );
    }
    // A redraw with nothing to announce (an ended silence) posts no reply.
    if (state.actionReply !== job.clickId && !(notice && !reply)) {
      await deps.slack.store.reservePost(ref.channel, channel.postIntervalMs);
      await callSlack(
        () =>
          deps.slack.client.chat.postMessage({
            channel: state.channel,
            thread_ts: state.ts,
            text: reply ?? replyFor(job, actions),
            unfurl_links: false,
          }),
        signal,
      );
      await deps.slack.store.set(ref.channel, ref.group, { actionReply: job.clickId });
    }
    return { outcome: 'done', detail: `${job.kind} by ${job.user.id}`, ...(notice ? { notice } : {}) };
  } finally {
    await lease.release();
  }
}

/** The new state and the thread reply that says it, or why nothing is done. */
async function act(
  job: ActionJobData,
  state: SlackMessageState,
  ref: { channel: string; group: string },
  allowList: SilenceAllowList | undefined,
  deps: ClickDeps,
  firstTry: boolean,
  signal: AbortSignal,
): Promise<{ actions: ActionState; reply?: string; notice?: string } | ClickResult> {
  const current = state.actions;
  const now = job.clickedAt;
  if (job.kind === 'acknowledge') {
    if (current.ack)
      return refused(
        `Already acknowledged by ${who(current.ack.name)} ${at(current.ack.at)}.`,
        'already acknowledged',
      );
    // The group's PagerDuty incidents share its dedup_key (sha256 of the groupKey), as Slack's group hash.
    const paged = await deps.incidents.channels(ref.group);
    for (const name of paged) await deps.pagerduty.get(name)?.acknowledge(ref.group, signal);
    const actions = {
      ...current,
      ack: { userId: job.user.id, name: job.user.name, at: now },
      last: job.clickId,
    };
    return { actions, reply: replyFor(job, actions, paged.length) };
  }
  if (!(await deps.permission.allowed(allowList, job.user.id)))
    return refused(
      'Sorry, you are not on the list of people who may silence alerts from this channel. Ask the on-call lead, or silence it in Alertmanager.',
      'not on the allow-list',
    );
  const active = current.silence && current.silence.until > Date.now() ? current.silence : undefined;
  if (job.kind === 'unsilence') {
    if (!active) {
      if (!current.silence) return refused('This alert group is not silenced from Slack.', 'not silenced');
      // The silence ran out by itself and the message still offers Unsilence: redraw it.
      const { silence: ended, ...rest } = current;
      return {
        actions: { ...rest, last: job.clickId },
        notice: `The silence by ${who(ended.name)} already ended ${at(ended.until)}; the message is up to date again.`,
      };
    }
    await deps.silences.expire(active.id);
    const { silence: _expired, ...rest } = current;
    return { actions: { ...rest, last: job.clickId }, reply: replyFor(job, rest) };
  }
  const hours = job.hours ?? 1;
  if (active && active.hours === hours)
    return refused(`Already silenced by ${who(active.name)} until ${at(active.until)}.`, 'already silenced');
  const matchers = groupMatchers(state.groupLabels);
  if (matchers.length === 0)
    return refused(
      'This alert group has no group labels (group_by: []), so a silence would match everything; silence it in Alertmanager.',
      'no group labels',
    );
  const until = now + hours * 3600_000;
  const created = await deps.silences.create(
    {
      matchers,
      startsAt: new Date(now),
      endsAt: new Date(until),
      createdBy: `${job.user.name} (${job.user.id})`,
      comment: `Silenced from Slack for ${hours}h: alert group ${state.groupKey} (alert-router click ${job.clickId})`,
    },
    job.clickId,
    !firstTry,
  );
  // A new length replaces the silence this message made before: one silence per group.
  if (active && active.id !== created.silenceId) await deps.silences.expire(active.id);
  const actions = {
    ...current,
    silence: { id: created.silenceId, userId: job.user.id, name: job.user.name, until, hours },
    last: job.clickId,
  };
  return { actions, reply: replyFor(job, actions) };
}

/** Exact-equality matchers from the group labels alert-router stored: never a regex, never payload text. */
function groupMatchers(groupLabels: Readonly<Record<string, string>>): EqualMatcher[] {
  return Object.keys(groupLabels)
    .sort()
    .map((name) => ({ name, value: groupLabels[name]! }));
}

function replyFor(job: ActionJobData, actions: ActionState, paged = 0): string {
  const by = who(job.user.name);
  switch (job.kind) {
    case 'acknowledge':
      return `:eyes: ${by} acknowledged this alert group${paged > 0 ? ' (and its PagerDuty incident)' : ''}.`;
    case 'silence':
      return `:mute: ${by} silenced this alert group for ${job.hours ?? 1}h, until ${at(actions.silence?.until ?? job.clickedAt)} (Alertmanager silence \`${actions.silence?.id ?? '?'}\`).`;
    case 'unsilence':
      return `:bell: ${by} removed the silence: Alertmanager notifies this alert group again.`;
  }
}
