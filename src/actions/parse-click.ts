import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ActionJobData, ActionKind } from './action-job.js';

/** The action_ids the controls carry (message-controls.ts); any other click (a link button) is ignored. */
const KINDS: Readonly<Record<string, ActionKind>> = {
  'ar-acknowledge': 'acknowledge',
  'ar-silence': 'silence',
  'ar-unsilence': 'unsilence',
};

const id = z.string().min(1).max(64);
// The fields of a block_actions payload we read (https://api.slack.com/reference/interaction-payloads/block-actions);
// everything else in it (the whole message, the state) is ignored, not trusted.
const blockActions = z.object({
  type: z.literal('block_actions'),
  team: z.object({ id }).nullable().optional(),
  user: z.object({
    id,
    username: z.string().max(200).optional(),
    name: z.string().max(200).optional(),
  }),
  container: z.object({ message_ts: z.string().min(1).max(64), channel_id: id }).passthrough(),
  response_url: z.string().max(2000).optional(),
  actions: z
    .array(
      z
        .object({
          action_id: z.string().max(255),
          block_id: z.string().max(255).default(''),
          action_ts: z.string().max(64).default(''),
          value: z.string().max(2000).optional(),
          selected_option: z
            .object({ value: z.string().max(150) })
            .nullable()
            .optional(),
        })
        .passthrough(),
    )
    .min(1)
    .max(10),
});

export type ParsedClick =
  | {
      readonly status: 'click';
      readonly teamId: string | undefined;
      readonly responseUrl: string | undefined;
      readonly job: ActionJobData;
    }
  /** Valid Slack, not ours to act on (another payload type, a link button): answered 200, nothing done. */
  | { readonly status: 'ignored'; readonly reason: string }
  | { readonly status: 'invalid'; readonly reason: string }
  /** Signed with our secret but from another workspace than SLACK_TEAM_ID. */
  | { readonly status: 'wrong_team' };

const HOURS = /^(1|4|24)h$/;

/**
 * The interaction payload (the form field `payload`, JSON) as one action job, or why not.
 * With `teamId`, a payload from any other workspace is `wrong_team`, whatever its type.
 * @example parseClick(new URLSearchParams(rawBody).get('payload'), Date.now(), 'T0123')
 */
export function parseClick(raw: string | null, now: number, teamId?: string): ParsedClick {
  if (raw === null) return { status: 'invalid', reason: 'no payload field' };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { status: 'invalid', reason: 'payload is not JSON' };
  }
  const team = (json as { team?: { id?: unknown } | null } | null)?.team?.id;
  if (teamId !== undefined && team !== teamId) return { status: 'wrong_team' };
  const type = (json as { type?: unknown } | null)?.type;
  if (type !== 'block_actions')
    return {
      status: 'ignored',
      reason: `payload type ${typeof type === 'string' ? type.slice(0, 40) : 'unknown'}`,
    };
  const parsed = blockActions.safeParse(json);
  if (!parsed.success) return { status: 'invalid', reason: 'not a block_actions payload we can read' };
  const p = parsed.data;
  const action = p.actions[0]!;
  const kind = KINDS[action.action_id];
  if (!kind) return { status: 'ignored', reason: `action ${action.action_id.slice(0, 40)}` };
  let hours: number | undefined;
  if (kind === 'silence') {
    const m = HOURS.exec(action.selected_option?.value ?? '');
    if (!m) return { status: 'invalid', reason: 'silence needs 1h, 4h or 24h' };
    hours = Number(m[1]);
  }
  // Slack sends a retried request with the same action_ts: one click, one id.
  const clickId = createHash('sha256')
    .update(
      JSON.stringify([
        p.team?.id ?? '',
        p.user.id,
        p.container.channel_id,
        p.container.message_ts,
        action.action_id,
        action.block_id,
        action.action_ts,
        hours ?? 0,
      ]),
    )
    .digest('hex')
    .slice(0, 40);
  return {
    status: 'click',
    teamId: p.team?.id,
    responseUrl: p.response_url,
    job: {
      clickId,
      kind,
      ref: action.block_id,
      slackChannel: p.container.channel_id,
      messageTs: p.container.message_ts,
      user: { id: p.user.id, name: p.user.username ?? p.user.name ?? p.user.id },
      ...(hours !== undefined ? { hours } : {}),
      clickedAt: now,
    },
  };
}
