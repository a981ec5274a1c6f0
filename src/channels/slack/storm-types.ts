/**
 * Storm mode's data, as the digest message, the storm page and the storm store see it. A storm is
 * per configured Slack channel: the groups that arrived beyond the channel's threshold, folded
 * into one digest message instead of a message each (docs/storms.md).
 */

/** One alert group of a storm, as its latest notification left it. */
export interface StormGroupEntry {
  /** groupHash(groupKey): the id the group has everywhere in Redis. */
  readonly group: string;
  readonly groupKey: string;
  /** The group's name as the messages show it (groupTitle). */
  readonly title: string;
  readonly status: 'firing' | 'resolved';
  /** The common `severity` label, or '' when the group has none. */
  readonly severity: string;
  /** Alert names in the group, most alerts first. */
  readonly alertnames: readonly string[];
  /** The group's common labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Alerts firing and resolved in the latest notification. */
  readonly firingAlerts: number;
  readonly resolvedAlerts: number;
  /** Earliest startsAt of its alerts (ms), when readable. */
  readonly firingSince?: number;
  readonly runbookUrl?: string;
  readonly silenceUrl?: string;
  /** When it joined the storm, and when its latest notification arrived (ms). */
  readonly joinedAt: number;
  readonly receivedAt: number;
}

/** A storm: when it started, whether it is over, and every group in it. */
export interface StormView {
  /** Unique across channels and time; safe in a URL path segment ([a-z0-9-]). */
  readonly id: string;
  /** The configured channel name (config/alert-router.yml). */
  readonly channel: string;
  readonly startedAt: number;
  /** When the latest group joined (ms). */
  readonly lastJoinAt: number;
  /** Set once the quiet period passed with no new group: the digest then says "storm over". */
  readonly endedAt?: number;
  /** The digest message, once posted. */
  readonly message?: { readonly channel: string; readonly ts: string };
  readonly groups: readonly StormGroupEntry[];
}

/** A storm in a list (the storm index): no groups, only their counts. */
export interface StormSummary {
  readonly id: string;
  readonly channel: string;
  readonly startedAt: number;
  readonly lastJoinAt: number;
  readonly endedAt?: number;
  readonly groups: number;
  readonly firing: number;
}

/** What the storm pages read. */
export interface StormReader {
  storm(id: string): Promise<StormView | undefined>;
  /** Most recent first. */
  recent(limit: number): Promise<StormSummary[]>;
}

/** Severity order for "most severe first": unknown severities sort after these, '' last. */
export const SEVERITY_ORDER = ['critical', 'error', 'high', 'warning', 'medium', 'low', 'info'] as const;

export function severityRank(severity: string): number {
  const i = (SEVERITY_ORDER as readonly string[]).indexOf(severity.toLowerCase());
  if (i >= 0) return i;
  return severity ? SEVERITY_ORDER.length : SEVERITY_ORDER.length + 1;
}
