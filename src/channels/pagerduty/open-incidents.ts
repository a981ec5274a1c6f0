import type { RedisClient } from '../../lib/redis-client.js';

const TTL_SECONDS = 30 * 24 * 3600;

/**
 * Which PagerDuty channels hold an open incident for an alert group (its dedup_key): written when
 * a trigger is accepted and cleared by the resolve, so an acknowledgement from Slack reaches the
 * incidents the group actually opened. Channel names only: routing keys never leave the registry.
 */
export class OpenIncidents {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(dedupKey: string): string {
    return `${this.prefix}:pagerduty:open:${dedupKey}`;
  }

  async opened(dedupKey: string, channel: string): Promise<void> {
    const key = this.key(dedupKey);
    await this.redis.multi().sadd(key, channel).expire(key, TTL_SECONDS).exec();
  }

  async closed(dedupKey: string, channel: string): Promise<void> {
    await this.redis.srem(this.key(dedupKey), channel);
  }

  async channels(dedupKey: string): Promise<string[]> {
    return (await this.redis.smembers(this.key(dedupKey))).sort();
  }
}
