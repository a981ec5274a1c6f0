import type { WebhookPayload } from '../../alert/webhook-payload.js';
import type { NotificationContext } from '../../alert/notification-context.js';
import { groupHash } from '../../alert/notification-key.js';
import type { LinkOptions } from '../../alert/alert-links.js';
import { groupTitle } from '../../alert/group-name.js';
import { truncate } from '../../lib/truncate.js';
import { emailHtml } from './email-html.js';
import { emailView, type EmailView, type LiveLine } from './email-view.js';

export interface EmailMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Threading headers: every message of a group refers to the same root id, so clients thread them. */
  readonly messageId: string;
  readonly references: string;
}

export interface EmailFormatOptions extends LinkOptions {
  readonly key: string;
  /** The domain of the Message-ID. */
  readonly domain: string;
  /** The time the message is written at (default now): "since 03:12 UTC (14 min)" counts from it. */
  readonly now?: number;
}

const liveText = (l: LiveLine): string =>
  `  ${l.name}: ${l.value}${l.threshold ? ` (fires when ${l.threshold})` : ''}${l.sparkline ? `  ${l.sparkline} (1h)` : ''}`;

/** The plain-text part: the same content as the HTML, in the same order, for any client. */
function emailText(v: EmailView): string {
  const block = (lines: Array<string | false | undefined>): string[] => {
    const kept = lines.filter((l): l is string => typeof l === 'string');
    return kept.length > 0 ? [...kept, ''] : [];
  };
  return [
    ...block([
      `${v.kicker} · ${v.title}`,
      v.summary,
      [v.when, v.count].filter(Boolean).join(' · '),
      v.unavailable,
    ]),
    ...block(v.description ? [v.description] : []),
    ...block(v.common.map(([k, val]) => `${k}: ${val}`)),
    ...v.runbooks.flatMap((rb) =>
      block([
        `First steps (runbook ${rb.name})${rb.summary ? `: ${rb.summary}` : ''}`,
        ...rb.steps.map((s, i) => `  ${i + 1}. ${s}`),
      ]),
    ),
    ...v.alerts.flatMap((a) =>
      block([
        a.heading ? `* [${a.status}] ${a.heading}` : a.live.length > 0 && 'Live values:',
        a.summary && `  ${a.summary}`,
        a.description && `  ${a.description}`,
        ...a.live.map(liveText),
        a.when && `  ${a.when}`,
      ]),
    ),
    ...block(v.more > 0 ? [`+${v.more} more alert(s)`] : []),
    // Under a heading of their own: a link's text is free (a dashboard's title), its URL has no space.
    ...block(v.links.length > 0 ? ['Links:', ...v.links.map((l) => `${l.text}: ${l.href}`)] : []),
    `-- \nalert-router · receiver ${v.receiver}`,
  ].join('\n');
}

/**
 * An incident email that reads like a page: a coloured status header, the group's shared labels
 * once, per alert only what differs, live values, the runbook's first steps and link buttons; the
 * text part says the same. The subject keeps one stem per group, which also threads by subject.
 * @example formatEmail(payload, context, { publicUrl, alertmanagerUrl, key, domain: 'alert-router.local' })
 */
export function formatEmail(
  p: WebhookPayload,
  context: NotificationContext | undefined,
  opts: EmailFormatOptions,
): EmailMessage {
  const firing = p.alerts.filter((a) => a.status === 'firing').length;
  const alertname = truncate(groupTitle(p), 200);
  const severity = truncate((p.commonLabels.severity ?? 'unknown').toUpperCase(), 50);
  const service = p.commonLabels.service ? ` (${truncate(p.commonLabels.service, 200)})` : '';
  const status = p.status === 'resolved' ? 'RESOLVED' : `FIRING:${firing}`;
  const subject = truncate(`[${status}] [${severity}] ${alertname}${service}`, 250).replace(/[\r\n]+/g, ' ');
  const view = emailView(p, context, { ...opts, now: opts.now ?? Date.now() });
  const group = groupHash(p.groupKey);
  return {
    subject,
    text: emailText(view),
    html: emailHtml(view, subject),
    messageId: `<${opts.key.slice(0, 32)}.${group.slice(0, 16)}@${opts.domain}>`,
    references: `<group-${group}@${opts.domain}>`,
  };
}
