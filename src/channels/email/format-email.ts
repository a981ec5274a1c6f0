import type { Alert, WebhookPayload } from '../../alert/webhook-payload.js';
import type { NotificationContext } from '../../alert/notification-context.js';
import { groupHash } from '../../alert/notification-key.js';
import { groupLinks, type LinkOptions } from '../../alert/alert-links.js';
import { orderedAlerts } from '../../alert/alert-order.js';
import { groupTitle } from '../../alert/group-name.js';
import { truncate } from '../../lib/truncate.js';
import { escapeHtml } from '../../lib/html-escape.js';
import { own } from '../../lib/own.js';

export interface EmailMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Threading headers: every message of a group refers to the same root id, so clients thread them. */
  readonly messageId: string;
  readonly references: string;
}

const MAX_ALERTS = 50;
const LINK_TEXT = { runbook: 'Runbook', silence: 'Silence', source: 'Source' } as const;

/** Live value, trend, context values and runbook first steps of one alert, as plain lines. */
function liveLines(context: NotificationContext | undefined, a: Alert): string[] {
  const live = own(context?.alerts, a.fingerprint);
  const lines: string[] = [];
  if (live?.value !== undefined)
    lines.push(
      `  now: ${live.value}${live.threshold ? ` (fires when ${live.threshold})` : ''}${live.sparkline ? `  ${live.sparkline} (1h)` : ''}`,
    );
  for (const v of live?.values ?? [])
    lines.push(
      `  ${v.name}: ${v.value}${v.unit ? ` ${v.unit}` : ''}${v.threshold ? ` (fires when ${v.threshold})` : ''}`,
    );
  return lines;
}

/** Each runbook's summary and first steps once per message (not once per alert). */
function runbookLines(context: NotificationContext | undefined): string[] {
  return Object.entries(context?.runbooks ?? {})
    .slice(0, 3)
    .flatMap(([name, rb]) => [
      ...(rb.summary ? [`Runbook ${name}: ${truncate(rb.summary, 300)}`] : []),
      ...(rb.firstSteps ?? []).slice(0, 3).map((s, i) => `  ${i + 1}. ${truncate(s, 200)}`),
    ]);
}

/**
 * Subject with status, severity, alertname and count; HTML and text bodies with the same content.
 * @example formatEmail(payload, undefined, { publicUrl, alertmanagerUrl, key, domain: 'alert-router.local' })
 */
export function formatEmail(
  p: WebhookPayload,
  context: NotificationContext | undefined,
  opts: LinkOptions & { readonly key: string; readonly domain: string },
): EmailMessage {
  const alerts = orderedAlerts(p);
  const firing = alerts.filter((a) => a.status === 'firing').length;
  const alertname = truncate(groupTitle(p), 200);
  const severity = truncate((p.commonLabels.severity ?? 'unknown').toUpperCase(), 50);
  const service = p.commonLabels.service ? ` (${truncate(p.commonLabels.service, 200)})` : '';
  const status = p.status === 'resolved' ? 'RESOLVED' : `FIRING:${firing}`;
  // Same subject stem for every message of the group also helps clients that thread by subject.
  const subject = truncate(`[${status}] [${severity}] ${alertname}${service}`, 250).replace(/[\r\n]+/g, ' ');
  const links = groupLinks(p, opts).map((l) => [LINK_TEXT[l.kind], l.href] as const);
  // Every part is bounded: SMTP servers refuse large messages (Postfix: 10 MB by default), and the
  // HTML copy can be six times the text once escaped.
  const shown = alerts.slice(0, MAX_ALERTS).map((a) => ({
    status: a.status,
    summary: truncate(a.annotations.summary ?? a.labels.alertname ?? '', 300),
    description: truncate(a.annotations.description ?? '', 2000),
    labels: truncate(
      Object.entries(a.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(', '),
      1000,
    ),
    since: truncate(a.startsAt, 40),
    live: liveLines(context, a),
  }));
  const more = alerts.length - shown.length + p.truncatedAlerts;
  const unavailable =
    context && !context.available
      ? `Live context unavailable${context.reason ? `: ${context.reason}` : ''}`
      : undefined;

  const text = [
    `${status} ${severity} ${alertname}${service}: ${alerts.length} alert(s)`,
    ...(unavailable ? [unavailable] : []),
    ...runbookLines(context),
    '',
    ...shown.flatMap((a) => [
      `* [${a.status}] ${a.summary}`,
      ...(a.description ? [`  ${a.description}`] : []),
      ...a.live,
      `  labels: ${a.labels}`,
      `  since: ${a.since}`,
    ]),
    ...(more > 0 ? [`+${more} more alert(s)`] : []),
    '',
    ...links.map(([label, url]) => `${label}: ${url}`),
  ].join('\n');

  const color = p.status === 'resolved' ? '#2e7d32' : severity === 'CRITICAL' ? '#c62828' : '#ef6c00';
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;max-width:760px">
<h2 style="color:${color}">${escapeHtml(status)} [${escapeHtml(severity)}] ${escapeHtml(alertname)}${escapeHtml(service)}</h2>
${unavailable ? `<p><em>${escapeHtml(unavailable)}</em></p>` : ''}
${runbookLines(context).length > 0 ? `<p>${runbookLines(context).map(escapeHtml).join('<br>')}</p>` : ''}
<ul>${shown
    .map(
      (a) => `<li><strong>[${escapeHtml(a.status)}] ${escapeHtml(a.summary)}</strong>
${a.description ? `<br>${escapeHtml(a.description)}` : ''}
${a.live.map((l) => `<br>${escapeHtml(l.trim())}`).join('')}
<br><code>${escapeHtml(a.labels)}</code>
<br><small>since ${escapeHtml(a.since)}</small></li>`,
    )
    .join('\n')}</ul>
${more > 0 ? `<p>+${more} more alert(s)</p>` : ''}
<p>${links.map(([label, url]) => `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>`).join(' · ')}</p>
</body></html>`;

  const group = groupHash(p.groupKey);
  return {
    subject,
    text,
    html,
    messageId: `<${opts.key.slice(0, 32)}.${group.slice(0, 16)}@${opts.domain}>`,
    references: `<group-${group}@${opts.domain}>`,
  };
}
