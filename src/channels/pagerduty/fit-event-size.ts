import { truncate } from '../../lib/truncate.js';

/** PagerDuty rejects events over 512 KB; keep a margin for the routing key added at send time. */
export const MAX_EVENT_BYTES = 500 * 1024;

const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

/** A copy with every string and key cut to `max` characters (details are a few levels deep). */
function capStrings(value: unknown, max: number): unknown {
  if (typeof value === 'string') return truncate(value, max);
  if (Array.isArray(value)) return value.map((v) => capStrings(v, max));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [truncate(k, max), capStrings(v, max)]));
  return value;
}

/**
 * Custom details that keep the whole event under PagerDuty's size limit, whatever part of the
 * payload is large: first every string is cut to 4 KB (one huge annotation must not cost every
 * alert its details), then per-alert details are dropped from the end (halving), then strings are
 * cut shorter and shorter, and as a last resort only the counts are left.
 * `rest` is the event without its custom details; `details` are the group's, `perAlert` the alerts'.
 * @example event.payload.custom_details = fitDetails(event, details, perAlert)
 */
export function fitDetails(
  rest: unknown,
  details: Record<string, unknown>,
  perAlert: readonly unknown[],
): Record<string, unknown> {
  const room = MAX_EVENT_BYTES - bytes(rest);
  let out: Record<string, unknown> = { ...details, alerts: perAlert };
  if (bytes(out) <= room) return out;
  const group = capStrings(details, 4096) as Record<string, unknown>;
  const alerts = capStrings(perAlert, 4096) as unknown[];
  let keep = alerts.length;
  out = { ...group, alerts };
  while (bytes(out) > room && keep > 0) {
    keep = Math.floor(keep / 2);
    out = { ...group, alerts: alerts.slice(0, keep), alerts_omitted: alerts.length - keep };
  }
  for (let max = 1024; bytes(out) > room && max >= 16; max = Math.floor(max / 4))
    out = capStrings(out, max) as Record<string, unknown>;
  if (bytes(out) <= room) return out;
  return {
    firing: details.firing,
    resolved: details.resolved,
    truncated_alerts: details.truncated_alerts,
    details_omitted: 'the group is too large for a PagerDuty event; see the Slack message or the runbook',
  };
}
