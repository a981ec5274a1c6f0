import type { Cluster, Redis } from 'ioredis';

/**
 * A connection to whichever Redis topology is configured: one server or a Sentinel-watched primary
 * (`Redis`), or a Redis Cluster (`Cluster`). Both speak the same commands; everything of ours takes
 * this type, so no store knows the topology.
 */
export type RedisClient = Redis | Cluster;

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Where Redis is: one server (REDIS_URL), a primary behind Sentinel, or a Redis Cluster. */
export type RedisTopology =
  | { readonly kind: 'standalone'; readonly url: string }
  | { readonly kind: 'sentinel'; readonly sentinels: readonly HostPort[]; readonly name: string }
  | { readonly kind: 'cluster'; readonly nodes: readonly HostPort[] };

/**
 * How many replicas must hold a notification before the webhook answers 2xx (Redis `WAIT`):
 * `auto` waits for one whenever the primary has a replica connected and not otherwise; a number
 * waits for that many, answering 503 when fewer confirm in time; 0 never waits.
 */
export type ReplicaWait = 'auto' | number;

export interface RedisSettings {
  readonly topology: RedisTopology;
  /** ACL user and password for the Redis servers (REDIS_USERNAME, REDIS_PASSWORD or _FILE). */
  readonly username: string | undefined;
  readonly password: string | undefined;
  /** For the Sentinels themselves (REDIS_SENTINEL_PASSWORD or _FILE), which may differ. */
  readonly sentinelPassword: string | undefined;
  readonly waitReplicas: ReplicaWait;
}
