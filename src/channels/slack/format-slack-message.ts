import type { Alert, WebhookPayload } from '../../alert/webhook-payload.js';
import type { AlertContext, NotificationContext } from '../../alert/notification-context.js';
import { alertRunbookUrl, messageLinks, sourceUrl, type LinkOptions } from '../../alert/alert-links.js';
import { orderedAlerts } from '../../alert/alert-order.js';
import { groupTitle } from '../../alert/group-name.js';
import { KEY_LABELS } from '../../alert/key-labels.js';
import { valueText } from '../../alert/format-value.js';
import { firedForSeconds, groupFiringWindow } from '../../alert/firing-time.js';
import { formatDuration, historyText } from '../../alert/format-duration.js';
import { truncate } from '../../lib/truncate.js';
import { escapeMrkdwn, slackCode, slackLink, truncateMrkdwn } from './slack-escape.js';
import { slackDate } from './slack-date.js';
import { own } from '../../lib/own.js';

/** A Block Kit block: `type` plus whatever that block type takes. */
export type SlackBlock = { type: string } & Record<string, unknown>;

export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

export interface SlackFormatOptions extends LinkOptions {
  /** Alerts listed one by one before "and N more" (`slack.maxAlertsShown`). */
  readonly maxAlertsShown: number;
  /**
   * Slack actions are on (SLACK_SIGNING_SECRET): the Silence menu (message-controls.ts) takes the
   * place of the Silence link.
   */
  readonly interactive?: boolean;
}

// Block Kit limits (50 blocks, 3,000-char sections, 150-char headers) with margins.
const SECTION_MAX = 2900;
const HEADER_MAX = 148;
// A button's text is at most 75 characters (https://api.slack.com/reference/block-kit/block-elements#button).
const BUTTON_TEXT_MAX = 75;
// A link inside section text: two of them plus the time must leave room for the alert itself.
const LINK_MAX = 1000;

/** The emoji of a severity, for every Slack message of ours (look it up with `own`). */
export const SEVERITY_ICON: Record<string, string> = {
  critical: ':red_circle:',
  error: ':red_circle:',
  warning: ':large_orange_circle:',
  info: ':large_blue_circle:',
};

function headerText(p: WebhookPayload): string {
  const firing = p.alerts.filter((a) => a.status === 'firing').length;
  const severity = (p.commonLabels.severity ?? 'unknown').toUpperCase();
  const name = groupTitle(p);
  const status = p.status === 'resolved' ? 'RESOLVED' : `FIRING ${firing}/${p.alerts.length}`;
  return truncate(`${status} [${severity}] ${name}`, HEADER_MAX);
}

/** The firing alert's live figures: its value against the threshold, trend, and each window. */
function liveLines(live: AlertContext | undefined): string[] {
  const lines: string[] = [];
  if (live?.value !== undefined)
    lines.push(
      `Now: *${escapeMrkdwn(live.value)}*${live.threshold ? ` (fires when ${escapeMrkdwn(live.threshold)})` : ''}${live.sparkline ? `  ${slackCode(live.sparkline)} 1h` : ''}`,
    );
  for (const v of live?.values ?? [])
    lines.push(
      `${escapeMrkdwn(v.name)}: *${escapeMrkdwn(valueText(v))}*${v.history ? ` ${historyText(v.history)}` : ''}${v.threshold ? ` (fires when ${escapeMrkdwn(v.threshold)})` : ''}`,
    );
  return lines;
}

/** "Fired for 12m 5s, peak 5.87 %": from the payload's times and the enriched peak, each when known. */
function resolvedLine(
  alert: Pick<Alert, 'status' | 'startsAt' | 'endsAt'>,
  live: AlertContext | undefined,
): string | undefined {
  const seconds = live?.resolved?.firedForSeconds ?? firedForSeconds(alert);
  const peak = live?.resolved?.peak;
  const parts = [
    ...(seconds !== undefined ? [`fired for *${formatDuration(seconds)}*`] : []),
    ...(peak ? [`${live?.resolved?.peakKind === 'lowest' ? 'lowest' : 'peak'} *${escapeMrkdwn(peak)}*`] : []),
  ];
  const text = parts.join(', ');
  return text ? text[0]!.toUpperCase() + text.slice(1) : undefined;
}

function alertSection(alert: Alert, context: NotificationContext | undefined, publicUrl: string): SlackBlock {
  const icon = alert.status === 'firing' ? ':fire:' : ':white_check_mark:';
  const summary = alert.annotations.summary ?? alert.labels.alertname ?? 'alert';
  const lines = [`${icon} *${escapeMrkdwn(truncate(summary, 300))}*`];
  if (alert.annotations.description) lines.push(escapeMrkdwn(truncate(alert.annotations.description, 1000)));
  const labels = Object.entries(alert.labels)
    .filter(([k]) => k !== 'alertname' && k !== 'severity')
    .slice(0, 12)
    .map(([k, v]) => `${truncate(k, 100)}=${truncate(v, 100)}`)
    .join(', ');
  if (labels) lines.push(slackCode(labels));
  const live = own(context?.alerts, alert.fingerprint);
  const resolved = alert.status === 'resolved';
  // A resolved alert says what happened; the value against its threshold and the first steps
  // matter only while it fires, and would read as if it still did.
  if (resolved) {
    const what = resolvedLine(alert, live);
    if (what) lines.push(what);
  } else {
    lines.push(...liveLines(live));
  }
  const runbook = own(context?.runbooks, alert.labels.alertname ?? '');
  if (runbook?.summary) lines.push(`:book: ${escapeMrkdwn(truncate(runbook.summary, 300))}`);
  if (!resolved)
    runbook?.firstSteps
      ?.slice(0, 3)
      .forEach((s, i) => lines.push(`${i + 1}. ${escapeMrkdwn(truncate(s, 200))}`));
  // Measured escaped: a URL of many `&` grows fivefold.
  const links = [alertRunbookUrl(alert, publicUrl, context?.runbooks), sourceUrl(alert)]
    .map((url, i) => (url ? slackLink(url, i === 0 ? 'runbook' : 'graph') : ''))
    .filter((link) => link && link.length < LINK_MAX);
  const when = resolved
    ? `fired ${slackDate(alert.startsAt)}, resolved ${slackDate(alert.endsAt)}`
    : `since ${slackDate(alert.startsAt)}`;
  const tail = [...links, when].join(' · ');
  // The links line is kept whole; whatever is too long above it is cut where no entity, link or
  // code span breaks.
  const text = `${truncateMrkdwn(lines.join('\n'), SECTION_MAX - tail.length - 1)}\n${tail}`;
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/**
 * Block Kit message for one alert group: status and severity at a glance, key labels, the first
 * few alerts, "+N more", and buttons to runbook, silence and source. At most 8 + maxAlertsShown
 * blocks whatever the group size, so it stays under Slack's 50.
 */
export function formatSlackMessage(
  p: WebhookPayload,
  context: NotificationContext | undefined,
  opts: SlackFormatOptions,
): SlackMessage {
  const alerts = orderedAlerts(p);
  const shown = alerts.slice(0, opts.maxAlertsShown);
  const header = headerText(p);
  const fields = KEY_LABELS.filter((k) => p.commonLabels[k] !== undefined)
    .slice(0, 10)
    .map((k) => ({
      type: 'mrkdwn',
      text: truncateMrkdwn(`*${k}*\n${escapeMrkdwn(p.commonLabels[k]!)}`, 1900),
    }));
  const blocks: SlackBlock[] = [{ type: 'header', text: { type: 'plain_text', text: header, emoji: true } }];
  const severityIcon =
    p.status === 'resolved'
      ? ':large_green_circle:'
      : (own(SEVERITY_ICON, p.commonLabels.severity ?? '') ?? ':white_circle:');
  const summary = p.commonAnnotations.summary ?? alerts[0]?.annotations.summary ?? '';
  blocks.push({
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: truncateMrkdwn(
        `${severityIcon} ${escapeMrkdwn(summary) || `${alerts.length} alert(s)`}`,
        SECTION_MAX,
      ),
    },
    ...(fields.length > 0 ? { fields } : {}),
  });
  if (context && !context.available) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `:warning: live context unavailable${context.reason ? `: ${escapeMrkdwn(truncate(context.reason, 200))}` : ''}`,
        },
      ],
    });
  }
  blocks.push({ type: 'divider' });
  for (const alert of shown) blocks.push(alertSection(alert, context, opts.publicUrl));
  const hidden = alerts.length - shown.length + p.truncatedAlerts;
  if (hidden > 0)
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `+${hidden} more alert(s) in this group` }],
    });
  // action_ids must be unique in a block: the second runbook or dashboard is `runbook-2`.
  // Nothing is left to silence once the whole group has resolved; with actions on, the Silence
  // menu silences from Slack itself.
  const links = messageLinks(p, opts, context?.runbooks).filter(
    (l) => l.kind !== 'silence' || (p.status !== 'resolved' && !opts.interactive),
  );
  const actions = links.map((l, i, all) => {
    const nth = all.slice(0, i).filter((o) => o.kind === l.kind).length + 1;
    return {
      type: 'button',
      text: { type: 'plain_text', text: truncate(l.text, BUTTON_TEXT_MAX) },
      url: l.href,
      action_id: nth === 1 ? l.kind : `${l.kind}-${nth}`,
    };
  });
  if (actions.length > 0) blocks.push({ type: 'actions', elements: actions });
  // `text` is the notification/fallback line: escaped too, since Slack parses it as mrkdwn.
  return { text: escapeMrkdwn(`${header}: ${truncate(summary, 500)}`), blocks };
}

/**
 * "All alerts in this group are resolved at <date>. Fired for 25m 53s." over the group's span,
 * first start to last end; the peak only for a group of one (several series' peaks are not one
 * figure).
 */
function resolvedGroupLine(p: WebhookPayload, context: NotificationContext | undefined): string {
  const span = groupFiringWindow(p.alerts);
  const at = span ? ` at ${slackDate(new Date(span.to).toISOString())}` : '';
  const only = p.alerts.length === 1 ? p.alerts[0] : undefined;
  let what: string | undefined;
  if (only) what = resolvedLine(only, own(context?.alerts, only.fingerprint));
  else if (span) what = `Fired for *${formatDuration((span.to - span.from) / 1000)}*`;
  return `All alerts in this group are resolved${at}.${what ? ` ${what}.` : ''}`;
}

/**
 * "What changed" for the thread reply under an updated message; when the whole group resolves,
 * when, how long it fired, and for a single alert its peak (from `context`, when known).
 */
export function describeChange(
  previous: Readonly<Record<string, string>>,
  p: WebhookPayload,
  context?: NotificationContext,
): string {
  const name = (a: Alert): string =>
    escapeMrkdwn(truncate(a.labels.instance ?? a.labels.alertname ?? a.fingerprint, 100));
  const newFiring = p.alerts.filter(
    (a) => a.status === 'firing' && own(previous, a.fingerprint) !== 'firing',
  );
  const resolved = p.alerts.filter(
    (a) => a.status === 'resolved' && own(previous, a.fingerprint) !== 'resolved',
  );
  const list = (as: Alert[]): string =>
    as.slice(0, 5).map(name).join(', ') + (as.length > 5 ? ` and ${as.length - 5} more` : '');
  const parts: string[] = [];
  if (newFiring.length) parts.push(`:fire: ${newFiring.length} now firing: ${list(newFiring)}`);
  if (resolved.length) parts.push(`:white_check_mark: ${resolved.length} resolved: ${list(resolved)}`);
  if (p.status === 'resolved') parts.push(resolvedGroupLine(p, context));
  return parts.join('\n') || 'Group updated.';
}
