import { httpUrl } from '../alert/alert-links.js';
import { formatDuration, utcText } from '../alert/format-duration.js';
import type { StormGroupEntry, StormSummary, StormView } from '../channels/slack/storm-types.js';
import { escapeHtml as e } from '../lib/html-escape.js';
import { htmlPage } from '../lib/html-page.js';
import { truncate } from '../lib/truncate.js';
import { STORM_CSS } from './storm-page-css.js';
import {
  STATUS_FILTERS,
  STORM_SORTS,
  sortGroups,
  stormCounts,
  type StatusFilter,
  type StormCounts,
  type StormSort,
} from './storm-page-data.js';

/** Label values are anyone's: a 10 kB value must not make a thousand-row page ten megabytes. */
const MAX_LABEL = 160;
const MAX_TITLE = 200;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const ago = (ms: number, now: number): string => formatDuration((now - ms) / 1000);

/** Only the known severities get a colour: an attacker's `severity` must not choose our classes. */
const SEVERITY_CLASS: Record<string, string> = {
  critical: 'sev-critical',
  error: 'sev-error',
  high: 'sev-high',
  warning: 'sev-warning',
  medium: 'sev-medium',
  low: 'sev-low',
  info: 'sev-info',
};
function severityBadge(severity: string, extra = ''): string {
  const cls = SEVERITY_CLASS[severity.toLowerCase()];
  return `<span class="badge${cls ? ` ${cls}` : ''}">${e(severity || 'no severity')}${extra}</span>`;
}

const page = (title: string, body: string): string =>
  htmlPage({ title, body, current: '/storms', css: STORM_CSS });

/** `/storms/<id>?sort=…&status=…`, the defaults left out so the plain address is the default view. */
export function stormHref(id: string, sort: StormSort, status: StatusFilter): string {
  const q = [sort === 'severity' ? '' : `sort=${sort}`, status === 'all' ? '' : `status=${status}`].filter(
    Boolean,
  );
  return `/storms/${encodeURIComponent(id)}${q.length ? `?${q.join('&')}` : ''}`;
}

/**
 * "13:09 UTC" on the day it is now (in UTC), else "2026-11-24 23:50 UTC": beside a relative time
 * the date is noise, and the short form keeps a row's time and links on one line of a phone.
 */
export function clockText(ms: number, now: number): string {
  const full = utcText(ms);
  return full.slice(0, 10) === utcText(now).slice(0, 10) ? full.slice(11) : full;
}

/**
 * One group: status, severity, alert count; title; its labels but `alertname` (the title says
 * it) and `severity` (the badge does); how long it fires; its runbook and silence, when http(s).
 */
function groupRow(g: StormGroupEntry, now: number): string {
  const firing = g.status === 'firing';
  const labels = Object.keys(g.labels)
    .filter((k) => k !== 'alertname' && k !== 'severity')
    .sort()
    .map(
      (k) => `<span><i>${e(truncate(k, MAX_LABEL))}=</i>${e(truncate(g.labels[k] ?? '', MAX_LABEL))}</span>`,
    )
    .join(' ');
  const since =
    g.firingSince === undefined
      ? '<span>start unknown</span>'
      : `<span>${firing ? 'for <b>' : 'started <b>'}${e(ago(g.firingSince, now))}</b>${firing ? '' : ' ago'} · ${e(clockText(g.firingSince, now))}</span>`;
  const total = g.firingAlerts + g.resolvedAlerts;
  const alerts =
    firing && g.resolvedAlerts > 0
      ? `<small>${g.firingAlerts} of ${total} alerts firing</small>`
      : total > 1
        ? `<small>${total} alerts</small>`
        : '';
  const runbook = httpUrl(g.runbookUrl);
  const silence = httpUrl(g.silenceUrl);
  const links =
    runbook || silence
      ? `<span class="l">${runbook ? `<a href="${e(runbook)}" rel="noopener noreferrer">Runbook</a>` : ''}${
          silence ? `<a href="${e(silence)}" rel="noopener noreferrer">Silence…</a>` : ''
        }</span>`
      : '';
  return `<li class="${firing ? 'f' : 'r'}"><p class="h"><span class="badge ${firing ? 'firing' : 'ok'}">${firing ? 'firing' : 'resolved'}</span>${severityBadge(g.severity)}${alerts}</p><p class="n">${e(truncate(g.title, MAX_TITLE))}</p>${
    labels ? `<p class="lb">${labels}</p>` : ''
  }<p class="t">${since}${links}</p></li>`;
}

function header(v: StormView, c: StormCounts, now: number): string {
  const state =
    v.endedAt === undefined
      ? '<span class="badge firing">ongoing</span>'
      : '<span class="badge ok">over</span>';
  const when = (label: string, ms: number): string =>
    `<dt>${label}</dt><dd><b>${e(ago(ms, now))} ago</b> · ${e(clockText(ms, now))}</dd>`;
  const severities = c.bySeverity
    .map((s) =>
      severityBadge(s.severity, ` · ${s.groups}${s.firing !== s.groups ? ` · ${s.firing} firing` : ''}`),
    )
    .join('');
  const names = c.topAlertnames
    .map((n) => `<li><span>${e(truncate(n.alertname, MAX_TITLE))}</span><b>${n.groups}</b></li>`)
    .join('');
  const others = c.alertnames - c.topAlertnames.length;
  return `<h1>Storm · ${e(v.channel)} ${state}</h1>
<dl class="when">${when('Started', v.startedAt)}${when('Last joined', v.lastJoinAt)}${v.endedAt === undefined ? '' : when('Over', v.endedAt)}</dl>
<section class="panel${v.endedAt === undefined && c.firing > 0 ? ' alarm' : ''}"><div class="totals"><div><span>groups</span><b>${c.groups}</b></div><div class="f"><span>firing</span><b>${c.firing}</b></div><div class="r"><span>resolved</span><b>${c.resolved}</b></div></div>
<div class="meta">${severities}</div>${
    names
      ? `<h2>Top alert names</h2><ol class="top">${names}</ol>${others > 0 ? `<small class="muted">and ${plural(others, 'other name')}</small>` : ''}`
      : ''
  }</section>`;
}

const SORT_TEXT: Record<StormSort, string> = {
  severity: 'most severe first',
  status: 'firing first',
  since: 'firing longest first',
  name: 'by name',
};

/** Plain links (the page has no script); the current choice carries aria-current. */
function controls(id: string, c: StormCounts, sort: StormSort, status: StatusFilter): string {
  const mark = (on: boolean): string => (on ? ' aria-current="true"' : '');
  const sorts = STORM_SORTS.map(
    (s) => `<a href="${e(stormHref(id, s, status))}#groups"${mark(s === sort)}>${s}</a>`,
  ).join('');
  const count: Record<StatusFilter, number> = { all: c.groups, firing: c.firing, resolved: c.resolved };
  const filters = STATUS_FILTERS.map(
    (f) => `<a href="${e(stormHref(id, sort, f))}#groups"${mark(f === status)}>${f} ${count[f]}</a>`,
  ).join('');
  return `<nav class="ctl" aria-label="Sort groups"><span>Sort</span>${sorts}</nav>
<nav class="ctl" aria-label="Show groups"><span>Show</span>${filters}</nav>`;
}

/**
 * GET /storms/:id as HTML: the header (state, times, totals, severities, top names) fits a phone's
 * first screen; then every group in the asked order. Everything from the view is escaped, and
 * links from alert data are kept only when http(s).
 * @example stormPageHtml(view, { sort: 'severity', status: 'all', now: Date.now() })
 */
export function stormPageHtml(
  v: StormView,
  o: { readonly sort: StormSort; readonly status: StatusFilter; readonly now: number },
): string {
  const c = stormCounts(v);
  const groups = sortGroups(v.groups, o.sort, o.status);
  const list = groups.length
    ? `<ol class="groups">${groups.map((g) => groupRow(g, o.now)).join('\n')}</ol>`
    : `<p class="muted">No ${o.status === 'all' ? '' : `${o.status} `}group.</p>`;
  const shown =
    o.status === 'all' ? plural(groups.length, 'group') : `${groups.length} ${o.status} of ${c.groups}`;
  return page(
    `Storm · ${v.channel} · alert-router`,
    `${header(v, c, o.now)}
<h2 id="groups">${shown} · ${SORT_TEXT[o.sort]}</h2>
${controls(v.id, c, o.sort, o.status)}
${list}
<p><a href="/storms">Every storm</a> · <a href="${e(`/storms/${encodeURIComponent(v.id)}?format=json`)}">JSON</a></p>`,
  );
}

/** GET /storms as HTML: the recent storms, newest first. */
export function stormIndexHtml(storms: readonly StormSummary[], now: number): string {
  const cards = storms
    .map((s) => {
      const ongoing = s.endedAt === undefined;
      const end = ongoing
        ? `started ${e(ago(s.startedAt, now))} ago · last group joined ${e(ago(s.lastJoinAt, now))} ago`
        : `over ${e(utcText(s.endedAt ?? s.lastJoinAt))}`;
      return `<li${ongoing ? ' class="is-firing"' : ''}><a class="title" href="${e(`/storms/${encodeURIComponent(s.id)}`)}">${e(s.channel)} · ${e(utcText(s.startedAt))}</a>
<div class="meta">${ongoing ? '<span class="badge firing">ongoing</span>' : '<span class="badge ok">over</span>'}<span>${plural(s.groups, 'group')} · ${s.firing} firing</span></div><p>${end}</p></li>`;
    })
    .join('\n');
  const body = storms.length
    ? `<ul class="cards">${cards}</ul>`
    : `<section class="panel"><p><b>No storm recorded.</b> A storm begins when more new alert groups than a Slack channel's <code>storm.threshold</code> reach it within <code>storm.windowSeconds</code>; the groups beyond the threshold are listed here instead of posted one by one.</p></section>`;
  return page(
    'Storms · alert-router',
    `<h1>Storms</h1><p class="lead">Alert storms per Slack channel, newest first.</p>${body}`,
  );
}

/** 404 for an unknown or malformed storm id. */
export function stormNotFoundHtml(id: string): string {
  return page(
    'No such storm',
    `<h1>No storm <code>${e(truncate(id, 129))}</code></h1><p>It may have expired, or the address is cut short.</p><p><a href="/storms">See the recent storms</a></p>`,
  );
}

/** 503 when the storm store does not answer. */
export function stormUnavailableHtml(): string {
  return page(
    'Storms unavailable',
    `<h1>Storms unavailable</h1><p>The storm store did not answer (Redis?). Try again in a moment; <a href="/readyz">/readyz</a> says whether Redis answers.</p>`,
  );
}
