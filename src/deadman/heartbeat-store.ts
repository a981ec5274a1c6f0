import type { RedisClient } from '../lib/redis-client.js';

/** What Redis holds for one heartbeat source (times in ms since the epoch). */
export interface SourceRecord {
  /** Last *firing* heartbeat received by any replica. */
  readonly lastHeartbeat?: number;
  /** When this source was first expected (HSETNX on first sight in config): the start-up grace base. */
  readonly expectedSince?: number;
  readonly state: 'ok' | 'silent';
  /** While silent: the last heartbeat before the outage, or the start-up base if it never came. */
  readonly since?: number;
  /** Identifies the current (or last) outage; part of the delivery job ids. */
  readonly incident?: string;
  /** `trigger:<incident>` or `resolve:<incident>` until its delivery jobs are safely queued. */
  readonly pending?: string;
  readonly resolvedAt?: number;
}

// Keeps the newest time even if replicas' clocks or requests interleave. One script, one round trip.
// Returns the positions of the sources that had never sent a heartbeat: the switch arms for them now.
const RECORD = `
local first = {}
for i = 1, #KEYS do
  local prev = redis.call('HGET', KEYS[i], 'lastHeartbeat')
  if not prev then table.insert(first, i) end
  if tonumber(ARGV[1]) > tonumber(prev or '0') then redis.call('HSET', KEYS[i], 'lastHeartbeat', ARGV[1]) end
end
return first`;

// ok -> silent only if nobody moved the source meanwhile (another worker, or a heartbeat that
// arrived after we read it). This is what makes two workers page exactly once.
const TO_SILENT = `
if (redis.call('HGET', KEYS[1], 'state') or 'ok') == 'silent' then return 0 end
if (redis.call('HGET', KEYS[1], 'lastHeartbeat') or '') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', 'silent', 'since', ARGV[2], 'incident', ARGV[3],
  'detectedAt', ARGV[4], 'pending', 'trigger:' .. ARGV[3])
return 1`;

const TO_OK = `
if redis.call('HGET', KEYS[1], 'state') ~= 'silent' then return 0 end
if redis.call('HGET', KEYS[1], 'incident') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', 'ok', 'resolvedAt', ARGV[2], 'pending', 'resolve:' .. ARGV[1])
return 1`;

const CLEAR_PENDING = `
if redis.call('HGET', KEYS[1], 'pending') == ARGV[1] then redis.call('HDEL', KEYS[1], 'pending') end
return 0`;

// The router watches only while some replica checks. After a gap longer than ARGV[2] (the router
// or Redis was down) sources get a fresh start-up grace instead of paging for that blind time.
const WATCH = `
local prev = tonumber(redis.call('GET', KEYS[1]) or '0')
redis.call('SET', KEYS[1], ARGV[1])
if prev == 0 or tonumber(ARGV[1]) - prev > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], ARGV[1])
  return tonumber(ARGV[1])
end
return tonumber(redis.call('GET', KEYS[2]) or ARGV[1])`;

const num = (v: string | undefined): number | undefined =>
  v === undefined || v === '' ? undefined : Number(v);

/**
 * Dead man's switch state in Redis under the queue prefix, shared by every replica:
 * `<prefix>:deadman:source:<name>` (a hash per source) and `<prefix>:deadman:watch:*`.
 * @example await new HeartbeatStore(redis, 'alert-router').record(['lab'], Date.now())
 */
export class HeartbeatStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(source: string): string {
    return `${this.prefix}:deadman:source:${source}`;
  }

  /**
   * The ingest path: one round trip whatever the number of sources. Returns the sources this was
   * the first heartbeat ever of (exactly one caller sees each).
   */
  async record(sources: readonly string[], at: number): Promise<string[]> {
    if (sources.length === 0) return [];
    const first = (await this.redis.eval(
      RECORD,
      sources.length,
      ...sources.map((s) => this.key(s)),
      String(at),
    )) as number[];
    return first.map((i) => sources[i - 1]!);
  }

  /** Marks sources as expected from `at` unless they already were (a deploy keeps the first time). */
  async expect(sources: readonly string[], at: number): Promise<void> {
    if (sources.length === 0) return;
    const m = this.redis.multi();
    for (const s of sources) m.hsetnx(this.key(s), 'expectedSince', String(at));
    await m.exec();
  }

  /** Records that a check ran at `now`; returns since when the router has watched without a gap. */
  async watchedSince(now: number, maxGapMs: number): Promise<number> {
    const k = `${this.prefix}:deadman:watch`;
    return Number(
      await this.redis.eval(WATCH, 2, `${k}:last-check`, `${k}:since`, String(now), String(maxGapMs)),
    );
  }

  async read(sources: readonly string[]): Promise<Map<string, SourceRecord>> {
    const m = this.redis.multi();
    for (const s of sources) m.hgetall(this.key(s));
    const rows = (await m.exec()) ?? [];
    const out = new Map<string, SourceRecord>();
    sources.forEach((s, i) => {
      const [err, h] = rows[i] ?? [];
      if (err) throw err;
      const f = (h ?? {}) as Record<string, string>;
      out.set(s, {
        lastHeartbeat: num(f.lastHeartbeat),
        expectedSince: num(f.expectedSince),
        state: f.state === 'silent' ? 'silent' : 'ok',
        since: num(f.since),
        incident: f.incident,
        pending: f.pending,
        resolvedAt: num(f.resolvedAt),
      });
    });
    return out;
  }

  /** Atomic ok -> silent, guarded by the last heartbeat we saw; true for exactly one caller. */
  async markSilent(
    source: string,
    seenLast: number | undefined,
    since: number,
    incident: string,
    now: number,
  ): Promise<boolean> {
    const r = await this.redis.eval(
      TO_SILENT,
      1,
      this.key(source),
      seenLast === undefined ? '' : String(seenLast),
      String(since),
      incident,
      String(now),
    );
    return r === 1;
  }

  /** Atomic silent -> ok for that incident; true for exactly one caller. */
  async markOk(source: string, incident: string, now: number): Promise<boolean> {
    return (await this.redis.eval(TO_OK, 1, this.key(source), incident, String(now))) === 1;
  }

  /** Forgets the pending notification once its jobs are queued (unless a newer one replaced it). */
  async clearPending(source: string, pending: string): Promise<void> {
    await this.redis.eval(CLEAR_PENDING, 1, this.key(source), pending);
  }
}
