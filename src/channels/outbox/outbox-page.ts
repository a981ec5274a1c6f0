import { utcText } from '../../alert/format-duration.js';
import { escapeHtml as e } from '../../lib/html-escape.js';
import { htmlPage } from '../../lib/html-page.js';
import type { OutboxEntry } from './outbox-store.js';
import { pagerdutyCard } from './pagerduty-card.js';
import { slackCard } from './slack-card.js';

/** Slack's look (dark theme), the email's frame and the PagerDuty card; the rest is the shared sheet. */
const CSS = `
.toolbar{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;margin:.2rem 0 .6rem}
.toolbar form,.toolbar .lead{margin:0}.btn.danger{color:#ffb4b4;border-color:#7a2a2f;background:#2a1416}
article.entry{background:var(--panel);border:1px solid var(--border);border-left:5px solid var(--crit);border-radius:14px;padding:.7rem 1rem .4rem;margin:1rem 0;overflow-wrap:anywhere}
article.entry.resolved{border-left-color:var(--ok)}article.entry h2{margin:0;font-size:1.1rem;line-height:1.35}
.views{display:grid;gap:0 1rem;grid-template-columns:minmax(0,1fr)}
@media (min-width:64rem){.views{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}.views .pd-view{grid-column:1/-1}}
.view{border-top:1px solid var(--border);margin-top:.4rem}.view>summary{font-weight:650;color:var(--text)}
.slack{background:#1a1d21;border:1px solid #35373b;border-radius:8px;padding:.7rem .8rem;margin-bottom:.8rem;color:#d1d2d3;font-size:15px;line-height:1.45}
.sl-app{display:flex;align-items:center;gap:.45rem;margin-bottom:.3rem}.sl-app b{color:#fff}.sl-app small{color:#ababad}
.sl-avatar{display:inline-grid;place-items:center;width:32px;height:32px;border-radius:6px;background:#4a154b;color:#fff;font-size:12px;font-weight:700}
.sl-tag{font-size:10px;font-weight:700;background:#35373b;color:#ababad;border-radius:3px;padding:0 4px}
.sl-header{font-size:1.1rem;font-weight:800;color:#fff;margin:.2rem 0 .35rem}.sl-section{margin:.35rem 0}
.sl-fields{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:.3rem .8rem;margin-top:.35rem}
.sl-context{font-size:13px;color:#ababad;margin:.3rem 0;display:flex;flex-wrap:wrap;gap:.5rem}
.sl-divider{border:0;border-top:1px solid #35373b;margin:.55rem 0}.slack b{color:#fff}.slack a{color:#1d9bd1}
.slack code{background:#2c2d30;border:1px solid #3c3d40;color:#e8912d;border-radius:3px;padding:0 3px;font-size:12px}
.slack pre{background:#232529;border-color:#3c3d40;white-space:pre-wrap}.mention{background:#1d3a4d;color:#1d9bd1;border-radius:3px;padding:0 2px}
.sl-actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:.55rem 0 .2rem}
.sl-btn{display:inline-flex;align-items:center;min-height:44px;padding:0 .9rem;border:1px solid #565856;border-radius:6px;color:#fff!important;text-decoration:none;font-weight:700;font-size:14px}
.sl-btn.primary{background:#007a5a;border-color:#007a5a}.sl-btn.danger{color:#e01e5a!important}
button.sl-btn{background:transparent;font-family:inherit;line-height:1.2;cursor:default}button.sl-btn.primary{background:#007a5a}
.sl-select{position:relative;min-width:9rem;max-width:100%}
.sl-select>summary{gap:.6rem;padding:0 .75rem;border:1px solid #565856;border-radius:6px;background:#1a1d21;color:#d1d2d3;font-size:14px;list-style:none}
.sl-select>summary::-webkit-details-marker{display:none}.sl-placeholder{color:#ababad}
.sl-select>summary::after{content:"";flex:none;margin:0 .1rem -.1rem auto;width:.45rem;height:.45rem;border:solid #ababad;border-width:0 2px 2px 0;transform:translateY(-.15rem) rotate(45deg)}
.sl-select[open]>summary{border-color:#1d9bd1;box-shadow:0 0 0 1px #1d9bd1}.sl-select[open]>summary::after{transform:translateY(.1rem) rotate(-135deg)}
.sl-menu{position:absolute;z-index:1;top:calc(100% + 4px);left:0;right:0;margin:0;padding:.3rem 0;list-style:none;background:#222529;border:1px solid #565856;border-radius:6px;box-shadow:0 4px 12px #000a;font-size:14px}
.sl-menu li{padding:.45rem .75rem}.sl-element{align-self:center;color:#ababad;font-size:13px}
.sl-note{margin:.3rem 0 0;font-size:12px;font-style:italic;color:#ababad}
.sl-notification{margin:.5rem 0 0;color:#ababad}
.email-subject{margin:.1rem 0 .4rem;font-weight:650}
iframe.email{display:block;width:100%;height:40rem;border:1px solid var(--border);border-radius:10px;background:#eef1f5;margin-bottom:.5rem}
@media (max-width:40rem){iframe.email{height:34rem}article.entry{padding:.6rem .7rem .3rem}}
details.plain>summary{font-size:.9rem}details.plain pre,.pd pre{white-space:pre-wrap;overflow-wrap:anywhere}
.pd{background:#10151b;border:1px solid var(--border);border-radius:8px;padding:.6rem .8rem;margin-bottom:.8rem}
.pd-summary{font-weight:650;margin:.4rem 0}.pd-details{display:grid;grid-template-columns:minmax(0,max-content) minmax(0,1fr);gap:.15rem .8rem;font-size:.9rem;margin:.5rem 0}
.pd-details dt{color:var(--muted)}.pd-details dd{margin:0;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem}
.pd-details details summary{min-height:0}
.emoji{display:inline-block;width:1.05em;height:1.05em;vertical-align:-.15em;border-radius:50%;position:relative}
.emoji-red_circle{background:#dd2e44}.emoji-large_orange_circle{background:#f4900c}.emoji-large_yellow_circle{background:#fdcb58}
.emoji-large_blue_circle{background:#55acee}.emoji-large_green_circle{background:#78b159}.emoji-white_circle{background:#e6e7e8}
.emoji-fire{background:radial-gradient(circle at 50% 75%,#ffcc4d 0 28%,#f4900c 29% 55%,#dd2e44 56%);border-radius:50% 50% 50% 50%/60% 60% 40% 40%}
.emoji-white_check_mark,.emoji-warning,.emoji-book,.emoji-eyes,.emoji-mute,.emoji-bell{border-radius:4px;color:#fff;font:700 .8em/1.3 system-ui,sans-serif;text-align:center}
.emoji-white_check_mark{background:#78b159}.emoji-white_check_mark::after{content:"✓"}
.emoji-warning{background:#ffcc4d;color:#292f33}.emoji-warning::after{content:"!"}.emoji-book{background:#55acee}.emoji-book::after{content:"≡"}
.emoji-eyes{background:#8899a6}.emoji-eyes::after{content:"◉"}.emoji-mute{background:#66757f}.emoji-mute::after{content:"✕"}
.emoji-bell{background:#f4900c}.emoji-bell::after{content:"♪"}`;

/** "2026-11-25 12:42:05 UTC" */
const stamp = (iso: string): string => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : utcText(d.getTime(), 'second');
};

/**
 * The email's own HTML, inside a sandboxed frame: no script, no same-origin access, and links open
 * a new tab (`<base target>`) instead of navigating the frame. The frame inherits this page's CSP.
 */
function emailFrame(email: OutboxEntry['rendered']['email']): string {
  const plain = `<details class="plain"><summary>Plain-text part</summary><pre>${e(email.text)}</pre></details>`;
  const subject = `<p class="email-subject"><span class="muted">Subject:</span> ${e(email.subject)}</p>`;
  if (!email.html) return `${subject}<pre class="plain">${e(email.text)}</pre>`;
  const doc = /<head[^>]*>/i.test(email.html)
    ? email.html.replace(/<head[^>]*>/i, (h) => `${h}<base target="_blank">`)
    : `<base target="_blank">${email.html}`;
  return `${subject}
<iframe class="email" title="${e(`Email: ${email.subject}`)}" sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer" srcdoc="${e(doc)}"></iframe>${plain}`;
}

function entryHtml(entry: OutboxEntry, newest: boolean): string {
  const resolved = entry.status === 'resolved';
  const open = newest ? ' open' : '';
  const time = stamp(entry.at);
  return `<article class="entry${resolved ? ' resolved' : ''}">
<h2><span class="badge ${resolved ? 'ok' : 'firing'}">${resolved ? 'resolved' : 'firing'}</span> ${e(entry.alertname || '(no alertname)')}</h2>
<small class="muted">${e(time)} · channel ${e(entry.channel)} · ${entry.alerts} alert${entry.alerts === 1 ? '' : 's'}</small>
<div class="views">
<details class="view slack-view" open><summary>Slack</summary>${slackCard(entry.rendered.slack, time.slice(11, 16))}</details>
<details class="view email-view"${open}><summary>Email</summary>${emailFrame(entry.rendered.email)}</details>
<details class="view pd-view"${open}><summary>PagerDuty</summary>${pagerdutyCard(entry.rendered.pagerduty)}</details>
</div></article>`;
}

/**
 * GET /outbox: each delivery as its readers would see it, newest first, with a Clear button (a
 * same-origin form POST; the page has no script). Everything from an entry is escaped.
 * @example outboxPageHtml(await store.list(50), await store.size())
 */
export function outboxPageHtml(entries: readonly OutboxEntry[], total: number): string {
  const shown =
    entries.length < total
      ? `the newest ${entries.length} of ${total}`
      : `${total} entr${total === 1 ? 'y' : 'ies'}`;
  const toolbar = `<div class="toolbar"><p class="lead">What the outbox channel received, as Slack, email and PagerDuty would show it, newest first: ${shown}.</p>${
    total > 0
      ? `<form method="post" action="/outbox/clear"><button class="btn danger" type="submit">Clear the outbox</button></form>`
      : ''
  }</div>`;
  const body =
    entries.length === 0
      ? `<section class="panel"><p><b>The outbox is empty.</b> Every notification routed to an <code>outbox</code> channel appears here (the shipped configuration sends everything here).</p>
<p class="muted">Make one: <code>npm run demo:fault -- --error-rate 0.2</code> pages in about 3 minutes; or post a webhook body to <code>/webhook/alertmanager</code>.</p></section>`
      : entries.map((x, i) => entryHtml(x, i === 0)).join('\n');
  return htmlPage({
    title: 'Outbox · alert-router',
    current: '/outbox',
    css: CSS,
    mainClass: 'wide',
    body: `<h1>Outbox</h1>${toolbar}${body}`,
  });
}
