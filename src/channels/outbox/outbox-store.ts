import type { RedisClient } from '../../lib/redis-client.js';

export interface OutboxEntry {
  readonly at: string;
  readonly channel: string;
  readonly key: string;
  readonly status: string;
  readonly alertname: string;
  readonly alerts: number;
  readonly rendered: {
    readonly slack: unknown;
    readonly pagerduty: unknown;
    /** `html` is absent in entries stored before it was kept, and when it was too large to keep. */
    readonly email: { subject: string; text: string; html?: string };
  };
}

/** The newest notifications, bounded so a storm cannot fill Redis. */
export class OutboxStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    readonly limit = 200,
  ) {}

  private get key(): string {
    return `${this.prefix}:outbox`;
  }

  async push(entry: OutboxEntry): Promise<void> {
    await this.redis
      .multi()
      .lpush(this.key, JSON.stringify(entry))
      .ltrim(this.key, 0, this.limit - 1)
      .exec();
  }

  /** Newest first. */
  async list(count = 50): Promise<OutboxEntry[]> {
    const rows = await this.redis.lrange(this.key, 0, Math.min(count, this.limit) - 1);
    return rows.map((r) => JSON.parse(r) as OutboxEntry);
  }

  /**
   * Entries `start`..`start + count - 1` (newest first) as stored, unparsed JSON: what the JSON API
   * passes through as it is, instead of parsing megabytes only to serialise them again.
   */
  async rawRange(start: number, count: number): Promise<string[]> {
    if (count <= 0 || start >= this.limit) return [];
    return this.redis.lrange(this.key, start, Math.min(start + count, this.limit) - 1);
  }

  async size(): Promise<number> {
    return this.redis.llen(this.key);
  }

  /** Empties the outbox; answers how many entries it held. */
  async clear(): Promise<number> {
    const [[, n] = [null, 0]] = (await this.redis.multi().llen(this.key).del(this.key).exec()) ?? [];
    return Number(n);
  }
}
