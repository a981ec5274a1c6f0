import { escapeHtml } from '../lib/html-escape.js';
import { formatValueText } from '../alert/format-value.js';
import { formatDuration, historyText } from '../alert/format-duration.js';
import { inlineCode, labelChips, page, runbookHref, severityBadge, shortTime } from './page-layout.js';
import type { RunbookIndexData, RunbookPageData } from './runbook-page-data.js';
import { svgChart } from './svg-chart.js';
import { truncate } from '../lib/truncate.js';

const e = escapeHtml;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * A tile's figure in large type: a long unit ("33.2× budget burn rate") moves to the small line
 * under it, so the figure stays one line on a phone.
 */
function tileValue(text: string): string {
  const space = text.indexOf(' ');
  if (text.length <= 10 || space < 0) return `<b>${escapeHtml(text)}</b>`;
  return `<b>${escapeHtml(text.slice(0, space))}</b><span>${escapeHtml(text.slice(space + 1))}</span>`;
}

function firingPanel(d: RunbookPageData): string {
  const f = d.firing;
  if (!f.available)
    return `<section class="panel"><h2>Firing now</h2><p class="muted">Firing instances unavailable: ${e(f.reason ?? 'unknown')}</p></section>`;
  if (f.total === 0)
    return `<section class="panel calm"><h2>Firing now</h2><p><span class="badge ok">not firing</span> <span class="muted">No active, unsilenced instance in Alertmanager.</span></p></section>`;
  const items = f.instances
    .map(
      (
        i,
      ) => `<div class="instance"><div class="meta"><span class="badge firing">firing ${e(formatDuration(i.firingForSeconds))}</span>
<strong>${e(i.alertname)}</strong> <small class="muted">since ${e(shortTime(i.startsAt))}</small></div>${labelChips(i.labels)}
${i.silenceUrl ? `<a class="btn" href="${e(i.silenceUrl)}" rel="noopener noreferrer">Silence…</a>` : ''}</div>`,
    )
    .join('\n');
  const more =
    f.total > f.instances.length ? `<p class="muted">+${f.total - f.instances.length} more</p>` : '';
  return `<section class="panel alarm"><h2>Firing now · ${plural(f.total, 'instance')}</h2>${items}${more}</section>`;
}

function livePanel(d: RunbookPageData): string {
  const l = d.live;
  if (!l.available)
    return `<section class="panel"><h2>Live context</h2><p class="muted">live context unavailable: ${e(l.reason ?? 'unknown')}</p></section>`;
  if (l.values.length === 0 && !l.chart)
    return `<section class="panel"><h2>Live context</h2><p class="muted">No context query can be answered${d.firing.total === 0 ? ' while nothing fires (the queries need its labels)' : ''}.</p></section>`;
  const values = l.values
    .map(
      (v) =>
        `<div class="value"><span>${e(v.name)}</span>${tileValue(formatValueText(v.value, v.unit))}${v.history ? `<span>${e(historyText(v.history))}</span>` : ''}${v.threshold ? `<span>fires when ${e(v.threshold)}</span>` : ''}</div>`,
    )
    .join('');
  const chart = l.chart
    ? `<h3>${e(l.chart.name)} <small class="muted">last ${l.chart.hours} h</small></h3>${svgChart(
        l.chart.samples,
        {
          label: l.chart.name,
          ...(l.chart.unit ? { unit: l.chart.unit } : {}),
        },
      )}`
    : '';
  const forWhat =
    Object.keys(l.labels).length > 0 ? `<small class="muted">for the oldest firing instance</small>` : '';
  return `<section class="panel"><h2>Live context</h2>${forWhat}<div class="values">${values}</div>${chart}</section>`;
}

function linksPanel(d: RunbookPageData): string {
  const links = d.runbook.links.map(
    (l) => `<a class="btn" href="${e(l.url)}" rel="noopener noreferrer">${e(l.title)}</a>`,
  );
  const queries = d.queries
    .map(
      (q) => `<li><code>${e(q.name)}</code>${q.unit ? ` <small class="muted">(${e(q.unit)})</small>` : ''}
<pre><code>${e(q.query)}</code></pre>${q.graphUrl ? `<a href="${e(q.graphUrl)}" rel="noopener noreferrer">Open in Prometheus</a>` : ''}</li>`,
    )
    .join('');
  if (links.length === 0 && !queries) return '';
  return `<section class="panel"><h2>Links</h2>${links.join('')}${
    queries
      ? `<details><summary>Context queries (${d.queries.length})</summary><ul>${queries}</ul></details>`
      : ''
  }</section>`;
}

/**
 * One line under the title that answers "is it firing, how much, since when": the first thing
 * read on a phone, before the live values.
 */
function firingSummary(d: RunbookPageData): string {
  const f = d.firing;
  const sev = severityBadge(d.runbook.severity);
  if (!f.available)
    return `<p class="status meta">${sev}<span class="muted">firing state unavailable</span></p>`;
  if (f.total === 0) return `<p class="status meta">${sev}<span class="badge ok">not firing</span></p>`;
  const oldest = [...f.instances].sort((a, b) => b.firingForSeconds - a.firingForSeconds)[0];
  const since = oldest ? ` · for ${e(formatDuration(oldest.firingForSeconds))}` : '';
  return `<p class="status meta">${sev}<span class="badge firing">firing</span><span><b>${plural(f.total, 'instance')}</b>${since}</span></p>`;
}

/**
 * GET /runbooks/:alert as HTML. What the on-call needs first comes first, so that on a phone the
 * first screen holds it: title, whether and how long it fires, the live values; then what the
 * alert means, the firing instances, first steps, links and the runbook itself. Everything
 * interpolated is escaped; the body was sanitised.
 */
export function runbookPageHtml(d: RunbookPageData): string {
  const rb = d.runbook;
  const steps = rb.firstSteps.length
    ? `<section class="panel"><h2>First steps</h2><ol class="steps">${rb.firstSteps.map((s) => `<li>${inlineCode(s)}</li>`).join('')}</ol></section>`
    : '';
  const covers = rb.alerts
    .map((a) =>
      a === d.alert
        ? `<span class="badge">${e(a)}</span>`
        : `<a class="badge" href="${e(runbookHref(a))}">${e(a)}</a>`,
    )
    .join('');
  return page(
    `${d.alert} · runbook`,
    `<h1>${e(rb.title)}</h1>
${firingSummary(d)}
${livePanel(d)}
<p class="lead">${e(rb.summary)}</p>
<div class="meta">${rb.team ? `<span class="badge">team ${e(rb.team)}</span>` : ''}${covers}</div>
${firingPanel(d)}
${steps}
${linksPanel(d)}
<article class="body">${rb.bodyHtml}</article>`,
  );
}

/** GET /runbooks as HTML: firing runbooks first, then alerts firing without a runbook. */
export function runbookIndexHtml(d: RunbookIndexData): string {
  const firingCount = (r: RunbookIndexData['runbooks'][number]): number =>
    r.alerts.reduce((n, a) => n + a.firing, 0);
  const sorted = [...d.runbooks].sort((a, b) => firingCount(b) - firingCount(a));
  const cards = sorted
    .map((r) => {
      const n = firingCount(r);
      const alerts = r.alerts
        .map(
          (a) =>
            `<a class="badge${a.firing ? ' firing' : ''}" href="${e(runbookHref(a.name))}">${e(a.name)}${a.firing ? ` · ${a.firing} firing` : ''}</a>`,
        )
        .join('');
      return `<li${n ? ' class="is-firing"' : ''}><a class="title" href="${e(runbookHref(r.alerts[0]?.name ?? r.name))}">${e(r.title)}</a>
<p>${e(r.summary)}</p><div class="meta">${severityBadge(r.severity)}${alerts}</div></li>`;
    })
    .join('\n');
  const status = d.firing.available
    ? ''
    : `<section class="panel"><p class="muted">Firing alerts unavailable: ${e(d.firing.reason ?? 'unknown')}</p></section>`;
  const orphans = d.withoutRunbook.length
    ? `<section class="panel alarm"><h2>Firing without a runbook</h2><ul>${d.withoutRunbook
        .map((o) => `<li><code>${e(o.alertname)}</code> · ${plural(o.firing, 'instance')}</li>`)
        .join('')}</ul></section>`
    : '';
  const problems = d.problems.length
    ? `<section class="panel"><h2>Runbook problems</h2><ul>${d.problems.map((p) => `<li><code>${e(p)}</code></li>`).join('')}</ul></section>`
    : '';
  const deadman = !d.deadman
    ? ''
    : 'error' in d.deadman
      ? `<section id="deadman" class="panel"><h2>Dead man's switch</h2><p class="muted">${e(d.deadman.error)}</p></section>`
      : `<section id="deadman" class="panel${d.deadman.sources.some((s) => s.state === 'silent') ? ' alarm' : ''}"><h2>Dead man's switch</h2><ul>${d.deadman.sources
          .map(
            (s) =>
              `<li><code>${e(s.name)}</code> · ${s.state === 'silent' ? `<strong>silent since ${e(s.silentSince ?? '?')}</strong>` : s.state === 'waiting' ? 'waiting for first heartbeat' : 'ok'} · last heartbeat ${e(s.lastHeartbeat ?? 'never')} · grace ${s.graceSeconds}s</li>`,
          )
          .join('')}</ul></section>`;
  return page(
    'Runbooks · alert-router',
    `<h1>Runbooks</h1><p class="lead">${plural(d.runbooks.length, 'runbook')}; firing ones first.</p>${status}${deadman}${orphans}<ul class="cards">${cards}</ul>${problems}`,
  );
}

/** 404 for an unknown alert, with close names to try. */
export function notFoundHtml(alert: string, suggestions: readonly string[]): string {
  const shown = truncate(alert, 129);
  const list = suggestions.length
    ? `<p>Did you mean:</p><ul>${suggestions.map((s) => `<li><a href="${e(runbookHref(s))}">${e(s)}</a></li>`).join('')}</ul>`
    : '';
  return page(
    'No such runbook',
    `<h1>No runbook for <code>${e(shown)}</code></h1>${list}<p><a href="/runbooks">See every runbook</a></p>`,
  );
}
