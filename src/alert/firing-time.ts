import type { Alert } from './webhook-payload.js';

/**
 * A payload time as epoch milliseconds, or undefined when it is not a real time: Alertmanager
 * sends `0001-01-01T00:00:00Z` as the endsAt of a firing alert, and a hostile sender anything.
 */
export function payloadTime(iso: string | undefined): number | undefined {
  const ms = Date.parse(iso ?? '');
  // Before 1970 is Alertmanager's "unset"; past year 9999 is not a time anyone writes.
  return Number.isFinite(ms) && ms >= 0 && ms < 253_402_300_800_000 ? ms : undefined;
}

/**
 * How long a resolved alert fired, endsAt - startsAt in whole seconds; undefined while it fires or
 * when either time is unreadable.
 * @example firedForSeconds({ status: 'resolved', startsAt: '2026-11-25T13:02:04Z', endsAt: '2026-11-25T13:04:04Z' }) // => 120
 */
export function firedForSeconds(alert: Pick<Alert, 'status' | 'startsAt' | 'endsAt'>): number | undefined {
  if (alert.status !== 'resolved') return undefined;
  const from = payloadTime(alert.startsAt);
  const to = payloadTime(alert.endsAt);
  return from !== undefined && to !== undefined && to >= from ? Math.round((to - from) / 1000) : undefined;
}

/**
 * When a resolved group fired, from its first alert's start to its last one's end (epoch ms);
 * undefined when no resolved alert has readable times. A loop, not Math.min(...all): a group
 * can hold 60,000 alerts.
 */
export function groupFiringWindow(
  alerts: ReadonlyArray<Pick<Alert, 'status' | 'startsAt' | 'endsAt'>>,
): { readonly from: number; readonly to: number } | undefined {
  let from = Infinity;
  let to = -Infinity;
  for (const a of alerts) {
    if (firedForSeconds(a) === undefined) continue;
    from = Math.min(from, payloadTime(a.startsAt)!);
    to = Math.max(to, payloadTime(a.endsAt)!);
  }
  return to >= from ? { from, to } : undefined;
}
