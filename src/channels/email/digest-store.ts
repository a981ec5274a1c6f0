import type { RedisClient } from '../../lib/redis-client.js';
import type { DigestEntry, DigestItem } from './digest-entry.js';

// One batch is a hash per (channel, window): per group its latest entry (`e:`), that entry's
// receivedAt (`t:`) and how many notifications it stands for (`n:`), plus one `k:` field per
// notification key so a retried delivery is not counted twice. Atomic, so concurrent workers
// and replicas cannot interleave; refused (-1) once the window is closed for sending.
const ADD = `
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
local fresh = redis.call('HSETNX', KEYS[1], 'k:' .. ARGV[2], '1')
if fresh == 1 then redis.call('HINCRBY', KEYS[1], 'n:' .. ARGV[1], 1) end
local at = redis.call('HGET', KEYS[1], 't:' .. ARGV[1])
if (not at) or tonumber(at) <= tonumber(ARGV[3]) then
  redis.call('HSET', KEYS[1], 't:' .. ARGV[1], ARGV[3], 'e:' .. ARGV[1], ARGV[4])
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return fresh`;

/**
 * Longer than any retry span of the digest's send (delivery.attempts and backoffMs), so a batch
 * whose send is still being retried is never dropped; a batch whose send failed for good stays
 * this long for a look (the failed job names it).
 */
const BATCH_TTL_MS = 7 * 24 * 3600_000;

export type AddResult = 'added' | 'repeat' | 'closed';

/** The batches of an email channel's digest, one per window, in Redis. */
export class EmailDigestStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(channel: string, windowEnd: number): string {
    return `${this.prefix}:email-batch:${channel}:${windowEnd}`;
  }

  /**
   * Puts a group's entry in the window's batch, replacing an older one of the same group (a later
   * entry already there stays: deliveries may run out of order). 'repeat': this notification was
   * already in (a retried delivery). 'closed': the window's digest is being sent; use the next.
   */
  async add(channel: string, windowEnd: number, key: string, entry: DigestEntry): Promise<AddResult> {
    const batch = this.key(channel, windowEnd);
    const r = (await this.redis.eval(
      ADD,
      2,
      batch,
      `${batch}:closed`,
      entry.group,
      key,
      entry.receivedAt,
      JSON.stringify(entry),
      BATCH_TTL_MS,
    )) as number;
    return r === -1 ? 'closed' : r === 1 ? 'added' : 'repeat';
  }

  /**
   * Closes the window (later adds go to the next one) and reads its batch, in one transaction, so
   * nothing added can miss both this digest and the next. Safe to repeat: a retry of the send reads
   * the same batch.
   */
  async close(channel: string, windowEnd: number): Promise<DigestItem[]> {
    const batch = this.key(channel, windowEnd);
    const res = await this.redis
      .multi()
      .set(`${batch}:closed`, '1', 'PX', BATCH_TTL_MS)
      .hgetall(batch)
      .exec();
    const [err, fields] = res?.[1] ?? [new Error('transaction discarded')];
    if (err) throw err;
    const hash = (fields ?? {}) as Record<string, string>;
    const items: DigestItem[] = [];
    for (const [field, json] of Object.entries(hash)) {
      if (!field.startsWith('e:')) continue;
      const entry = JSON.parse(json) as DigestEntry;
      items.push({ ...entry, notifications: Number(hash[`n:${entry.group}`] ?? 1) });
    }
    return items;
  }

  /** Drops a sent batch; the closed mark stays, so a late add still goes to the next window. */
  async clear(channel: string, windowEnd: number): Promise<void> {
    await this.redis.del(this.key(channel, windowEnd));
  }
}
