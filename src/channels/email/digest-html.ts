import { escapeHtml as e } from '../../lib/html-escape.js';
import { FONT, MONO, MUTED, TABLE, TEXT, WRAP, severityColor, statusPill } from './email-style.js';
import type { DigestView } from './digest-view.js';

type Item = DigestView['items'][number];

/** The severity's colour when the digest holds one severity; blue (info) for a mix. */
const headerColor = (severity: string): string =>
  severityColor(/^[^/]+$/.test(severity) && severity !== 'low-severity' ? severity : 'info', false);

function itemBlock(i: Item): string {
  const firing = i.status === 'firing';
  const links = i.links
    .map((l) => `<a href="${e(l.href)}" style="color:#175cd3;text-decoration:underline">${e(l.text)}</a>`)
    .join(' · ');
  const meta = [i.count, i.when, i.updates].filter(Boolean).join(' · ');
  return `<tr><td style="padding:0 16px 10px"><table ${TABLE} style="table-layout:fixed"><tr><td style="border:1px solid #eaecf0;border-left:4px solid ${
    firing ? '#d92d20' : '#17b26a'
  };border-radius:6px;padding:10px 12px;font:15px/1.45 ${FONT};color:${TEXT};${WRAP}">
${statusPill(firing)} <b>${e(i.title)}</b>
${i.summary ? `<div style="margin-top:4px">${e(i.summary)}</div>` : ''}
<div style="margin-top:4px;color:${MUTED};font-size:13px">${e(meta)}</div>
${
  i.labels.length > 0
    ? `<div style="margin-top:4px;font-family:${MONO};font-size:13px;color:${MUTED}">${i.labels
        .map(([k, v]) => `${e(k)}=${e(v)}`)
        .join(' · ')}</div>`
    : ''
}
${links ? `<div style="margin-top:6px;font-size:14px">${links}</div>` : ''}
</td></tr></table></td></tr>`;
}

/** The HTML part of a digest (see DigestView); every interpolated value is escaped. */
export function digestHtml(v: DigestView): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light"><title>${e(v.subject)}</title></head>
<body style="margin:0;padding:0;background:#eef1f5;-webkit-text-size-adjust:100%">
<div style="display:none;max-height:0;overflow:hidden">${e(v.overview)}</div>
<table ${TABLE} style="background:#eef1f5"><tr><td align="center" style="padding:12px 8px">
<table ${TABLE} style="max-width:600px;background:#ffffff;border:1px solid #e4e7ec;border-radius:10px;border-collapse:separate;table-layout:fixed">
<tr><td style="background:${headerColor(v.severity)};color:#ffffff;padding:14px 16px;border-radius:9px 9px 0 0;font-family:${FONT};${WRAP}">
<div style="font-size:13px;font-weight:700;letter-spacing:.08em">DIGEST · ${e(v.severity.toUpperCase())}</div>
<h1 style="margin:2px 0 0;font-size:22px;line-height:1.25;font-weight:700;color:#ffffff">${e(v.title)}</h1>
</td></tr>
<tr><td style="padding:14px 16px 10px;font:15px/1.5 ${FONT};color:${MUTED};${WRAP}">${e(v.overview)}</td></tr>
${v.items.map(itemBlock).join('\n')}
${v.more > 0 ? `<tr><td style="padding:0 16px 12px;font:14px ${FONT};color:${MUTED}">+${v.more} more alert group(s) not listed</td></tr>` : ''}
<tr><td style="padding:10px 16px 16px;border-top:1px solid #eaecf0;font:13px/1.5 ${FONT};color:${MUTED};${WRAP}">${e(v.footer)}</td></tr>
</table></td></tr></table></body></html>`;
}
