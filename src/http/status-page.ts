import { escapeHtml as e } from '../lib/html-escape.js';
import { htmlPage } from '../lib/html-page.js';
import { age } from './failures-page.js';
import type { StatusView } from './status-data.js';

const CSS = `table.status td.n,table.status th.n{text-align:right;font-variant-numeric:tabular-nums}table.status{display:table;margin:.3rem 0}
td.bad{color:var(--crit);font-weight:650}`;

const cell = (n: number, bad = false): string =>
  `<td class="n${bad && n > 0 ? ' bad' : ''}">${n.toLocaleString('en')}</td>`;

function queues(v: StatusView): string {
  const rows = v.queues
    .map(
      (q) =>
        `<tr><td>${e(q.name)}</td>${cell(q.waiting)}${cell(q.active)}${cell(q.delayed)}${cell(q.failed, true)}<td class="n">${q.waiting ? age(q.oldestWaitingSeconds * 1000) : '–'}</td></tr>`,
    )
    .join('');
  return `<section class="panel"><h2>Queues</h2><table class="status"><thead><tr><th>queue</th><th class="n">waiting</th><th class="n">active</th><th class="n">delayed</th><th class="n">failed</th><th class="n">oldest waiting</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function channels(v: StatusView): string {
  if (v.channels.length === 0) return '';
  const rows = v.channels
    .map(
      (c) =>
        `<tr><td>${e(c.channel)} <span class="muted"><small>${e(c.type)}</small></span></td>${cell(c.delivered)}${cell(c.retried)}${cell(c.rateLimited)}${cell(c.skipped)}${cell(c.failed, true)}</tr>`,
    )
    .join('');
  return `<section class="panel"><h2>Deliveries since start</h2><table class="status"><thead><tr><th>channel</th><th class="n">delivered</th><th class="n">retried</th><th class="n">rate limited</th><th class="n">skipped</th><th class="n">failed</th></tr></thead><tbody>${rows}</tbody></table>
<p class="muted"><small>Attempts by outcome, this instance since it started (<a href="/metrics">/metrics</a> has them over time). Failed ones wait on <a href="/failures">Failures</a> for a retry.</small></p></section>`;
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
      return `<tr><td>${e(s.name)}</td><td><span class="badge ${badge}">${e(s.state)}</span></td><td>${e(last)}</td><td class="n">${s.graceSeconds} s</td></tr>`;
    })
    .join('');
  return `<section class="panel${v.deadman.sources.some((s) => s.state === 'silent') ? ' alarm' : ''}"><h2>Dead man's switch</h2><table class="status"><thead><tr><th>source</th><th>state</th><th>last heartbeat</th><th class="n">grace</th></tr></thead><tbody>${rows}</tbody></table></section>`;
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
