import { Cluster, type Redis } from 'ioredis';

import type { RedisClient, RedisTopology } from '../lib/redis-client.js';
import { beforeDeadline } from '../lib/with-deadline.js';

export type RedisRole = 'master' | 'replica' | 'unknown';

/** What the last look at Redis found. */
export interface RedisView {
  readonly topology: RedisTopology['kind'];
  readonly role: RedisRole;
  /** host:port of the primary this instance writes to; undefined until it has been seen. */
  readonly primary: string | undefined;
  /** Replicas connected to that primary. */
  readonly replicas: number;
  readonly failovers: number;
  /** When the primary last changed (ms since the epoch); undefined if it has not. */
  readonly lastFailoverAt: number | undefined;
}

interface Look {
  readonly role: RedisRole;
  readonly primary: string | undefined;
  readonly replicas: number;
  /** The connection that reaches that primary: a cluster's node, or the client itself. */
  readonly node: Redis | undefined;
}

type RoleReply = [string, ...unknown[]];
type SlotsReply = Array<[number, number, ...Array<[string, number, ...unknown[]]>]>;

/** ROLE on one server: a primary lists its replicas; a replica names its primary (https://redis.io/docs/latest/commands/role/). */
async function lookAtServer(redis: Redis): Promise<Look> {
  const reply = (await redis.call('ROLE')) as RoleReply;
  const here = redis.stream?.remoteAddress
    ? `${redis.stream.remoteAddress}:${redis.stream.remotePort}`
    : undefined;
  if (reply[0] === 'master')
    return { role: 'master', primary: here, replicas: (reply[2] as unknown[]).length, node: redis };
  return { role: reply[0] === 'slave' ? 'replica' : 'unknown', primary: here, replicas: 0, node: redis };
}

/**
 * On a cluster, what matters is the shard that owns the prefix's hash slot: every key of ours is
 * there (redis-settings.ts, clusterPrefix). CLUSTER SLOTS names its primary and replicas.
 */
async function lookAtCluster(cluster: Cluster, slotKey: string): Promise<Look> {
  const slot = (await cluster.call('CLUSTER', 'KEYSLOT', slotKey)) as number;
  const ranges = (await cluster.call('CLUSTER', 'SLOTS')) as SlotsReply;
  const range = ranges.find(([from, to]) => slot >= from && slot <= to);
  const [, , owner, ...replicas] = range ?? [];
  if (!owner) return { role: 'unknown', primary: undefined, replicas: 0, node: undefined };
  const [host, port] = owner;
  const node = cluster
    .nodes('master')
    .find((n) => n.options.host === host && Number(n.options.port) === Number(port));
  return { role: 'master', primary: `${host}:${port}`, replicas: replicas.length, node };
}

/**
 * Keeps track of which Redis the producer writes to: its role, its replicas, and when the primary
 * changed (a failover). Looks again every `intervalMs` and at every reconnection, so a Sentinel
 * promotion is seen as soon as ioredis follows it.
 */
export class RedisWatch {
  private look: Look = { role: 'unknown', primary: undefined, replicas: 0, node: undefined };
  private failovers = 0;
  private lastFailoverAt: number | undefined;
  private readonly timer: NodeJS.Timeout;
  private looking: Promise<void> | undefined;
  private readonly onReady = (): void => void this.refresh();

  constructor(
    private readonly redis: RedisClient,
    private readonly topology: RedisTopology['kind'],
    private readonly opts: {
      /** Any key under the prefix: on a cluster, its slot is the shard that holds every key of ours. */
      readonly slotKey: string;
      readonly intervalMs: number;
      readonly onChange?: (view: RedisView, failover: { from: string; to: string } | undefined) => void;
    },
  ) {
    this.timer = setInterval(() => void this.refresh(), opts.intervalMs).unref();
    redis.on('ready', this.onReady);
  }

  view(): RedisView {
    return {
      topology: this.topology,
      role: this.look.role,
      primary: this.look.primary,
      replicas: this.look.replicas,
      failovers: this.failovers,
      lastFailoverAt: this.lastFailoverAt,
    };
  }

  /** The connection to the primary that holds our keys, where a WAIT counts our writes. */
  primaryNode(): Redis | undefined {
    return this.look.role === 'master' ? this.look.node : undefined;
  }

  /** Looks at Redis now (one look at a time); a Redis that does not answer leaves the last view. */
  refresh(): Promise<void> {
    this.looking ??= this.lookNow().finally(() => (this.looking = undefined));
    return this.looking;
  }

  close(): void {
    clearInterval(this.timer);
    this.redis.off('ready', this.onReady);
  }

  private async lookNow(): Promise<void> {
    let next: Look;
    try {
      next = await beforeDeadline(
        1000,
        'redis role',
        this.redis instanceof Cluster
          ? lookAtCluster(this.redis, this.opts.slotKey)
          : lookAtServer(this.redis),
      );
    } catch {
      return;
    }
    const before = this.look;
    this.look = next;
    // A primary that moved is a failover; a standalone server restarting at its address is not.
    const moved =
      before.primary !== undefined && next.primary !== undefined && before.primary !== next.primary;
    if (moved) {
      this.failovers += 1;
      this.lastFailoverAt = Date.now();
    }
    if (moved || before.role !== next.role || before.replicas !== next.replicas)
      this.opts.onChange?.(this.view(), moved ? { from: before.primary, to: next.primary! } : undefined);
  }
}
