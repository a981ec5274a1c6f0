import type { RedisClient } from '../lib/redis-client.js';
import type { WebhookPayload } from '../alert/webhook-payload.js';
import { groupHash } from '../alert/notification-key.js';

// Atomic per (receiver, group): records which episodes resolved and which episode of each alert
// fired last, and reports (by 1-based index) the alerts that are late news: a firing of an episode
// that already resolved, or a resolution of an old episode while a newer one is firing. One script,
// so concurrent workers cannot interleave. Fields are JSON arrays, so no separator can collide.
// The alerts travel as one JSON argument: spreading three arguments per alert overflows the JS
// call stack for the largest groups the body limit admits (tens of thousands of alerts).
const SCRIPT = `
local stale = {}
for i, a in ipairs(cjson.decode(ARGV[2])) do
  local status, fp, starts = a[1], a[2], a[3]
  local resolvedField = cjson.encode({'r', fp, starts})
  local currentField = cjson.encode({'c', fp})
  if status == 'resolved' then
    local current = redis.call('HGET', KEYS[1], currentField)
    redis.call('HSET', KEYS[1], resolvedField, '1')
    if current and current ~= starts and
        redis.call('HEXISTS', KEYS[1], cjson.encode({'r', fp, current})) == 0 then
      table.insert(stale, i)
    else
      redis.call('HDEL', KEYS[1], currentField)
    end
  elseif redis.call('HEXISTS', KEYS[1], resolvedField) == 1 then
    table.insert(stale, i)
  else
    redis.call('HSET', KEYS[1], currentField, starts)
  end
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return stale`;

const TTL_SECONDS = 7 * 24 * 3600;

/**
 * An episode is (fingerprint, startsAt): a genuine re-fire has a new startsAt and passes. A late
 * copy (a slow HA peer, a retry) must not reopen an episode that resolved, nor resolve the one
 * firing now. Episodes are kept per receiver: sibling routes with the same matchers give two
 * receivers one groupKey, and one's resolution is not the other's.
 * Returns the payload without the late alerts, or undefined when no alert is left.
 */
export async function dropStaleFiring(
  redis: RedisClient,
  prefix: string,
  p: WebhookPayload,
): Promise<{ payload?: WebhookPayload; dropped: number }> {
  const triples = JSON.stringify(p.alerts.map((a) => [a.status, a.fingerprint, a.startsAt]));
  const group = groupHash(JSON.stringify([p.receiver, p.groupKey]));
  const stale = new Set(
    (await redis.eval(SCRIPT, 1, `${prefix}:episodes:${group}`, TTL_SECONDS, triples)) as number[],
  );
  if (stale.size === 0) return { payload: p, dropped: 0 };
  const alerts = p.alerts.filter((_, i) => !stale.has(i + 1));
  const dropped = p.alerts.length - alerts.length;
  if (alerts.length === 0) return { dropped };
  // What is left may be only resolutions, which are news of their own: deliver them as resolved.
  const status = alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved';
  return { payload: { ...p, alerts, status }, dropped };
}
