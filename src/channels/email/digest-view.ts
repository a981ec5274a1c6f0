import { truncate } from '../../lib/truncate.js';
import type { DigestItem } from './digest-entry.js';
import { clockTime, humanDuration } from './email-time.js';

/** One digest: a channel's batch of one window. */
export interface DigestBatch {
  /** The configured channel name. */
  readonly channel: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly items: readonly DigestItem[];
}

/** What the text and the HTML of a digest say, once. */
export interface DigestView {
  readonly subject: string;
  /** "7 info notifications, 12:00-12:15 UTC". */
  readonly title: string;
  /** "5 alert groups, most recent first: 2 firing, 3 resolved". */
  readonly overview: string;
  readonly severity: string;
  readonly items: ReadonlyArray<DigestItem & { readonly when?: string; readonly updates?: string }>;
  /** Groups in the batch past MAX_ITEMS, not listed. */
  readonly more: number;
  readonly footer: string;
}

/** A digest lists at most this many groups: an SMTP server refuses a message past its size limit. */
const MAX_ITEMS = 500;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "12:00-12:15 UTC"; with seconds when the window is not whole minutes (shorter windows, in tests). */
function windowSpan(start: number, end: number): string {
  const chars = start % 60_000 === 0 && end % 60_000 === 0 ? 16 : 19;
  const at = (ms: number): string => new Date(ms).toISOString().slice(11, chars);
  return `${at(start)}-${at(end)} UTC`;
}

function itemWhen(i: DigestItem, now: number): string | undefined {
  if (i.status === 'resolved' && i.resolvedAt !== undefined && i.firingSince !== undefined)
    return `resolved at ${clockTime(i.resolvedAt, now)} after firing for ${humanDuration(i.resolvedAt - i.firingSince)}`;
  if (i.firingSince === undefined) return undefined;
  return i.status === 'resolved'
    ? `resolved; firing since ${clockTime(i.firingSince, now)}`
    : `firing since ${clockTime(i.firingSince, now)} (${humanDuration(now - i.firingSince)})`;
}

/** Everything a digest shows: each group once, its latest notification, the most recent first. */
export function digestView(b: DigestBatch, now: number): DigestView {
  const sorted = [...b.items].sort((x, y) => y.receivedAt - x.receivedAt || x.title.localeCompare(y.title));
  const notifications = sorted.reduce((n, i) => n + i.notifications, 0);
  const severities = [...new Set(sorted.map((i) => i.severity.toLowerCase()))].sort();
  const severity = severities.length <= 3 ? severities.join('/') : 'low-severity';
  const span = windowSpan(b.windowStart, b.windowEnd);
  const title = `${plural(notifications, `${severity} notification`)}, ${span}`;
  const firing = sorted.filter((i) => i.status === 'firing').length;
  const counts = [
    firing > 0 && `${firing} firing`,
    firing < sorted.length && `${sorted.length - firing} resolved`,
  ]
    .filter(Boolean)
    .join(', ');
  const minutes = (b.windowEnd - b.windowStart) / 60_000;
  return {
    subject: truncate(`[alert-router] Digest: ${title}`, 250).replace(/[\r\n]+/g, ' '),
    title,
    overview: `${plural(sorted.length, 'alert group')}, most recent first: ${counts}. Each is listed once, as its latest notification left it.`,
    severity,
    items: sorted.slice(0, MAX_ITEMS).map((i) => {
      const when = itemWhen(i, now);
      return {
        ...i,
        ...(when ? { when } : {}),
        ...(i.notifications > 1 ? { updates: `${i.notifications} notifications in this window` } : {}),
      };
    }),
    more: Math.max(0, sorted.length - MAX_ITEMS),
    footer: `Sent by alert-router for channel ${b.channel}: ${severity} notifications are collected and sent every ${
      Number.isInteger(minutes)
        ? plural(minutes, 'minute')
        : plural((b.windowEnd - b.windowStart) / 1000, 'second')
    }.`,
  };
}
