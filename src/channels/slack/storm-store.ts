import type { RedisClient } from '../../lib/redis-client.js';
import { acquireLease, type Lease } from '../../lib/redis-lease.js';
import type { StormGroupEntry, StormReader, StormSummary, StormView } from './storm-types.js';

/** A channel's storm settings (the slack channel's `storm` in config/alert-router.yml). */
export interface StormPolicy {
  readonly enabled: boolean;
  readonly threshold: number;
  readonly windowSeconds: number;
  readonly quietSeconds: number;
  readonly digestIntervalSeconds: number;
}

/** Where a new group's first message goes: a message of its own, or a storm's digest. */
export type Admission =
  | { readonly kind: 'own'; readonly ended?: string }
  | { readonly kind: 'storm'; readonly id: string; readonly started: boolean; readonly ended?: string };

// Atomic per channel, so concurrent workers and replicas agree on which groups are the first ones
// and which join the storm. A decision, once taken, stands for the group until its message is
// posted (own) or for as long as the storm keeps it (folded): a retry after a 429 does not move a
// group between the two. A current storm past its quiet period ends here too (its end-check job
// may not have run yet), and the caller is told so it refreshes that digest.
// Every key written expires (ARGV[8]), so a crash between two steps leaves nothing behind for good.
// KEYS: new-groups zset, the group's decision, current storm, storms index zset
// ARGV: group, now, window ms, threshold, quiet ms, id for a new storm, storm key prefix, ttl s
const ADMIT = `
local decided = redis.call('GET', KEYS[2])
if decided then return {decided, 0, ''} end
local now = tonumber(ARGV[2])
local ended = ''
local cur = redis.call('GET', KEYS[3])
if cur then
  local last = tonumber(redis.call('HGET', ARGV[7] .. cur, 'lastJoinAt') or '0')
  if last + tonumber(ARGV[5]) <= now then
    redis.call('HSET', ARGV[7] .. cur, 'endedAt', now)
    redis.call('HINCRBY', ARGV[7] .. cur, 'version', 1)
    redis.call('DEL', KEYS[3], KEYS[1])
    ended = cur
    cur = false
  end
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[3]))
redis.call('ZADD', KEYS[1], 'NX', now, ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
local started = 0
if not cur and redis.call('ZCARD', KEYS[1]) > tonumber(ARGV[4]) then
  cur = ARGV[6]
  started = 1
  redis.call('SET', KEYS[3], cur, 'EX', ARGV[8])
  redis.call('HSET', ARGV[7] .. cur, 'startedAt', now, 'lastJoinAt', now, 'version', 0)
  redis.call('EXPIRE', KEYS[4], ARGV[8])
  redis.call('ZADD', KEYS[4], now, cur)
  redis.call('ZREMRANGEBYRANK', KEYS[4], 0, -501)
end
if cur then
  redis.call('SET', KEYS[2], cur, 'EX', ARGV[8])
  redis.call('HSET', ARGV[7] .. cur, 'lastJoinAt', now)
  redis.call('EXPIRE', ARGV[7] .. cur, ARGV[8])
  redis.call('EXPIRE', KEYS[3], ARGV[8])
  return {cur, started, ended}
end
redis.call('SET', KEYS[2], 'own', 'EX', ARGV[8])
return {'own', 0, ended}`;

// Ends the channel's current storm if it is `id` and nothing joined for the quiet period. The
// window of new groups starts afresh: groups after the storm get their own messages again, and
// only a new burst starts a new storm.
// KEYS: current storm, storm hash, new-groups zset. ARGV: id, now, quiet ms. 1 when it ended it now.
const END_IF_QUIET = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local last = tonumber(redis.call('HGET', KEYS[2], 'lastJoinAt') or '0')
if last + tonumber(ARGV[3]) > tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[2], 'endedAt', ARGV[2])
redis.call('HINCRBY', KEYS[2], 'version', 1)
redis.call('DEL', KEYS[1], KEYS[3])
return 1`;

// Storms are kept as long as the messages that link to them are (slack-message-store.ts).
const TTL_SECONDS = 30 * 24 * 3600;
const STORM_ID = /^[a-z0-9][a-z0-9-]{0,120}$/;

/**
 * Storm mode's state in Redis, shared by every worker and replica: which new groups arrived in the
 * window, which storm each folded group belongs to, and each storm with its groups.
 */
export class StormStore implements StormReader {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private chan(channel: string, what: string): string {
    return `${this.prefix}:slack:storm:${channel}:${what}`;
  }

  /** Where one group's message goes ('own' or a storm id): a key of its own, expiring with the storm. */
  private decision(channel: string, group: string): string {
    return this.chan(channel, `admit:${group}`);
  }

  private stormKey(id: string): string {
    return `${this.prefix}:slack:storms:${id}`;
  }

  private get index(): string {
    return `${this.prefix}:slack:storms`;
  }

  /** Decides where a group that has no message yet (or starts a new episode) goes. */
  async admit(channel: string, group: string, policy: StormPolicy, now = Date.now()): Promise<Admission> {
    const newId = `${channel.replace(/_/g, '-')}-${now.toString(36)}`;
    const [decided, started, ended] = (await this.redis.eval(
      ADMIT,
      4,
      this.chan(channel, 'new'),
      this.decision(channel, group),
      this.chan(channel, 'current'),
      this.index,
      group,
      now,
      policy.windowSeconds * 1000,
      policy.threshold,
      policy.quietSeconds * 1000,
      newId,
      `${this.prefix}:slack:storms:`,
      TTL_SECONDS,
    )) as [string, number, string];
    const endedField = ended ? { ended } : {};
    if (decided === 'own') return { kind: 'own', ...endedField };
    return { kind: 'storm', id: decided, started: started === 1, ...endedField };
  }

  /** The storm a group was folded into, if it was and that storm is still kept. */
  async foldedInto(channel: string, group: string): Promise<string | undefined> {
    const d = await this.redis.get(this.decision(channel, group));
    if (!d || d === 'own') return undefined;
    if ((await this.redis.hexists(this.stormKey(d), 'startedAt')) === 1) return d;
    // The storm expired (30 days) while the decision lived on: the group is new again.
    await this.forget(channel, group);
    return undefined;
  }

  /** Forgets the group's decision: its own message is posted, or it leaves an ended storm. */
  async forget(channel: string, group: string): Promise<void> {
    await this.redis.del(this.decision(channel, group));
  }

  /** Records the group's latest state in the storm and marks the digest as changed. */
  async upsert(id: string, channel: string, entry: StormGroupEntry): Promise<void> {
    const key = this.stormKey(id);
    await this.redis
      .multi()
      .hset(`${key}:groups`, entry.group, JSON.stringify(entry))
      .hset(key, 'channel', channel)
      .hincrby(key, 'version', 1)
      .expire(key, TTL_SECONDS)
      .expire(`${key}:groups`, TTL_SECONDS)
      .expire(this.decision(channel, entry.group), TTL_SECONDS)
      .exec();
  }

  async entry(id: string, group: string): Promise<StormGroupEntry | undefined> {
    const raw = await this.redis.hget(`${this.stormKey(id)}:groups`, group);
    return raw ? (JSON.parse(raw) as StormGroupEntry) : undefined;
  }

  async isOver(id: string): Promise<boolean> {
    return (await this.redis.hexists(this.stormKey(id), 'endedAt')) === 1;
  }

  /** Ends the storm when its quiet period passed with no new group; true when this call ended it. */
  async endIfQuiet(id: string, channel: string, policy: StormPolicy, now = Date.now()): Promise<boolean> {
    const ended = await this.redis.eval(
      END_IF_QUIET,
      3,
      this.chan(channel, 'current'),
      this.stormKey(id),
      this.chan(channel, 'new'),
      id,
      now,
      policy.quietSeconds * 1000,
    );
    return ended === 1;
  }

  /** What the digest last showed: the version it rendered and when it was sent. */
  async digestState(
    id: string,
  ): Promise<{ version: number; renderedVersion: number; updatedAt: number; lastJoinAt: number }> {
    const [version, renderedVersion, updatedAt, lastJoinAt] = await this.redis.hmget(
      this.stormKey(id),
      'version',
      'renderedVersion',
      'updatedAt',
      'lastJoinAt',
    );
    return {
      version: Number(version ?? 0),
      renderedVersion: Number(renderedVersion ?? -1),
      updatedAt: Number(updatedAt ?? 0),
      lastJoinAt: Number(lastJoinAt ?? 0),
    };
  }

  async setMessage(id: string, message: { channel: string; ts: string }): Promise<void> {
    await this.redis.hset(this.stormKey(id), 'msgChannel', message.channel, 'msgTs', message.ts);
  }

  async setRendered(id: string, version: number, at: number): Promise<void> {
    await this.redis.hset(this.stormKey(id), 'renderedVersion', version, 'updatedAt', at);
  }

  /** One digest at a time per storm, across replicas. */
  lock(id: string, ttlMs: number): Promise<Lease | undefined> {
    return acquireLease(this.redis, `${this.stormKey(id)}:lock`, ttlMs);
  }

  async storm(id: string): Promise<StormView | undefined> {
    if (!STORM_ID.test(id)) return undefined;
    const key = this.stormKey(id);
    const [h, groups] = await Promise.all([this.redis.hgetall(key), this.redis.hvals(`${key}:groups`)]);
    if (!h.startedAt || !h.channel) return undefined;
    return {
      id,
      channel: h.channel,
      startedAt: Number(h.startedAt),
      lastJoinAt: Number(h.lastJoinAt ?? h.startedAt),
      ...(h.endedAt ? { endedAt: Number(h.endedAt) } : {}),
      ...(h.msgTs && h.msgChannel ? { message: { channel: h.msgChannel, ts: h.msgTs } } : {}),
      groups: groups.map((g) => JSON.parse(g) as StormGroupEntry),
    };
  }

  async recent(limit: number): Promise<StormSummary[]> {
    const ids = await this.redis.zrevrange(this.index, 0, Math.max(0, limit - 1));
    const out: StormSummary[] = [];
    for (const id of ids) {
      const view = await this.storm(id);
      if (!view) continue;
      out.push({
        id,
        channel: view.channel,
        startedAt: view.startedAt,
        lastJoinAt: view.lastJoinAt,
        ...(view.endedAt !== undefined ? { endedAt: view.endedAt } : {}),
        groups: view.groups.length,
        firing: view.groups.filter((g) => g.status === 'firing').length,
      });
    }
    return out;
  }
}
