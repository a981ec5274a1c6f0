import type { RedisClient } from '../lib/redis-client.js';
import { groupHash } from '../alert/notification-key.js';

// Keeps, per (channel, alert group), the arrival time and key of the newest notification fanned
// out to it. Only ever moves forward, so fan-outs that finish out of order (enrichment takes longer
// for one notification than for the next) cannot make an older one look newest. The key is kept
// so that a job re-added under the same id (the dead man's switch's page: its tick time moves on,
// its job id stays) is never taken for late news of itself.
const MARK = `
for _, key in ipairs(KEYS) do
  local cur = tonumber(string.match(redis.call('GET', key) or '0', '^%d+') or '0')
  if tonumber(ARGV[1]) > cur then redis.call('SET', key, ARGV[1] .. ' ' .. ARGV[3], 'EX', ARGV[2]) end
end
return 0`;

// Longer than any delivery can wait in the queue (retries, 429s): past it, nothing older is left.
const TTL_SECONDS = 7 * 24 * 3600;

const keyOf = (prefix: string, channel: string, groupKey: string): string =>
  `${prefix}:latest:${channel}:${groupHash(groupKey)}`;

interface NotificationRef {
  readonly key: string;
  readonly receivedAt: number;
  readonly payload: { readonly groupKey: string };
}

/**
 * Records that a notification of its group is on its way to `channels`. Called before its
 * delivery jobs are added, so by the time any delivery of an older notification of the group
 * runs, this newer one is known.
 */
export async function markLatest(
  redis: RedisClient,
  prefix: string,
  n: NotificationRef,
  channels: readonly string[],
): Promise<void> {
  if (channels.length === 0) return;
  const keys = channels.map((c) => keyOf(prefix, c, n.payload.groupKey));
  await redis.eval(MARK, keys.length, ...keys, n.receivedAt, TTL_SECONDS, n.key);
}

/**
 * Whether a newer notification of the same group (another key, received later) is already on its
 * way to the channel: then this one is late news (a firing the group has since resolved, a state
 * since replaced) and must not be posted. Alertmanager sends a group's whole state each time, so
 * the newer one says all of it.
 */
export async function isSuperseded(
  redis: RedisClient,
  prefix: string,
  d: NotificationRef & { readonly channel: string },
): Promise<boolean> {
  const latest = await redis.get(keyOf(prefix, d.channel, d.payload.groupKey));
  if (latest === null) return false;
  const [at, key] = latest.split(' ');
  return Number(at) > d.receivedAt && key !== d.key;
}
