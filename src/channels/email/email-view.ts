import type { Alert, WebhookPayload } from '../../alert/webhook-payload.js';
import type { NotificationContext } from '../../alert/notification-context.js';
import { messageLinks, type MessageLink, type LinkOptions } from '../../alert/alert-links.js';
import { valueText } from '../../alert/format-value.js';
import { historyText } from '../../alert/format-duration.js';
import { orderedAlerts } from '../../alert/alert-order.js';
import { groupFiringWindow } from '../../alert/firing-time.js';
import { groupTitle } from '../../alert/group-name.js';
import { KEY_LABELS } from '../../alert/key-labels.js';
import { varyingLabels } from '../../alert/varying-labels.js';
import { truncate } from '../../lib/truncate.js';
import { own } from '../../lib/own.js';
import { clockTime, humanDuration, parseTime } from './email-time.js';

/** One live value line: "now", a burn-rate window, a runbook context query. */
export interface LiveLine {
  readonly name: string;
  readonly value: string;
  readonly threshold?: string;
  /** A text sparkline of the last hour, for the alert's own value. */
  readonly sparkline?: string;
}

export interface AlertView {
  readonly status: string;
  /** What tells this alert apart from the others: its varying labels, else its summary; '' alone. */
  readonly heading: string;
  /** Its summary and description, only where they differ from the group's. */
  readonly summary?: string;
  readonly description?: string;
  readonly live: readonly LiveLine[];
  /** Its own time, only where it differs from the group's. */
  readonly when?: string;
}

/** What an email says, once, for both its parts: the text and the HTML render the same view. */
export interface EmailView {
  readonly status: 'firing' | 'resolved';
  readonly severity: string;
  /** "FIRING · CRITICAL", "RESOLVED · WARNING". */
  readonly kicker: string;
  /** "HighErrorRate (inference-gateway)". */
  readonly title: string;
  readonly summary?: string;
  readonly description?: string;
  /** "Firing since 03:12 UTC (14 min)", "Resolved at 03:40 UTC after firing for 28 min". */
  readonly when?: string;
  /** "2 of 3 alerts firing". */
  readonly count: string;
  readonly unavailable?: string;
  /** The labels every alert shares (alertname aside: it is the title), most useful first. */
  readonly common: ReadonlyArray<readonly [string, string]>;
  /** Each runbook's summary and first steps; only while firing. */
  readonly runbooks: ReadonlyArray<{
    readonly name: string;
    readonly summary?: string;
    readonly steps: readonly string[];
  }>;
  readonly alerts: readonly AlertView[];
  /** Alerts not listed (past MAX_ALERTS, or truncated by Alertmanager). */
  readonly more: number;
  readonly links: readonly MessageLink[];
  readonly receiver: string;
}

const MAX_ALERTS = 50;
const MAX_COMMON = 30;
const MAX_VARYING = 12;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function liveLines(context: NotificationContext | undefined, a: Alert): LiveLine[] {
  const live = own(context?.alerts, a.fingerprint);
  const lines: LiveLine[] = [];
  if (live?.value !== undefined)
    lines.push({
      name: 'now',
      value: truncate(live.value, 100),
      ...(live.threshold ? { threshold: truncate(live.threshold, 100) } : {}),
      ...(live.sparkline ? { sparkline: truncate(live.sparkline, 100) } : {}),
    });
  // A resolved alert says how bad it got instead (its "now" fields are absent by then).
  if (live?.resolved?.peak !== undefined)
    lines.push({
      name: live.resolved.peakKind === 'lowest' ? 'lowest' : 'peak',
      value: truncate(live.resolved.peak, 100),
    });
  for (const v of (live?.values ?? []).slice(0, 12))
    lines.push({
      name: truncate(v.name, 100),
      value: truncate(`${valueText(v)}${v.history ? ` ${historyText(v.history)}` : ''}`, 150),
      ...(v.threshold ? { threshold: truncate(v.threshold, 100) } : {}),
    });
  return lines;
}

/** Key labels first (severity, service, team, ...), then the rest by name. */
function byUsefulness([a]: readonly [string, string], [b]: readonly [string, string]): number {
  const rank = (k: string): number => (KEY_LABELS.includes(k) ? KEY_LABELS.indexOf(k) : KEY_LABELS.length);
  return rank(a) - rank(b) || a.localeCompare(b);
}

/** When the group started: its firing alerts' first start, else any alert's (a loop: 60,000 alerts fit a group). */
export function groupStart(alerts: readonly Alert[]): number | undefined {
  const firing = alerts.filter((a) => a.status === 'firing');
  let start: number | undefined;
  for (const a of firing.length > 0 ? firing : alerts) {
    const t = parseTime(a.startsAt);
    if (t !== undefined && (start === undefined || t < start)) start = t;
  }
  return start;
}

/** The group's time line: how long it has fired, or when it resolved and how long it had fired. */
function groupWhen(p: WebhookPayload, alerts: readonly Alert[], now: number): string | undefined {
  const start = groupStart(alerts);
  if (start === undefined) return undefined;
  if (p.status !== 'resolved') return `Firing since ${clockTime(start, now)} (${humanDuration(now - start)})`;
  // The same span Slack's resolved reply states: first start to last end of the resolved alerts.
  const span = groupFiringWindow(alerts);
  if (span === undefined) return `Resolved; firing since ${clockTime(start, now)}`;
  return `Resolved at ${clockTime(span.to, now)} after firing for ${humanDuration(span.to - span.from)} (from ${clockTime(span.from, now)})`;
}

/** An alert's own time, only where the group's time line does not already say it. */
function alertWhen(a: Alert, groupStart: number | undefined, now: number): string | undefined {
  const start = parseTime(a.startsAt);
  if (start === undefined) return undefined;
  const end = parseTime(a.endsAt);
  if (a.status === 'resolved' && end !== undefined && end >= start)
    return `resolved at ${clockTime(end, now)} after ${humanDuration(end - start)}`;
  if (a.status === 'resolved' || start === groupStart) return undefined;
  return `since ${clockTime(start, now)} (${humanDuration(now - start)})`;
}

/**
 * Everything an email shows, bounded: SMTP servers refuse large messages (Postfix: 10 MB by
 * default), and the HTML copy can be six times the text once escaped.
 */
export function emailView(
  p: WebhookPayload,
  context: NotificationContext | undefined,
  opts: LinkOptions & { readonly now: number },
): EmailView {
  const alerts = orderedAlerts(p);
  const resolved = p.status === 'resolved';
  const firing = alerts.filter((a) => a.status === 'firing').length;
  const severity = truncate(p.commonLabels.severity ?? 'unknown', 50);
  const service = p.commonLabels.service ? ` (${truncate(p.commonLabels.service, 200)})` : '';
  const summary =
    p.commonAnnotations.summary ?? (alerts.length === 1 ? alerts[0]?.annotations.summary : undefined);
  const description =
    p.commonAnnotations.description ?? (alerts.length === 1 ? alerts[0]?.annotations.description : undefined);
  const shown = alerts.slice(0, MAX_ALERTS);
  const varying = varyingLabels(shown.map((a) => a.labels))
    .sort()
    .slice(0, MAX_VARYING);
  const groupTime = groupWhen(p, alerts, opts.now);
  const start = groupStart(alerts);
  const views = shown.map((a): AlertView => {
    const ownSummary =
      a.annotations.summary && a.annotations.summary !== summary ? a.annotations.summary : undefined;
    // A group of one needs no heading: the title and the labels above already name it.
    const heading =
      alerts.length === 1
        ? ''
        : varying
            .filter((k) => a.labels[k] !== undefined)
            .map((k) => `${truncate(k, 100)}=${truncate(a.labels[k]!, 200)}`)
            .join(', ') ||
          ownSummary ||
          a.labels.alertname ||
          'alert';
    const when = alerts.length > 1 ? alertWhen(a, start, opts.now) : undefined;
    return {
      status: a.status,
      heading: truncate(heading, 1000),
      ...(ownSummary && ownSummary !== heading ? { summary: truncate(ownSummary, 300) } : {}),
      ...(a.annotations.description && a.annotations.description !== description
        ? { description: truncate(a.annotations.description, 2000) }
        : {}),
      live: liveLines(context, a),
      ...(when ? { when } : {}),
    };
  });
  const common = Object.entries(p.commonLabels)
    // The title names the alert and the status header its severity.
    .filter(([k]) => k !== 'alertname' && k !== 'severity')
    .sort(byUsefulness)
    .slice(0, MAX_COMMON)
    .map(([k, v]) => [truncate(k, 100), truncate(v, 500)] as const);
  const runbooks = resolved
    ? []
    : Object.entries(context?.runbooks ?? {})
        .slice(0, 3)
        .map(([name, rb]) => ({
          name: truncate(name, 200),
          ...(rb.summary ? { summary: truncate(rb.summary, 300) } : {}),
          steps: (rb.firstSteps ?? []).slice(0, 3).map((s) => truncate(s, 200)),
        }));
  return {
    status: resolved ? 'resolved' : 'firing',
    severity,
    kicker: `${resolved ? 'RESOLVED' : 'FIRING'} · ${severity.toUpperCase()}`,
    title: `${truncate(groupTitle(p), 200)}${service}`,
    ...(summary ? { summary: truncate(summary, 300) } : {}),
    ...(description ? { description: truncate(description, 2000) } : {}),
    ...(groupTime ? { when: groupTime } : {}),
    count: resolved
      ? `${plural(alerts.length, 'alert')} resolved`
      : alerts.length === 1
        ? '1 alert firing'
        : `${firing} of ${plural(alerts.length, 'alert')} firing`,
    // Once resolved there are no live values to miss.
    ...(context && !context.available && !resolved
      ? {
          unavailable: `Live context unavailable${context.reason ? `: ${truncate(context.reason, 200)}` : ''}`,
        }
      : {}),
    common,
    runbooks,
    alerts: views,
    more: alerts.length - shown.length + p.truncatedAlerts,
    // A resolved group needs no silence: there is nothing left to quiet.
    links: messageLinks(p, opts, context?.runbooks).filter((l) => !(resolved && l.kind === 'silence')),
    receiver: truncate(p.receiver, 200),
  };
}
