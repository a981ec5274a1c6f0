import { severityRank, type StormGroupEntry, type StormView } from '../channels/slack/storm-types.js';

/** The orders the storm page offers (`?sort=`); `severity` is the default. */
export const STORM_SORTS = ['severity', 'status', 'since', 'name'] as const;
export type StormSort = (typeof STORM_SORTS)[number];

/** Which groups the page lists (`?status=`); `all` is the default. */
export const STATUS_FILTERS = ['all', 'firing', 'resolved'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/** What the storm's header says: totals, and where the groups concentrate. */
export interface StormCounts {
  readonly groups: number;
  readonly firing: number;
  readonly resolved: number;
  /** Alerts across every group, as their latest notifications counted them. */
  readonly alerts: { readonly firing: number; readonly resolved: number };
  /** Most severe first; `severity` is '' for groups without one. */
  readonly bySeverity: ReadonlyArray<{
    readonly severity: string;
    readonly groups: number;
    readonly firing: number;
  }>;
  /** The alert names in most groups, most first (at most TOP_ALERTNAMES). */
  readonly topAlertnames: ReadonlyArray<{ readonly alertname: string; readonly groups: number }>;
  /** How many distinct alert names the storm has. */
  readonly alertnames: number;
}

/** The JSON answer of GET /storms/:id: the view as the store keeps it, plus the header's counts. */
export type StormJson = StormView & { readonly counts: StormCounts };

const TOP_ALERTNAMES = 5;

const pick = <T extends string>(allowed: readonly T[], raw: unknown, fallback: T): T =>
  typeof raw === 'string' && (allowed as readonly string[]).includes(raw) ? (raw as T) : fallback;

/** `?sort=`: anything unknown (or repeated, `?sort=a&sort=b`) is the default. */
export const parseSort = (raw: unknown): StormSort => pick(STORM_SORTS, raw, 'severity');
export const parseStatus = (raw: unknown): StatusFilter => pick(STATUS_FILTERS, raw, 'all');

type Compare = (a: StormGroupEntry, b: StormGroupEntry) => number;

const bySeverity: Compare = (a, b) => severityRank(a.severity) - severityRank(b.severity);
const byStatus: Compare = (a, b) => (a.status === 'firing' ? 0 : 1) - (b.status === 'firing' ? 0 : 1);
// Oldest first: in a storm the first group to fire is the likeliest cause. Unknown start last.
const bySince: Compare = (a, b) =>
  (a.firingSince ?? Number.MAX_SAFE_INTEGER) - (b.firingSince ?? Number.MAX_SAFE_INTEGER);
const byName: Compare = (a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : 0);
// Last of all the group id, so the same storm always lists in the same order.
const byGroup: Compare = (a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0);

const ORDERS: Record<StormSort, readonly Compare[]> = {
  severity: [bySeverity, byStatus, bySince, byName, byGroup],
  status: [byStatus, bySeverity, bySince, byName, byGroup],
  since: [bySince, bySeverity, byStatus, byName, byGroup],
  name: [byName, bySeverity, byStatus, bySince, byGroup],
};

/**
 * The groups to list, in the asked order: by default most severe first, then firing before
 * resolved, then the longest firing first.
 * @example sortGroups(view.groups, 'since', 'firing')
 */
export function sortGroups(
  groups: readonly StormGroupEntry[],
  sort: StormSort,
  status: StatusFilter = 'all',
): StormGroupEntry[] {
  const order = ORDERS[sort];
  const compare: Compare = (a, b) => {
    for (const c of order) {
      const d = c(a, b);
      if (d !== 0) return d;
    }
    return 0;
  };
  return groups.filter((g) => status === 'all' || g.status === status).sort(compare);
}

/** The header's figures for a storm. */
export function stormCounts(view: StormView): StormCounts {
  const severities = new Map<string, { groups: number; firing: number }>();
  const names = new Map<string, number>();
  let firing = 0;
  let firingAlerts = 0;
  let resolvedAlerts = 0;
  for (const g of view.groups) {
    const on = g.status === 'firing' ? 1 : 0;
    firing += on;
    firingAlerts += g.firingAlerts;
    resolvedAlerts += g.resolvedAlerts;
    const s = severities.get(g.severity) ?? { groups: 0, firing: 0 };
    severities.set(g.severity, { groups: s.groups + 1, firing: s.firing + on });
    // A group counts once per name, however many of its alerts carry it.
    for (const n of new Set(g.alertnames)) names.set(n, (names.get(n) ?? 0) + 1);
  }
  return {
    groups: view.groups.length,
    firing,
    resolved: view.groups.length - firing,
    alerts: { firing: firingAlerts, resolved: resolvedAlerts },
    bySeverity: [...severities]
      .map(([severity, c]) => ({ severity, ...c }))
      .sort(
        (a, b) => severityRank(a.severity) - severityRank(b.severity) || (a.severity < b.severity ? -1 : 1),
      ),
    topAlertnames: [...names]
      .map(([alertname, groups]) => ({ alertname, groups }))
      .sort((a, b) => b.groups - a.groups || (a.alertname < b.alertname ? -1 : 1))
      .slice(0, TOP_ALERTNAMES),
    alertnames: names.size,
  };
}

/** GET /storms/:id as JSON. */
export const stormJson = (view: StormView): StormJson => ({ ...view, counts: stormCounts(view) });
