import { escapeHtml } from './html-escape.js';

/**
 * The one Content-Security-Policy of alert-router's own pages (index, outbox, runbooks): they show
 * label values anyone who can set a metric label controls, so no script at all, inline styles
 * only, no framing by others, no base rewriting
 * (https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Content-Security-Policy).
 * `formAction` is `'none'` except on a page with a form of its own (the outbox's Clear button).
 */
export function pageCsp(formAction: "'none'" | "'self'" = "'none'"): string {
  return `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action ${formAction}; frame-ancestors 'none'`;
}

/** Headers every HTML page of ours sends with `pageCsp`. */
export function pageHeaders(formAction: "'none'" | "'self'" = "'none'"): Record<string, string> {
  return {
    'content-security-policy': pageCsp(formAction),
    'x-content-type-options': 'nosniff',
    // Nothing for other sites; our own forms keep their Origin (under no-referrer it is "null").
    'referrer-policy': 'same-origin',
    'cache-control': 'no-store',
  };
}

/**
 * Dark, phone-first styles: read at night on a small screen, so large type, high contrast, tap
 * targets of 44 px, and long label values wrap instead of widening the page.
 */
const CSS = `:root{color-scheme:dark;--bg:#0d1014;--panel:#161a21;--border:#262c37;--text:#e7eaf0;--muted:#97a0b0;--accent:#82aaff;--crit:#ff6b6b;--warn:#ffb454;--info:#62c6ff;--ok:#5ad48a}
*{box-sizing:border-box}html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--text);font:17px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",sans-serif}
main{max-width:50rem;margin:0 auto;padding:.25rem 1rem 3rem}main.wide{max-width:72rem}
a{color:var(--accent);text-underline-offset:2px}
nav.top{display:flex;flex-wrap:wrap;gap:0 1.1rem;align-items:center;font-size:.9rem;color:var(--muted);border-bottom:1px solid var(--border)}
nav.top a{text-decoration:none;padding:.6rem 0;display:inline-block;min-height:44px;line-height:1.6}nav.top a.home{font-weight:700;color:var(--text);margin-right:auto}
nav.top a[aria-current]{color:var(--text);box-shadow:inset 0 -2px 0 var(--accent)}
h1{font-size:1.6rem;line-height:1.25;margin:1rem 0 .4rem;overflow-wrap:anywhere}
a.badge{text-decoration:none}h2{font-size:1.2rem;margin:1.6rem 0 .5rem}h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
.panel h2{margin:0 0 .6rem;font-size:1rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted)}
p.lead{font-size:1.08rem;color:#cfd5df;margin:.3rem 0 .8rem}
.muted{color:var(--muted)}small{font-size:.85rem}
.meta{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin:.2rem 0}
.badge{display:inline-block;padding:.08rem .55rem;border-radius:999px;font-size:.78rem;font-weight:650;letter-spacing:.03em;border:1px solid var(--border);color:var(--muted)}
.sev-critical{background:#3d1417;border-color:#7a2a2f;color:#ffb4b4}.sev-warning{background:#3a2a10;border-color:#6e5120;color:#ffd59a}
.sev-info{background:#0f2c3b;border-color:#1f5670;color:#a9e3ff}.firing{background:#3d1417;border-color:#7a2a2f;color:#ffb4b4}.ok{color:var(--ok);border-color:#24563a}
.panel{background:var(--panel);border:1px solid var(--border);border-radius:14px;padding:.9rem 1rem;margin:1rem 0}
.panel.alarm{border-left:5px solid var(--crit)}.panel.calm{border-left:5px solid var(--ok)}
.instance{border-top:1px solid var(--border);padding:.7rem 0}.instance:first-of-type{border-top:0;padding-top:0}
.labels{display:flex;flex-wrap:wrap;gap:.3rem;margin:.35rem 0}
.label{background:#1f2530;border-radius:6px;padding:.05rem .45rem;font:13px/1.6 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere;white-space:pre-wrap}
.label b{color:var(--muted);font-weight:400}
.values{display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));gap:.5rem;margin:.2rem 0 .8rem}
.value{background:#1b2029;border-radius:10px;padding:.5rem .7rem}.value span{display:block;font-size:.8rem;color:var(--muted);overflow-wrap:anywhere}
.value b{font-size:1.35rem;font-variant-numeric:tabular-nums}
.chart{width:100%;height:150px;display:block;overflow:visible}.chart.no-data{height:40px}.chart .line{fill:none;stroke:var(--accent);stroke-width:2;stroke-linejoin:round}
.chart .line-dot{stroke:var(--accent);stroke-width:4;stroke-linecap:round}.chart .now-dot{stroke:var(--warn);stroke-width:8;stroke-linecap:round}.chart .grid{stroke:#262c37;stroke-width:1}
.chart text{fill:var(--muted);font:.85rem system-ui,sans-serif}
.btn{display:inline-flex;align-items:center;min-height:44px;padding:.35rem .9rem;margin:.25rem .35rem .25rem 0;border:1px solid #34405a;border-radius:10px;background:#1a2130;color:var(--accent);text-decoration:none;font:inherit;font-size:.95rem;cursor:pointer}
ol.steps{padding-left:1.4rem;margin:.2rem 0}ol.steps li{margin:.45rem 0;overflow-wrap:anywhere}
pre{overflow-x:auto;background:#0a0c10;border:1px solid var(--border);padding:.7rem .8rem;border-radius:10px;font-size:.85rem;line-height:1.5}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;overflow-wrap:anywhere}
:not(pre)>code{background:#1f2530;padding:.05rem .3rem;border-radius:5px}
article.body{margin-top:1.5rem}article.body h1{font-size:1.35rem}article.body h2{border-bottom:1px solid var(--border);padding-bottom:.25rem}
table{border-collapse:collapse;width:100%;display:block;overflow-x:auto}th,td{border:1px solid var(--border);padding:.3rem .5rem;text-align:left}
blockquote{margin:.8rem 0;padding:.2rem .9rem;border-left:4px solid var(--warn);background:#1b1810;border-radius:0 8px 8px 0}
ul.cards{list-style:none;padding:0;margin:0}ul.cards li{overflow-wrap:anywhere;background:var(--panel);border:1px solid var(--border);border-radius:14px;padding:.75rem 1rem;margin:.7rem 0}
ul.cards li.is-firing{border-left:5px solid var(--crit)}ul.cards a.title{font-weight:650;font-size:1.05rem;text-decoration:none}
ul.cards p{margin:.25rem 0 .4rem;color:#c6ccd6;font-size:.95rem}
details summary{cursor:pointer;color:var(--muted);min-height:44px;display:flex;align-items:center}
p.status{margin:.1rem 0 .2rem}
@media (max-width:40rem){h1{font-size:1.35rem;margin-top:.7rem}.panel{padding:.75rem .85rem;margin:.75rem 0}.values{grid-template-columns:repeat(2,minmax(0,1fr))}}`;

/** The pages of the top navigation, in order. */
const NAV = [
  ['/outbox', 'Outbox'],
  ['/runbooks', 'Runbooks'],
  ['/storms', 'Storms'],
  ['/failures', 'Failures'],
  ['/status', 'Status'],
] as const;

export interface PageOptions {
  readonly title: string;
  readonly body: string;
  /** The navigation entry of this page, marked as current. */
  readonly current?: (typeof NAV)[number][0];
  /** Styles only this page uses. */
  readonly css?: string;
  /** `main` class: `wide` for pages that lay cards side by side on a desktop. */
  readonly mainClass?: string;
}

/**
 * The HTML shell shared by every page: no script, inline styles only (see `pageCsp`). The body is
 * trusted HTML; everything the caller interpolates into it must already be escaped.
 * @example htmlPage({ title: 'Outbox', body: '<h1>Outbox</h1>', current: '/outbox' })
 */
export function htmlPage(o: PageOptions): string {
  const nav = NAV.map(
    ([href, text]) =>
      `<a href="${href}"${o.current === href ? ' aria-current="page"' : ''}>${escapeHtml(text)}</a>`,
  ).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="dark"><meta name="referrer" content="same-origin">
<link rel="icon" href="data:,">
<title>${escapeHtml(o.title)}</title>
<style>${CSS}${o.css ?? ''}</style></head>
<body><main${o.mainClass ? ` class="${escapeHtml(o.mainClass)}"` : ''}>
<nav class="top"><a class="home" href="/">alert-router</a>${nav}</nav>
${o.body}
</main></body></html>`;
}
