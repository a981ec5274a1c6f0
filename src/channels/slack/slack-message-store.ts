import type { RedisClient } from '../../lib/redis-client.js';
import { acquireLease, type Lease } from '../../lib/redis-lease.js';
import { DeliveryError } from '../delivery-error.js';
import type { SlackMessage } from './format-slack-message.js';
import type { ActionState } from './message-controls.js';

/** What we remember about the Slack message of one (channel, alert group), shared by all replicas. */
export interface SlackMessageState {
  readonly channel: string;
  readonly ts: string;
  /** Notification key last rendered into the message, and last announced in the thread. */
  readonly key: string;
  readonly replyKey: string;
  readonly receivedAt: number;
  readonly resolved: boolean;
  readonly alerts: Record<string, string>;
  /**
   * The alerts as the thread last told them (or as first posted): the next reply says what
   * changed since, including the change of a notification that was skipped as late news.
   */
  readonly repliedAlerts: Record<string, string>;
  /** The group as Alertmanager named it: what a silence from this message matches. */
  readonly groupKey: string;
  readonly groupLabels: Record<string, string>;
  /** The message as last rendered, before controls: re-drawn as is when someone acts on it. */
  readonly rendered: SlackMessage | undefined;
  /** Acknowledgement and silence of this episode; a new episode's message starts with none. */
  readonly actions: ActionState;
  /** The last Slack action whose thread reply was posted (a retry does not post it again). */
  readonly actionReply: string;
}

const TTL_SECONDS = 30 * 24 * 3600;

/** Redis-backed message state, a per-group lock, and the one-message-per-second-per-channel bucket. */
export class SlackMessageStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    /** Lease length of the per-group lock: how long a crashed worker can keep a group blocked. */
    private readonly lockMs = 30_000,
  ) {}

  private key(channel: string, group: string): string {
    return `${this.prefix}:slack:msg:${channel}:${group}`;
  }

  async get(channel: string, group: string): Promise<SlackMessageState | undefined> {
    const h = await this.redis.hgetall(this.key(channel, group));
    if (!h.ts || !h.channel) return undefined;
    return {
      channel: h.channel,
      ts: h.ts,
      key: h.key ?? '',
      replyKey: h.replyKey ?? '',
      receivedAt: Number(h.receivedAt ?? 0),
      resolved: h.resolved === '1',
      alerts: JSON.parse(h.alerts ?? '{}') as Record<string, string>,
      // A state stored before repliedAlerts existed kept the alerts before the last update.
      repliedAlerts: JSON.parse(
        h.repliedAlerts ?? (h.replyKey === h.key ? h.alerts : h.prevAlerts) ?? '{}',
      ) as Record<string, string>,
      groupKey: h.groupKey ?? '',
      groupLabels: JSON.parse(h.groupLabels ?? '{}') as Record<string, string>,
      rendered: h.rendered ? (JSON.parse(h.rendered) as SlackMessage) : undefined,
      actions: JSON.parse(h.actions ?? '{}') as ActionState,
      actionReply: h.actionReply ?? '',
    };
  }

  async set(channel: string, group: string, fields: Partial<SlackMessageState>): Promise<void> {
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(fields)) {
      flat[k] =
        typeof v === 'object' ? JSON.stringify(v) : typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
    }
    const key = this.key(channel, group);
    await this.redis.multi().hset(key, flat).expire(key, TTL_SECONDS).exec();
  }

  /** Serialises deliveries of one group across workers and replicas; undefined while another holds it. */
  lock(channel: string, group: string): Promise<Lease | undefined> {
    return acquireLease(this.redis, `${this.key(channel, group)}:lock`, this.lockMs);
  }

  /**
   * Takes the channel's post slot, or throws a retryable DeliveryError saying how long to wait:
   * every post into a channel (message, thread reply, action reply) shares its one-per-interval rate.
   */
  async reservePost(channel: string, intervalMs: number): Promise<void> {
    const waitMs = await this.takePostSlot(channel, intervalMs);
    if (waitMs > 0)
      throw new DeliveryError(`channel post rate (1 per ${intervalMs} ms) reached`, {
        retryable: true,
        retryAfterMs: waitMs,
      });
  }

  /** One message per `intervalMs` per channel (Slack: about 1/s): 0 if we may post now, else ms to wait. */
  async takePostSlot(channel: string, intervalMs = 1000): Promise<number> {
    const key = `${this.prefix}:slack:rate:${channel}`;
    const ok = await this.redis.set(key, '1', 'PX', intervalMs, 'NX');
    if (ok === 'OK') return 0;
    return Math.max(Math.min(50, intervalMs), await this.redis.pttl(key));
  }
}
