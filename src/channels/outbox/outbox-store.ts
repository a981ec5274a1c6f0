import type { Redis } from 'ioredis';

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
    readonly email: { subject: string; text: string };
  };
}

/** The newest notifications, bounded so a storm cannot fill Redis. */
export class OutboxStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limit = 200,
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

  async list(count = 50): Promise<OutboxEntry[]> {
    const rows = await this.redis.lrange(this.key, 0, Math.min(count, this.limit) - 1);
    return rows.map((r) => JSON.parse(r) as OutboxEntry);
  }
}
