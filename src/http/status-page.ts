import { escapeHtml as e } from '../lib/html-escape.js';
import { htmlPage } from '../lib/html-page.js';
import { age } from './failures-page.js';
import type { StatusView } from './status-data.js';

/** Rows of figures that wrap on a phone instead of a table that scrolls sideways. */
const CSS = `.row{border-top:1px solid var(--border);padding:.55rem 0}.row:first-of-type{border-top:0;padding-top:0}
.row .name{font-weight:650;overflow-wrap:anywhere}.stats{display:flex;flex-wrap:wrap;gap:.1rem 1.1rem;font-size:.92rem;color:var(--muted)}
.stats b{color:var(--text);font-variant-numeric:tabular-nums}.stats .bad b{color:var(--crit)}`;

function stats(
  figures: ReadonlyArray<readonly [label: string, value: number | string, bad?: boolean]>,
): string {
  return `<div class="stats">${figures
    .map(
      ([label, value, bad]) =>
        `<span${bad ? ' class="bad"' : ''}><b>${e(typeof value === 'number' ? value.toLocaleString('en') : value)}</b> ${e(label)}</span>`,
    )
    .join('')}</div>`;
}

function queues(v: StatusView): string {
  if (v.queues.length === 0)
    return `<section class="panel alarm"><h2>Queues</h2><p>Redis did not answer: the queue depths are unknown.</p></section>`;
  const rows = v.queues
    .map(
      (q) =>
        `<div class="row"><div class="name">${e(q.name)}</div>${stats([
          ['waiting', q.waiting],
          ['active', q.active],
          ['delayed', q.delayed],
          ['failed', q.failed, q.failed > 0],
          ...(q.waiting ? ([['oldest waiting', age(q.oldestWaitingSeconds * 1000)]] as const) : []),
        ])}</div>`,
    )
    .join('');
  return `<section class="panel"><h2>Queues</h2>${rows}</section>`;
}

function channels(v: StatusView): string {
  if (v.channels.length === 0) return '';
  const rows = v.channels
    .map(
      (c) =>
        `<div class="row"><div class="name">${e(c.channel)} <span class="badge">${e(c.type)}</span></div>${stats(
          [
            ['delivered', c.delivered],
            ['retried', c.retried],
            ['rate limited', c.rateLimited],
            ['skipped', c.skipped],
            ['failed', c.failed, c.failed > 0],
          ],
        )}</div>`,
    )
    .join('');
  return `<section class="panel"><h2>Deliveries since start</h2>${rows}
<p class="muted"><small>Attempts by outcome in this instance since it started (skipped: newer news of the group was already on its way); <a href="/metrics">/metrics</a> has them over time. Failed ones wait on <a href="/failures">Failures</a> for a retry.</small></p></section>`;
}

function deadman(v: StatusView, now: number): string {
  if (!v.deadman)
    return `<section class="panel alarm"><h2>Dead man's switch</h2><p>Redis did not answer: the heartbeat state is unknown.</p></section>`;
  if (v.deadman.sources.length === 0)
    return `<section class="panel"><h2>Dead man's switch</h2><p class="muted">No heartbeat source is configured.</p></section>`;
  const rows = v.deadman.sources
    .map((s) => {
      const last = s.lastHeartbeat ? `${age(now - Date.parse(s.lastHeartbeat))} ago` : 'never';
      const badge = s.state === 'silent' ? 'firing' : s.state === 'ok' ? 'ok' : '';
      return `<div class="row"><div class="name">${e(s.name)} <span class="badge ${badge}">${e(s.state)}</span></div>${stats(
        [
          ['last heartbeat', last],
          ['grace', `${s.graceSeconds} s`],
        ],
      )}</div>`;
    })
    .join('');
  return `<section class="panel${v.deadman.sources.some((s) => s.state === 'silent') ? ' alarm' : ''}"><h2>Dead man's switch</h2>${rows}</section>`;
}

/** The platform team's one look: is it ready, are queues draining, what reached each channel. */
export function statusPageHtml(v: StatusView, now: number): string {
  const failed = v.queues.reduce(
    (n, q) => n + (q.name === 'deliveries' || q.name === 'notifications' ? q.failed : 0),
    0,
  );
  const health =
    v.problems.length === 0
      ? `<section class="panel calm"><h2>Health</h2><p>Ready: Redis answers and the workers run.${failed ? ` <a href="/failures">${failed.toLocaleString('en')} failed job${failed === 1 ? '' : 's'}</a> wait for an operator.` : ''}</p></section>`
      : `<section class="panel alarm"><h2>Health</h2><p>Not ready:</p><ul>${v.problems.map((p) => `<li>${e(p)}</li>`).join('')}</ul></section>`;
  const n = v.notifications;
  const received = Object.values(n).reduce((a, b) => a + b, 0);
  const outcomes = Object.entries(n)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, c]) => `${e(k)} ${c.toLocaleString('en')}`)
    .join(' · ');
  const body = `<h1>Status</h1>
<p class="lead">alert-router ${e(v.version)} on Node.js ${e(v.nodejs)}, role ${e(v.role)}, up ${e(age(v.uptimeSeconds * 1000))}.</p>
${health}
<section class="panel"><h2>Notifications since start</h2><p>${received.toLocaleString('en')} received${outcomes ? `: ${outcomes}` : ''}.</p></section>
${channels(v)}
${queues(v)}
${deadman(v, now)}
<p class="muted"><small>The same as JSON: <a href="/api/status">/api/status</a>.</small></p>`;
  return htmlPage({ title: 'Status · alert-router', body, current: '/status', css: CSS });
}
