import type { WebhookPayload } from '../../alertmanager/webhook-payload.js';
import type { NotificationContext } from '../../enrichment/notification-context.js';
import { groupHash } from '../../queue/notification-key.js';
import { orderedAlerts, runbookUrl, silenceUrl, sourceUrl, truncate } from '../alert-links.js';
import { escapeHtml } from '../html-escape.js';

export interface EmailMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Threading headers: every message of a group refers to the same root id, so clients thread them. */
  readonly messageId: string;
  readonly references: string;
}

const MAX_ALERTS = 50;

/**
 * Subject with status, severity, alertname and count; HTML and text bodies with the same content.
 * @example formatEmail(payload, undefined, { publicUrl, alertmanagerUrl, key, domain: 'alert-router.local' })
 */
export function formatEmail(
  p: WebhookPayload,
  context: NotificationContext | undefined,
  opts: { publicUrl: string; alertmanagerUrl: string | undefined; key: string; domain: string },
): EmailMessage {
  const alerts = orderedAlerts(p);
  const firing = alerts.filter((a) => a.status === 'firing').length;
  const alertname = p.commonLabels.alertname ?? alerts[0]?.labels.alertname ?? 'alert';
  const severity = (p.commonLabels.severity ?? 'unknown').toUpperCase();
  const service = p.commonLabels.service ? ` (${p.commonLabels.service})` : '';
  const status = p.status === 'resolved' ? 'RESOLVED' : `FIRING:${firing}`;
  // Same subject stem for every message of the group also helps clients that thread by subject.
  const subject = truncate(`[${status}] [${severity}] ${alertname}${service}`, 250).replace(/[\r\n]+/g, ' ');
  const links = [
    ['Runbook', runbookUrl(opts.publicUrl, alertname)],
    ['Silence', silenceUrl(p, opts.alertmanagerUrl)],
    ['Source', sourceUrl(alerts[0])],
  ].filter((l): l is [string, string] => !!l[1]);
  const shown = alerts.slice(0, MAX_ALERTS);
  const more = alerts.length - shown.length + p.truncatedAlerts;
  const unavailable =
    context && !context.available
      ? `Live context unavailable${context.reason ? `: ${context.reason}` : ''}`
      : undefined;

  const text = [
    `${status} ${severity} ${alertname}${service}: ${alerts.length} alert(s)`,
    ...(unavailable ? [unavailable] : []),
    '',
    ...shown.flatMap((a) => [
      `* [${a.status}] ${a.annotations.summary ?? a.labels.alertname ?? ''}`,
      ...(a.annotations.description ? [`  ${a.annotations.description}`] : []),
      ...(context?.alerts[a.fingerprint]?.value !== undefined
        ? [`  now: ${context.alerts[a.fingerprint]!.value}`]
        : []),
      `  labels: ${Object.entries(a.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}`,
      `  since: ${a.startsAt}`,
    ]),
    ...(more > 0 ? [`+${more} more alert(s)`] : []),
    '',
    ...links.map(([label, url]) => `${label}: ${url}`),
  ].join('\n');

  const color = p.status === 'resolved' ? '#2e7d32' : severity === 'CRITICAL' ? '#c62828' : '#ef6c00';
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;max-width:760px">
<h2 style="color:${color}">${escapeHtml(status)} [${escapeHtml(severity)}] ${escapeHtml(alertname)}${escapeHtml(service)}</h2>
${unavailable ? `<p><em>${escapeHtml(unavailable)}</em></p>` : ''}
<ul>${shown
    .map(
      (
        a,
      ) => `<li><strong>[${escapeHtml(a.status)}] ${escapeHtml(a.annotations.summary ?? a.labels.alertname ?? '')}</strong>
${a.annotations.description ? `<br>${escapeHtml(a.annotations.description)}` : ''}
${context?.alerts[a.fingerprint]?.value !== undefined ? `<br>now: <strong>${escapeHtml(context.alerts[a.fingerprint]!.value!)}</strong>` : ''}
<br><code>${escapeHtml(
        Object.entries(a.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(', '),
      )}</code>
<br><small>since ${escapeHtml(a.startsAt)}</small></li>`,
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
