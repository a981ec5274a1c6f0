import type { Redis } from 'ioredis';
import type { WebhookPayload } from '../alertmanager/webhook-payload.js';
import { groupHash } from '../queue/notification-key.js';

// Atomic per group: record resolved episodes (fingerprint -> startsAt) and report firing alerts
// whose episode already resolved. One script, so concurrent workers cannot interleave. The alerts
// travel as one JSON argument: spreading three arguments per alert overflows the JS call stack
// for the largest groups the body limit admits (tens of thousands of alerts).
const SCRIPT = `
local stale = {}
for _, a in ipairs(cjson.decode(ARGV[2])) do
  local status, fp, starts = a[1], a[2], a[3]
  if status == 'resolved' then
    redis.call('HSET', KEYS[1], fp, starts)
  elseif redis.call('HGET', KEYS[1], fp) == starts then
    table.insert(stale, fp)
  end
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return stale`;

const TTL_SECONDS = 7 * 24 * 3600;

/**
 * A late "firing" (a slow HA peer, a retry) for an episode that already resolved must not reopen
 * it. An episode is (fingerprint, startsAt): a genuine re-fire has a new startsAt and passes.
 * Returns the payload without stale alerts, or undefined when no alert is left.
 */
export async function dropStaleFiring(
  redis: Redis,
  prefix: string,
  p: WebhookPayload,
): Promise<{ payload?: WebhookPayload; dropped: number }> {
  const triples = JSON.stringify(p.alerts.map((a) => [a.status, a.fingerprint, a.startsAt]));
  const stale = new Set(
    (await redis.eval(
      SCRIPT,
      1,
      `${prefix}:episodes:${groupHash(p.groupKey)}`,
      TTL_SECONDS,
      triples,
    )) as string[],
  );
  if (stale.size === 0) return { payload: p, dropped: 0 };
  const alerts = p.alerts.filter((a) => !(a.status === 'firing' && stale.has(a.fingerprint)));
  const dropped = p.alerts.length - alerts.length;
  if (alerts.length === 0) return { dropped };
  // What is left may be only resolutions, which are news of their own: deliver them as resolved.
  const status = alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved';
  return { payload: { ...p, alerts, status }, dropped };
}
