import { messageLinks, type LinkOptions } from '../../alert/alert-links.js';
import { payloadTime } from '../../alert/firing-time.js';
import { groupHash } from '../../alert/notification-key.js';
import { groupTitle } from '../../alert/group-name.js';
import type { Delivery } from '../delivery.js';
import type { StormGroupEntry } from './storm-types.js';

/**
 * What a storm keeps of one group's latest notification: enough for the digest's counts and the
 * storm page's row, never the alerts themselves (a group can hold thousands).
 */
export function stormEntry(d: Delivery, links: LinkOptions, joinedAt: number): StormGroupEntry {
  const p = d.payload;
  const names = new Map<string, number>();
  let firing = 0;
  let since = Infinity;
  for (const a of p.alerts) {
    if (a.status === 'firing') firing += 1;
    const name = a.labels.alertname ?? '';
    if (name) names.set(name, (names.get(name) ?? 0) + 1);
    const start = payloadTime(a.startsAt);
    if (start !== undefined && start < since) since = start;
  }
  const found = messageLinks(p, links, d.context?.runbooks);
  const runbookUrl = found.find((l) => l.kind === 'runbook')?.href;
  const silenceUrl = found.find((l) => l.kind === 'silence')?.href;
  return {
    group: groupHash(p.groupKey),
    groupKey: p.groupKey,
    title: groupTitle(p),
    status: p.status === 'resolved' ? 'resolved' : 'firing',
    severity: p.commonLabels.severity ?? '',
    alertnames: [...names].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([n]) => n),
    labels: p.commonLabels,
    firingAlerts: firing,
    resolvedAlerts: p.alerts.length - firing,
    ...(since !== Infinity ? { firingSince: since } : {}),
    ...(runbookUrl ? { runbookUrl } : {}),
    ...(silenceUrl ? { silenceUrl } : {}),
    joinedAt,
    receivedAt: d.receivedAt,
  };
}
