import { escapeHtml as e } from '../../lib/html-escape.js';
import { truncate } from '../../lib/truncate.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Past this a custom detail is cut: the page stays readable whatever the group holds. */
const DETAIL_MAX = 20_000;

const isScalar = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);

function detail(key: string, value: unknown): string {
  if (isScalar(value)) return `<dt>${e(key)}</dt><dd>${e(truncate(String(value), 2000))}</dd>`;
  // A small flat object (common labels, a runbook's summary) reads best as its lines.
  if (isObj(value) && Object.keys(value).length <= 30 && Object.values(value).every(isScalar))
    return `<dt>${e(key)}</dt><dd>${Object.entries(value)
      .map(([k, v]) => `<div>${e(k)}: ${e(truncate(String(v), 500))}</div>`)
      .join('')}</dd>`;
  const json = truncate(JSON.stringify(value, null, 2) ?? '', DETAIL_MAX);
  return `<dt>${e(key)}</dt><dd><details><summary>${Array.isArray(value) ? `${value.length} item${value.length === 1 ? '' : 's'}` : `${Object.keys(value as Obj).length} fields`}</summary><pre>${e(json)}</pre></details></dd>`;
}

/**
 * A PagerDuty Events API v2 event as an incident reads in PagerDuty: trigger or resolve, severity,
 * summary, source and the custom details; links as buttons.
 * @example pagerdutyCard({ event_action: 'trigger', dedup_key: 'abc', payload: { summary: 'x', severity: 'critical', source: 'y', custom_details: {} } })
 */
export function pagerdutyCard(event: unknown): string {
  const ev = isObj(event) ? event : {};
  const p = isObj(ev.payload) ? ev.payload : {};
  const action = ev.event_action === 'resolve' ? 'resolve' : 'trigger';
  const severity = typeof p.severity === 'string' ? p.severity : undefined;
  const facts = (['source', 'component', 'group', 'class', 'timestamp'] as const)
    .filter((k) => typeof p[k] === 'string' && p[k] !== '')
    .map((k) => detail(k, p[k]));
  const details = isObj(p.custom_details)
    ? Object.entries(p.custom_details).map(([k, v]) => detail(k, v))
    : [];
  const links = (Array.isArray(ev.links) ? ev.links : [])
    .filter(isObj)
    .filter((l) => typeof l.href === 'string' && /^https?:\/\//i.test(l.href))
    .map(
      (l) =>
        `<a class="btn" href="${e(String(l.href))}" target="_blank" rel="noopener noreferrer">${e(String(l.text ?? l.href))}</a>`,
    );
  const summary =
    typeof p.summary === 'string' ? p.summary : action === 'resolve' ? 'Resolve the incident' : '';
  return `<div class="pd ${action === 'resolve' ? 'pd-resolve' : 'pd-trigger'}">
<div class="meta"><span class="badge ${action === 'resolve' ? 'ok' : 'firing'}">${e(action)}</span>${
    severity ? `<span class="badge sev-${e(severity)}">${e(severity)}</span>` : ''
  }<small class="muted">dedup_key ${e(truncate(typeof ev.dedup_key === 'string' ? ev.dedup_key : '', 16))}</small></div>
<p class="pd-summary">${e(summary)}</p>${links.length > 0 ? `<div>${links.join('')}</div>` : ''}
${facts.length + details.length > 0 ? `<dl class="pd-details">${[...facts, ...details].join('')}</dl>` : ''}</div>`;
}
