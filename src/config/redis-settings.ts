import type { HostPort, RedisSettings, RedisTopology, ReplicaWait } from '../lib/redis-client.js';
import { readSecret, type Env } from '../lib/read-secret.js';

const DEFAULT_URL = 'redis://127.0.0.1:6379';

function hostPorts(value: string, name: string, problems: string[]): HostPort[] {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const out: HostPort[] = [];
  for (const item of list) {
    // host:port, [v6]:port; the port is required so a typo never silently means 6379 or 26379.
    const m = /^(\[[^\]]+\]|[^:\s/]+):(\d{1,5})$/.exec(item);
    const port = Number(m?.[2]);
    if (!m || port < 1 || port > 65535) {
      problems.push(`env ${name}: "${item}" is not host:port`);
      continue;
    }
    out.push({ host: m[1]!.replace(/^\[|\]$/g, ''), port });
  }
  if (list.length === 0) problems.push(`env ${name}: list at least one host:port`);
  return out;
}

function urlProblem(value: string): string | undefined {
  const url = URL.parse(value);
  if (!url) return 'not a URL';
  if (!['redis:', 'rediss:'].includes(url.protocol)) return 'protocol must be redis: or rediss:';
  return undefined;
}

function replicaWait(raw: string | undefined, problems: string[]): ReplicaWait {
  const value = raw?.trim() || 'auto';
  if (value === 'auto') return 'auto';
  if (/^\d+$/.test(value) && Number(value) <= 16) return Number(value);
  problems.push('env REDIS_WAIT_REPLICAS: must be auto or a number of replicas (0 turns the wait off)');
  return 'auto';
}

/**
 * The Redis topology and its credentials from the environment: REDIS_URL, or REDIS_SENTINELS with
 * REDIS_SENTINEL_NAME, or REDIS_CLUSTER_NODES; only one of them. Passwords come from env or
 * `_FILE` and are never echoed in a problem.
 * @example readRedisSettings({ REDIS_SENTINELS: '10.0.0.1:26379,10.0.0.2:26379', REDIS_SENTINEL_NAME: 'mymaster' }, problems)
 */
export function readRedisSettings(env: Env, problems: string[]): RedisSettings {
  const given = (['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'] as const).filter(
    (n) => (env[n] ?? '').trim() !== '',
  );
  if (given.length > 1) problems.push(`env ${given.join(', ')}: set only one of them`);
  let topology: RedisTopology;
  if (given[0] === 'REDIS_SENTINELS') {
    const name = env.REDIS_SENTINEL_NAME?.trim() ?? '';
    if (name === '')
      problems.push(
        'env REDIS_SENTINEL_NAME: required with REDIS_SENTINELS (the monitored primary, e.g. mymaster)',
      );
    topology = {
      kind: 'sentinel',
      sentinels: hostPorts(env.REDIS_SENTINELS!, 'REDIS_SENTINELS', problems),
      name,
    };
  } else if (given[0] === 'REDIS_CLUSTER_NODES') {
    topology = {
      kind: 'cluster',
      nodes: hostPorts(env.REDIS_CLUSTER_NODES!, 'REDIS_CLUSTER_NODES', problems),
    };
  } else {
    const url = env.REDIS_URL?.trim() || DEFAULT_URL;
    const problem = urlProblem(url);
    if (problem) problems.push(`env REDIS_URL: ${problem}`);
    topology = { kind: 'standalone', url };
  }
  if (topology.kind !== 'sentinel' && env.REDIS_SENTINEL_NAME)
    problems.push('env REDIS_SENTINEL_NAME: only means something with REDIS_SENTINELS');
  return {
    topology,
    username: env.REDIS_USERNAME?.trim() || undefined,
    password: readSecret(env, 'REDIS_PASSWORD', problems),
    sentinelPassword: readSecret(env, 'REDIS_SENTINEL_PASSWORD', problems),
    waitReplicas: replicaWait(env.REDIS_WAIT_REPLICAS, problems),
  };
}

/**
 * The key prefix as Redis Cluster needs it: BullMQ's scripts and ours touch several keys at once,
 * which a cluster allows only within one hash slot, so the whole prefix is one hash tag
 * (`{alert-router}`; https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags).
 * A prefix that already holds a tag is kept as written.
 */
export function clusterPrefix(prefix: string): string {
  return /\{[^}]+\}/.test(prefix) ? prefix : `{${prefix}}`;
}
