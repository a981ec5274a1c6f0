import type { MessageLink, LinkOptions } from '../../alert/alert-links.js';
import { groupFiringWindow } from '../../alert/firing-time.js';
import { groupHash } from '../../alert/notification-key.js';
import type { Delivery } from '../delivery.js';
import { emailView, groupStart } from './email-view.js';

/**
 * What a digest lists for one alert group: what its own email would have said at a glance, from
 * the email's view. Stored in Redis until the digest is sent, so it holds only what the email
 * shows (no secrets), bounded. Times are kept as numbers: the digest states them as of its sending.
 */
export interface DigestEntry {
  /** groupHash(groupKey): the group's id everywhere in Redis. */
  readonly group: string;
  /** "DiskFillingSlowly (billing)". */
  readonly title: string;
  readonly status: 'firing' | 'resolved';
  readonly severity: string;
  readonly summary?: string;
  /** "2 of 3 alerts firing", "1 alert resolved". */
  readonly count: string;
  /** The group's first start, and once resolved its last end (epoch ms), when readable. */
  readonly firingSince?: number;
  readonly resolvedAt?: number;
  /** The labels the group's alerts share, most useful first (a few: the digest is a list). */
  readonly labels: ReadonlyArray<readonly [string, string]>;
  /** Runbook first, as in the email; no silence once resolved. */
  readonly links: readonly MessageLink[];
  readonly receiver: string;
  /** When the notification reached alert-router: the latest one of a group is the one listed. */
  readonly receivedAt: number;
}

/** A stored entry as the digest reads it: with how many notifications of the group it stands for. */
export interface DigestItem extends DigestEntry {
  readonly notifications: number;
}

const MAX_LABELS = 8;

/**
 * The entry of one notification, from the same view its email would render.
 * @example digestEntry(delivery, { publicUrl, alertmanagerUrl })
 */
export function digestEntry(d: Delivery, links: LinkOptions): DigestEntry {
  const view = emailView(d.payload, d.context, { ...links, now: d.receivedAt });
  const since = groupStart(d.payload.alerts);
  const end = view.status === 'resolved' ? groupFiringWindow(d.payload.alerts)?.to : undefined;
  return {
    group: groupHash(d.payload.groupKey),
    title: view.title,
    status: view.status,
    severity: view.severity,
    ...(view.summary ? { summary: view.summary } : {}),
    count: view.count,
    ...(since !== undefined ? { firingSince: since } : {}),
    ...(end !== undefined ? { resolvedAt: end } : {}),
    labels: view.common.slice(0, MAX_LABELS),
    links: view.links,
    receiver: view.receiver,
    receivedAt: d.receivedAt,
  };
}
