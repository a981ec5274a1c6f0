import { escapeHtml as e } from '../lib/html-escape.js';
import { htmlPage } from '../lib/html-page.js';
import type { ProblemJob, ProblemPage, ProblemState, RepairableQueue } from '../queue/failed-jobs.js';

export interface FailuresView {
  readonly counts: Record<RepairableQueue, Record<ProblemState, number>>;
  readonly deliveries: Record<ProblemState, ProblemPage>;
  readonly notifications: ProblemPage;
  /** The channel the page is narrowed to (`?channel=`), if any. */
  readonly channel?: string | undefined;
  /** Every configured channel, for the filter links. */
  readonly channels: readonly string[];
  /** What the last action did ("Retried 3 jobs"), after post/redirect/get. */
  readonly notice?: string | undefined;
  readonly now: number;
}

const CSS = `form.inline{display:inline}.job{border-top:1px solid var(--border);padding:.7rem 0}.job:first-of-type{border-top:0}
.job .reason{font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#ffb4b4;overflow-wrap:anywhere;white-space:pre-wrap;margin:.3rem 0}
.btn.danger{color:var(--crit);border-color:#5a2a30}p.notice{background:#12301f;border:1px solid #24563a;border-radius:10px;padding:.5rem .8rem}`;

/** "3 min", "2 h 5 min", "4 d": an age read at a glance. */
export function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

function actionForm(
  action: 'retry' | 'discard',
  fields: Record<string, string>,
  label: string,
  danger = false,
): string {
  const hidden = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${e(k)}" value="${e(v)}">`)
    .join('');
  return `<form class="inline" method="post" action="/failures/${action}">${hidden}<button class="btn${danger ? ' danger' : ''}" type="submit">${e(label)}</button></form>`;
}

function jobHtml(job: ProblemJob, now: number): string {
  const when =
    job.state === 'failed' && job.failedAt
      ? `failed ${age(now - job.failedAt)} ago, queued ${age(now - job.queuedAt)} ago`
      : `queued ${age(now - job.queuedAt)} ago`;
  const retry = job.state === 'failed' ? 'Retry' : job.state === 'delayed' ? 'Retry now' : undefined;
  const fields = { queue: job.queue, id: job.id };
  return `<div class="job">
<div class="meta"><b>${e(job.alertname || '(no alertname)')}</b><span class="badge ${job.status === 'firing' ? 'firing' : 'ok'}">${e(job.status)}</span>${
    job.channel ? `<span class="badge">${e(job.channel)}</span>` : ''
  }<span class="muted"><small>${job.alerts} alert${job.alerts === 1 ? '' : 's'} · attempt ${job.attemptsMade} of ${job.attempts} · ${e(when)}</small></span></div>
<div class="labels"><code class="label"><b>group </b>${e(job.groupKey)}</code></div>
${job.reason ? `<div class="reason">${e(job.reason)}</div>` : ''}
<div>${retry ? actionForm('retry', fields, retry) : ''}${actionForm('discard', fields, 'Discard', true)}</div>
</div>`;
}

function more(page: ProblemPage, shown: number): string {
  return page.total > shown
    ? `<p class="muted"><small>${shown} of ${page.total} shown, newest first; <a href="/api/failures">/api/failures</a> pages through the rest.</small></p>`
    : '';
}

function failedDeliveries(v: FailuresView): string {
  const page = v.deliveries.failed;
  // Bulk actions for the channel the page is narrowed to, else for each channel on this page.
  const channels = v.channel
    ? [v.channel]
    : [...new Set(page.jobs.map((j) => j.channel ?? ''))].filter(Boolean);
  const bulk = channels
    .map(
      (c) =>
        `<div class="meta"><span class="badge">${e(c)}</span>${actionForm('retry', { queue: 'deliveries', channel: c, all: '1' }, `Retry all failed for ${c}`)}${actionForm('discard', { queue: 'deliveries', channel: c, all: '1' }, `Discard all failed for ${c}`, true)}</div>`,
    )
    .join('');
  const body =
    page.jobs.length === 0
      ? `<p class="muted">No failed deliveries${v.channel ? ` for ${e(v.channel)}` : ''}.</p>`
      : `${bulk}${page.jobs.map((j) => jobHtml(j, v.now)).join('')}${more(page, page.jobs.length)}`;
  return `<section class="panel${page.jobs.length ? ' alarm' : ' calm'}"><h2>Failed deliveries (${v.counts.deliveries.failed})</h2>
<p class="muted"><small>Attempts used up, or a permanent error from the vendor. Retrying starts the attempts over; a Slack message is updated in place, never posted twice, and PagerDuty dedups on the same key.</small></p>${body}</section>`;
}

function section(title: string, hint: string, page: ProblemPage, total: number, now: number): string {
  if (total === 0) return '';
  return `<section class="panel"><h2>${e(title)} (${total})</h2><p class="muted"><small>${e(hint)}</small></p>${page.jobs
    .map((j) => jobHtml(j, now))
    .join('')}${more(page, page.jobs.length)}</section>`;
}

/**
 * The operator's page of what did not reach its audience: failed deliveries with their reason,
 * attempts and age, retry and discard (one, or all of a channel), then deliveries waiting for a
 * retry or a worker and notifications the routing stage gave up on. Forms only, no script.
 */
export function failuresPageHtml(v: FailuresView): string {
  const filters = [
    `<a href="/failures"${v.channel ? '' : ' aria-current="page"'}>all channels</a>`,
    ...v.channels.map(
      (c) =>
        `<a href="/failures?channel=${encodeURIComponent(c)}"${v.channel === c ? ' aria-current="page"' : ''}>${e(c)}</a>`,
    ),
  ].join(' · ');
  const c = v.counts;
  const body = `<h1>Failed deliveries</h1>
<p class="lead">${c.deliveries.failed} failed, ${c.deliveries.delayed} waiting to be retried, ${c.deliveries.waiting} waiting for a worker; ${c.notifications.failed} notifications failed before routing.</p>
${v.notice ? `<p class="notice" role="status">${e(v.notice)}</p>` : ''}
<p><small>Channel: ${filters} · <a href="/api/failures${v.channel ? `?channel=${encodeURIComponent(v.channel)}` : ''}">JSON</a></small></p>
${failedDeliveries(v)}
${section('Retrying', 'Deliveries that failed and wait for their next attempt (the reason is the last error).', v.deliveries.delayed, c.deliveries.delayed, v.now)}
${section('Waiting for a worker', 'Queued deliveries no worker has taken yet: many here means the workers are down or behind.', v.deliveries.waiting, c.deliveries.waiting, v.now)}
${section('Notifications that failed before routing', 'The routing stage gave up on these: no channel got them. Retry once the cause (see the reason) is fixed.', v.notifications, c.notifications.failed, v.now)}`;
  return htmlPage({ title: 'Failed deliveries · alert-router', body, current: '/failures', css: CSS });
}
