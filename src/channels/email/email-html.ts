import { escapeHtml as e } from '../../lib/html-escape.js';
import type { AlertView, EmailView, LiveLine } from './email-view.js';
import { FONT, MONO, MUTED, TABLE, TEXT, WRAP, severityColor, statusPill } from './email-style.js';

/** The header's colour (email-style.ts): by severity while firing, green once resolved. */
const statusColor = (v: EmailView): string => severityColor(v.severity, v.status === 'resolved');

/** Escaped text with `code` spans as <code> (runbook first steps are one-line markdown). */
const inlineCode = (text: string): string =>
  e(text).replace(
    /`([^`]+)`/g,
    `<code style="font-family:${MONO};font-size:13px;background:#f2f4f7;border-radius:4px;padding:1px 4px">$1</code>`,
  );

function buttons(v: EmailView): string {
  return v.links
    .map((l, i) => {
      const primary = i === 0;
      const style = `display:inline-block;margin:0 8px 8px 0;padding:10px 18px;border-radius:6px;font:600 15px/20px ${FONT};text-decoration:none;${
        primary
          ? 'background:#1d2939;color:#ffffff;border:1px solid #1d2939'
          : `background:#ffffff;color:${TEXT};border:1px solid #98a2b3`
      }`;
      return `<a href="${e(l.href)}" style="${style}">${e(l.text)}</a>`;
    })
    .join('');
}

function liveRows(live: readonly LiveLine[]): string {
  if (live.length === 0) return '';
  const rows = live
    .map(
      (
        l,
      ) => `<tr><td style="padding:3px 8px 3px 0;vertical-align:top;width:42%;font-size:13px;color:${MUTED};${WRAP}">${e(l.name)}</td>
<td style="padding:3px 0;vertical-align:top;font-size:15px;color:${TEXT};${WRAP}"><b>${e(l.value)}</b>${
        l.threshold ? ` <span style="font-size:13px;color:${MUTED}">fires when ${e(l.threshold)}</span>` : ''
      }${l.sparkline ? `<br><span style="font-family:${MONO};font-size:13px;color:${MUTED}">${e(l.sparkline)} 1h</span>` : ''}</td></tr>`,
    )
    .join('');
  return `<table ${TABLE} style="table-layout:fixed;margin-top:6px">${rows}</table>`;
}

function alertBlock(a: AlertView): string {
  if (!a.heading && !a.summary && !a.description && a.live.length === 0 && !a.when) return '';
  const firing = a.status === 'firing';
  const pill = statusPill(firing);
  return `<tr><td style="padding:0 16px 10px"><table ${TABLE} style="table-layout:fixed"><tr><td style="border:1px solid #eaecf0;border-left:4px solid ${
    firing ? '#d92d20' : '#17b26a'
  };border-radius:6px;padding:10px 12px;font:15px/1.45 ${FONT};color:${TEXT};${WRAP}">
${a.heading ? `${pill} <span style="font-family:${MONO};font-size:14px">${e(a.heading)}</span>` : ''}
${a.summary ? `<div style="margin-top:4px">${e(a.summary)}</div>` : ''}
${a.description ? `<div style="margin-top:4px;color:${MUTED};font-size:14px">${e(a.description)}</div>` : ''}
${liveRows(a.live)}
${a.when ? `<div style="margin-top:4px;color:${MUTED};font-size:13px">${e(a.when)}</div>` : ''}
</td></tr></table></td></tr>`;
}

function labelsTable(v: EmailView): string {
  if (v.common.length === 0) return '';
  const rows = v.common
    .map(
      ([k, val]) =>
        `<tr><td style="padding:4px 8px 4px 0;border-top:1px solid #eaecf0;width:34%;vertical-align:top;color:${MUTED};font-size:13px;${WRAP}">${e(k)}</td><td style="padding:4px 0;border-top:1px solid #eaecf0;vertical-align:top;font-family:${MONO};font-size:14px;color:${TEXT};${WRAP}">${e(val)}</td></tr>`,
    )
    .join('');
  return `<tr><td style="padding:6px 16px 14px"><table ${TABLE} style="table-layout:fixed;font-family:${FONT}">${rows}</table></td></tr>`;
}

function firstSteps(v: EmailView): string {
  return v.runbooks
    .filter((rb) => rb.steps.length > 0 || rb.summary)
    .map(
      (
        rb,
      ) => `<tr><td style="padding:0 16px 14px"><table ${TABLE} style="table-layout:fixed"><tr><td style="background:#f5f8ff;border:1px solid #d1e0ff;border-radius:6px;padding:10px 14px;font:15px/1.5 ${FONT};color:${TEXT};${WRAP}">
<div style="font-size:12px;font-weight:700;letter-spacing:.06em;color:#2d4eb5">FIRST STEPS · RUNBOOK ${e(rb.name)}</div>
${rb.summary ? `<div style="margin:4px 0;color:${MUTED};font-size:14px">${e(rb.summary)}</div>` : ''}
${rb.steps.length > 0 ? `<ol style="margin:6px 0 0;padding-left:22px">${rb.steps.map((s) => `<li style="margin:3px 0">${inlineCode(s)}</li>`).join('')}</ol>` : ''}
</td></tr></table></td></tr>`,
    )
    .join('');
}

const section = (title: string): string =>
  `<tr><td style="padding:4px 16px 6px;font:700 12px/1.4 ${FONT};letter-spacing:.06em;color:${MUTED}">${e(title)}</td></tr>`;

/** The HTML part of an incident email (see EmailView); every interpolated value is escaped. */
export function emailHtml(v: EmailView, subject: string): string {
  const color = statusColor(v);
  const timeLine = [v.when, v.count].filter(Boolean).join(' · ');
  const blocks = v.alerts.map(alertBlock).filter(Boolean);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light"><title>${e(subject)}</title></head>
<body style="margin:0;padding:0;background:#eef1f5;-webkit-text-size-adjust:100%">
<div style="display:none;max-height:0;overflow:hidden">${e([v.summary, timeLine].filter(Boolean).join(' · '))}</div>
<table ${TABLE} style="background:#eef1f5"><tr><td align="center" style="padding:12px 8px">
<table ${TABLE} style="max-width:600px;background:#ffffff;border:1px solid #e4e7ec;border-radius:10px;border-collapse:separate;table-layout:fixed">
<tr><td style="background:${color};color:#ffffff;padding:14px 16px;border-radius:9px 9px 0 0;font-family:${FONT};${WRAP}">
<div style="font-size:13px;font-weight:700;letter-spacing:.08em">${e(v.kicker)}</div>
<h1 style="margin:2px 0 0;font-size:22px;line-height:1.25;font-weight:700;color:#ffffff">${e(v.title)}</h1>
</td></tr>
<tr><td style="padding:14px 16px 6px;font:15px/1.5 ${FONT};color:${TEXT};${WRAP}">
${v.summary ? `<div style="font-size:17px;font-weight:600;margin-bottom:4px">${e(v.summary)}</div>` : ''}
<div style="color:${MUTED};font-size:14px">${e(timeLine)}</div>
${v.unavailable ? `<div style="margin-top:8px;padding:6px 10px;background:#fffaeb;border:1px solid #fedf89;border-radius:6px;font-size:14px">${e(v.unavailable)}</div>` : ''}
${v.description ? `<div style="margin-top:8px">${e(v.description)}</div>` : ''}
</td></tr>
${v.links.length > 0 ? `<tr><td style="padding:8px 16px 6px">${buttons(v)}</td></tr>` : ''}
${firstSteps(v)}
${v.common.length > 0 ? section('LABELS') : ''}${labelsTable(v)}
${blocks.length > 0 ? section(v.alerts.length === 1 ? 'LIVE VALUES' : `ALERTS · ${v.count.toUpperCase()}`) : ''}
${blocks.join('\n')}
${v.more > 0 ? `<tr><td style="padding:0 16px 12px;font:14px ${FONT};color:${MUTED}">+${v.more} more alert(s) in this group</td></tr>` : ''}
<tr><td style="padding:10px 16px 16px;border-top:1px solid #eaecf0;font:13px/1.5 ${FONT};color:${MUTED};${WRAP}">Sent by alert-router for receiver ${e(v.receiver)}.</td></tr>
</table></td></tr></table></body></html>`;
}
