import { truncate } from '../../lib/truncate.js';
import type { SlackBlock, SlackMessage } from './format-slack-message.js';
import { slackDate } from './slack-date.js';
import { escapeMrkdwn } from './slack-escape.js';

/** Who did what to one message's alert group, as stored with the message (one episode). */
export interface ActionState {
  readonly ack?: { readonly userId: string; readonly name: string; readonly at: number };
  readonly silence?: {
    readonly id: string;
    readonly userId: string;
    readonly name: string;
    readonly until: number;
    readonly hours: number;
  };
  /** The click that made this state (its clickId): a retry of that click finishes, not refuses. */
  readonly last?: string;
}

export interface ControlsView extends ActionState {
  /** The opaque id of the message's group (controlsRef); the worker looks the group up by it. */
  readonly ref: string;
  /** A resolved group shows who did what, and no controls. */
  readonly resolved: boolean;
  readonly now: number;
}

/** The action_ids of the interactive controls (the link buttons keep their own: runbook, source, ...). */
export const ACTION_IDS = {
  acknowledge: 'ar-acknowledge',
  silence: 'ar-silence',
  unsilence: 'ar-unsilence',
} as const;
export type ActionKind = keyof typeof ACTION_IDS;

/** The durations the Silence menu offers, in hours. */
export const SILENCE_HOURS = [1, 4, 24] as const;

const REF = /^ar1:([a-z0-9][a-z0-9_-]{0,62}):([0-9a-f]{64})$/;

/**
 * The block_id that carries a message's group: the configured channel's name and the group's hash.
 * An id, never labels: the matchers of a silence come from what alert-router stored for it.
 * @example controlsRef('slack-critical', groupHash(p.groupKey)) // 'ar1:slack-critical:9f2c…'
 */
export function controlsRef(channel: string, group: string): string {
  return `ar1:${channel}:${group}`;
}

export function parseControlsRef(blockId: string): { channel: string; group: string } | undefined {
  const m = REF.exec(blockId);
  return m ? { channel: m[1]!, group: m[2]! } : undefined;
}

const plain = (text: string): { type: 'plain_text'; text: string; emoji: true } => ({
  type: 'plain_text',
  text,
  emoji: true,
});

/** "Acknowledged by @jane Today 03:12 · Silenced for 4h by @sam, until Today 07:15", or nothing. */
export function actionStateLine(state: ActionState, now: number): string | undefined {
  const parts: string[] = [];
  if (state.ack)
    parts.push(
      `:eyes: Acknowledged by @${name(state.ack.name)} ${slackDate(new Date(state.ack.at).toISOString())}`,
    );
  if (state.silence) {
    const until = slackDate(new Date(state.silence.until).toISOString());
    parts.push(
      state.silence.until > now
        ? `:mute: Silenced for ${state.silence.hours}h by @${name(state.silence.name)}, until ${until}`
        : `:bell: The silence by @${name(state.silence.name)} ended ${until}`,
    );
  }
  return parts.length > 0 ? parts.join('  ·  ') : undefined;
}

function name(raw: string): string {
  return escapeMrkdwn(truncate(raw, 80));
}

function controls(view: ControlsView): SlackBlock[] {
  const elements: SlackBlock[] = [];
  if (!view.ack)
    elements.push({
      type: 'button',
      text: plain('Acknowledge'),
      action_id: ACTION_IDS.acknowledge,
      value: 'acknowledge',
      style: 'primary',
    });
  if (view.silence && view.silence.until > view.now)
    elements.push({
      type: 'button',
      text: plain('Unsilence'),
      action_id: ACTION_IDS.unsilence,
      value: 'unsilence',
    });
  else
    elements.push({
      type: 'static_select',
      action_id: ACTION_IDS.silence,
      placeholder: plain('Silence…'),
      options: SILENCE_HOURS.map((h) => ({ text: plain(`Silence ${h}h`), value: `${h}h` })),
    });
  return elements;
}

/**
 * The message with Slack actions added: who acknowledged or silenced it (a context line), and
 * the controls (Acknowledge, a Silence menu of 1/4/24 h or Unsilence) ahead of the link buttons in
 * one actions block whose block_id is the group's ref. A resolved group keeps the line and loses
 * the controls: nothing is left to act on.
 * @example withControls(formatSlackMessage(p, ctx, opts), { ref, resolved: false, now: Date.now() })
 */
export function withControls(message: SlackMessage, view: ControlsView): SlackMessage {
  const blocks = [...message.blocks];
  const last = blocks.at(-1);
  const links = last?.type === 'actions' ? (blocks.pop()!.elements as SlackBlock[]) : [];
  const line = actionStateLine(view, view.now);
  if (line) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: line }] });
  const elements = [...(view.resolved ? [] : controls(view)), ...links];
  if (elements.length > 0) blocks.push({ type: 'actions', block_id: view.ref, elements });
  return { text: message.text, blocks };
}
