import { KEY_LABELS } from '../../alert/key-labels.js';
import { truncate } from '../../lib/truncate.js';
import { own } from '../../lib/own.js';
import { SEVERITY_ICON, type SlackBlock, type SlackMessage } from './format-slack-message.js';
import { slackDate } from './slack-date.js';
import { escapeMrkdwn, slackCode, slackLink, truncateMrkdwn } from './slack-escape.js';
import { severityRank, type StormGroupEntry, type StormView } from './storm-types.js';

// Block Kit limits (3,000-char sections, 150-char headers) with margins.
const SECTION_MAX = 2900;
const HEADER_MAX = 148;
/** Entries in the by-severity and by-alertname lines before "+N more". */
const TOP_COUNTS = 8;
/** Groups named one by one, most severe first. */
const NAMED_GROUPS = 8;

/** Most severe first, then firing before resolved, then the longest firing first. */
export function stormOrder(a: StormGroupEntry, b: StormGroupEntry): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    (a.status === b.status ? 0 : a.status === 'firing' ? -1 : 1) ||
    (a.firingSince ?? Infinity) - (b.firingSince ?? Infinity) ||
    a.title.localeCompare(b.title)
  );
}

function counted<T>(items: readonly T[], keyOf: (t: T) => string | undefined): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = keyOf(item);
    if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function topLine(entries: Array<[string, number]>, label: (k: string) => string): string {
  const shown = entries.slice(0, TOP_COUNTS).map(([k, n]) => `${label(k)} ${n}`);
  const more = entries.length - TOP_COUNTS;
  return shown.join(' · ') + (more > 0 ? ` · +${more} more` : '');
}

// Severities come from label values: "constructor" must not find Object's prototype.
const icon = (severity: string): string => own(SEVERITY_ICON, severity.toLowerCase()) ?? ':white_circle:';

const isoOf = (ms: number): string => new Date(ms).toISOString();

function groupLine(g: StormGroupEntry): string {
  const keys = KEY_LABELS.filter((k) => k !== 'severity' && g.labels[k] !== undefined)
    .slice(0, 3)
    .map((k) => slackCode(`${k}=${g.labels[k]!}`));
  const since = g.firingSince !== undefined ? ` since ${slackDate(isoOf(g.firingSince))}` : '';
  const runbook = g.runbookUrl ? ` · ${slackLink(g.runbookUrl, 'Runbook')}` : '';
  const badge = icon(g.severity);
  const status = g.status === 'resolved' ? ' (resolved)' : '';
  return truncateMrkdwn(
    `${badge} *${escapeMrkdwn(truncate(g.title, 80))}*${status} ${keys.join(' ')}${since}${runbook}`,
    400,
  );
}

const section = (text: string): SlackBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncateMrkdwn(text, SECTION_MAX) },
});

/**
 * The storm's one message in the channel: how many groups, by severity and by alert name, the
 * most severe ones named, the time window, and a link to the page listing every group. Once the
 * storm is over it says so, with what is still firing.
 * @example formatStormDigest(view, 'https://alert-router.example.com').text // 'Alert storm: 312 groups, 290 firing'
 */
export function formatStormDigest(view: StormView, publicUrl: string): SlackMessage {
  const groups = [...view.groups].sort(stormOrder);
  const firing = groups.filter((g) => g.status === 'firing');
  const resolved = groups.length - firing.length;
  const over = view.endedAt !== undefined;
  const n = groups.length;
  const header = over
    ? `Storm over: ${n} groups, ${resolved} resolved, ${firing.length} still firing`
    : `Alert storm: ${n} groups, ${firing.length} firing, ${resolved} resolved`;
  const bySeverity = topLine(
    counted(groups, (g) => g.severity || 'no severity').sort(
      (a, b) => severityRank(a[0]) - severityRank(b[0]) || b[1] - a[1],
    ),
    (k) => `${icon(k)} ${escapeMrkdwn(truncate(k, 40))}`,
  );
  const byName = topLine(
    counted(groups, (g) => g.alertnames[0] ?? g.title),
    (k) => `*${escapeMrkdwn(truncate(k, 60))}*`,
  );
  const named = (over ? firing : groups).slice(0, NAMED_GROUPS);
  const namedTitle = over
    ? firing.length > 0
      ? '*Still firing, most severe first:*'
      : '*Every group of the storm has resolved.*'
    : '*Most severe first:*';
  const unnamed = (over ? firing.length : n) - named.length;
  const window = [
    `Started ${slackDate(isoOf(view.startedAt))}`,
    `last group joined ${slackDate(isoOf(view.lastJoinAt))}`,
    ...(over ? [`over ${slackDate(isoOf(view.endedAt))}`] : ['new groups in this channel join here']),
  ].join(' · ');
  const page = `${publicUrl}/storms/${encodeURIComponent(view.id)}`;
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(header, HEADER_MAX), emoji: true } },
    section(`*By severity:* ${bySeverity}\n*By alert:* ${byName}`),
    section(
      [
        namedTitle,
        ...named.map(groupLine),
        ...(unnamed > 0 ? [`…and ${unnamed} more on the storm page`] : []),
      ].join('\n'),
    ),
    { type: 'context', elements: [{ type: 'mrkdwn', text: truncateMrkdwn(window, SECTION_MAX) }] },
    {
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: `All ${n} groups` }, url: page }],
    },
  ];
  return { text: truncate(header, 3000), blocks };
}
