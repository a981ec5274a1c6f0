import { createHmac } from 'node:crypto';
import type { FakeSlack, SlackRequest } from './fake-slack.js';

export interface ClickOptions {
  readonly secret: string;
  /** The alert-router base URL. */
  readonly routerUrl: string;
  readonly user?: { id: string; username: string };
  readonly teamId?: string;
  /** Seconds since the epoch to sign with (default now): an old one is a replay. */
  readonly timestamp?: number;
  /** Changes the body after signing (an altered request). */
  readonly tamper?: (body: string) => string;
  /** Replaces the signature header. */
  readonly signature?: string;
  /** Overrides the block_id the click carries (a forged or unknown group ref). */
  readonly blockId?: string;
  /** The action_ts (Slack sends the same one when it retries a request). */
  readonly actionTs?: string;
  readonly responseId?: string;
}

export const TEST_USER = { id: 'U0TESTUSER', username: 'jane' };
export const TEST_TEAM = 'T0TESTTEAM';

type Block = { type: string; block_id?: string; elements?: Array<Record<string, unknown>> };

/** The current blocks of the message alert-router posted (after its updates). */
export function currentBlocks(slack: FakeSlack, post: SlackRequest): Block[] {
  const ts = slack.tsOf(post);
  const m = slack.message(ts);
  return (m?.blocks as Block[] | undefined) ?? [];
}

/** The element of the message's controls with this action_id, and the block that holds it. */
export function control(
  blocks: readonly Block[],
  actionId: string,
): { block: Block; element: Record<string, unknown> } | undefined {
  for (const block of blocks)
    for (const element of block.elements ?? []) if (element.action_id === actionId) return { block, element };
  return undefined;
}

let seq = 0;

/**
 * Clicks a control on a message the way Slack does: a `block_actions` payload (form field
 * `payload`, https://api.slack.com/reference/interaction-payloads/block-actions) signed with the
 * app's signing secret (`X-Slack-Signature: v0=HMAC-SHA256("v0:{ts}:{body}")`,
 * https://api.slack.com/authentication/verifying-requests-from-slack), POSTed to /slack/actions.
 * `value` is the selected option's value for a select (e.g. '4h').
 * @example await click(slack, post, 'ar-silence', { secret, routerUrl: router.url }, '4h')
 */
export async function click(
  slack: FakeSlack,
  post: SlackRequest,
  actionId: string,
  opts: ClickOptions,
  value?: string,
): Promise<{ status: number; body: string; ms: number; responseId: string }> {
  const ts = slack.tsOf(post);
  const message = slack.message(ts);
  const blocks = (message?.blocks as Block[] | undefined) ?? [];
  const found = control(blocks, actionId);
  // The controls' own block when this control is not drawn now (a tap on a copy not yet redrawn).
  const controls = blocks.find((b) => b.type === 'actions' && b.block_id?.startsWith('ar1:'));
  const user = opts.user ?? TEST_USER;
  const responseId = opts.responseId ?? `r${++seq}`;
  const action: Record<string, unknown> = {
    action_id: actionId,
    block_id: opts.blockId ?? found?.block.block_id ?? controls?.block_id ?? 'unknown-block',
    type: found?.element.type ?? 'button',
    action_ts: opts.actionTs ?? `${Date.now() / 1000}`,
    // A menu click may come from a copy of the message Slack has not redrawn yet (a double tap).
    ...(found?.element.type === 'static_select' || actionId === 'ar-silence'
      ? { selected_option: { text: { type: 'plain_text', text: value }, value } }
      : { value: found?.element.value ?? value ?? '' }),
  };
  const payload = {
    type: 'block_actions',
    team: { id: opts.teamId ?? TEST_TEAM, domain: 'test' },
    user: { id: user.id, username: user.username, name: user.username, team_id: opts.teamId ?? TEST_TEAM },
    api_app_id: 'A0TESTAPP',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: ts, channel_id: message?.channel, is_ephemeral: false },
    trigger_id: '1.2.3',
    channel: { id: message?.channel, name: 'alerts' },
    message: { type: 'message', ts, text: message?.text, blocks: message?.blocks },
    response_url: slack.responseUrl(responseId),
    actions: [action],
  };
  const signed = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const signature =
    opts.signature ??
    `v0=${createHmac('sha256', opts.secret).update(`v0:${timestamp}:${signed}`).digest('hex')}`;
  const body = opts.tamper ? opts.tamper(signed) : signed;
  const started = performance.now();
  const res = await fetch(`${opts.routerUrl}/slack/actions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signature,
    },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text, ms: performance.now() - started, responseId };
}
