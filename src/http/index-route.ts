import { Router } from 'express';
import { escapeHtml as e } from '../lib/html-escape.js';
import { htmlPage, pageHeaders } from '../lib/html-page.js';

/** What the index page can say about this instance, from configuration it is handed. */
export interface IndexInfo {
  /** The configured channels, by name and type (`outbox`, `slack`, ...). No settings, no secrets. */
  readonly channels?: ReadonlyArray<{ readonly name: string; readonly kind: string }>;
  /** Whether this process takes webhooks (ROLE=api or all), and the credentials it expects. */
  readonly webhook?: { readonly auth: 'bearer' | 'basic' | 'none' };
}

const AUTH_HINT = {
  bearer: ', the bearer token in <code>authorization.credentials_file</code>',
  basic: ', the user and password in <code>basic_auth</code>',
  none: '; no webhook credentials are configured, so anyone who reaches the port can post',
} as const;

function howToPanel(info: IndexInfo): string {
  if (!info.webhook)
    return '<section class="panel howto"><h2>Sending alerts here</h2><p>This process runs the workers only (<code>ROLE=worker</code>): point Alertmanager at an <code>api</code> or <code>all</code> instance.</p></section>';
  return `<section class="panel howto"><h2>Sending alerts here</h2><p>Point an Alertmanager webhook receiver at <code>POST /webhook/alertmanager</code>
(<code>send_resolved: true</code>${AUTH_HINT[info.webhook.auth]}). <code>POST /api/preview</code> with the same body
answers with what each channel would send, without sending it.</p></section>`;
}

const CSS = `ul.links{list-style:none;padding:0;margin:0;display:grid;gap:.7rem;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr))}
ul.links li{background:var(--panel);border:1px solid var(--border);border-radius:14px;padding:.75rem 1rem}
ul.links a.title{font-weight:650;font-size:1.05rem;text-decoration:none;display:inline-block;min-height:44px;line-height:44px}
ul.links p{margin:0;color:#c6ccd6;font-size:.95rem}ul.links small{display:block;margin-top:.3rem}
section.howto p{font-size:.95rem;margin:0}`;

const PAGES: ReadonlyArray<readonly [href: string, title: string, text: string, also?: string]> = [
  [
    '/outbox',
    'Outbox',
    'What the outbox channel received, as Slack, email and PagerDuty would show it.',
    '<a href="/api/outbox">JSON</a>',
  ],
  ['/runbooks', 'Runbooks', 'Every runbook, firing ones first, with live values and firing instances.'],
  [
    '/runbooks#deadman',
    "Dead man's switch",
    'When each Watchdog heartbeat source was last heard from.',
    '<a href="/api/deadman">JSON</a>',
  ],
  [
    '/status',
    'Status',
    'Readiness, deliveries per channel since start, queue depths and the heartbeat sources, in one look.',
    '<a href="/api/status">JSON</a>',
  ],
  [
    '/failures',
    'Failures',
    'Deliveries that failed for good or wait for a retry, with the reason; retry or discard them.',
    '<a href="/api/failures">JSON</a>',
  ],
  ['/metrics', 'Metrics', 'Prometheus metrics (alert_router_*): notifications, deliveries, queue depth.'],
  [
    '/readyz',
    'Readiness',
    'Whether Redis answers and the workers run (JSON).',
    '<a href="/healthz">liveness</a>',
  ],
];

function channelsPanel(info: IndexInfo): string {
  if (!info.channels) return '';
  const items = info.channels.map((c) => `<span class="badge">${e(c.name)} · ${e(c.kind)}</span>`).join('');
  return `<section class="panel"><h2>Channels</h2>${
    items ? `<div class="meta">${items}</div>` : '<p class="muted">No channel is configured.</p>'
  }</section>`;
}

/** GET /: what this alert-router serves, for a person who opened its address. */
export function indexPageHtml(info: IndexInfo = {}): string {
  const cards = PAGES.map(
    ([href, title, text, also]) =>
      `<li><a class="title" href="${href}">${e(title)}</a><p>${e(text)}</p>${also ? `<small class="muted">Also: ${also}</small>` : ''}</li>`,
  ).join('');
  return htmlPage({
    title: 'alert-router',
    css: CSS,
    body: `<h1>alert-router</h1>
<p class="lead">Turns Alertmanager notifications into enriched, deduplicated pages in Slack, PagerDuty, email and the outbox.</p>
<ul class="links">${cards}</ul>
${channelsPanel(info)}
${howToPanel(info)}`,
  });
}

/**
 * GET / (the index page) for every role: it links the pages and endpoints this process serves.
 * @example createApp({ logger, routers: [], index: { channels: [{ name: 'outbox', kind: 'outbox' }] } })
 */
export function indexRoute(info: IndexInfo = {}): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.set(pageHeaders()).type('html').send(indexPageHtml(info));
  });
  return router;
}
