import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { RedisServer } from './redis-server.js';
import { waitFor } from './wait.js';

const run = promisify(execFile);

async function clusterState(port: number): Promise<string> {
  const r = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    const info = (await r.call('CLUSTER', 'INFO')) as string;
    return /cluster_state:(\w+)/.exec(info)?.[1] ?? 'unknown';
  } catch {
    return 'unreachable';
  } finally {
    r.disconnect();
  }
}

/**
 * A real Redis Cluster of three primaries on loopback (`--cluster-enabled yes`, joined with
 * `redis-cli --cluster create`), every slot assigned. Each node also needs its bus port (port +
 * 10000) free.
 * @example const cluster = await RedisCluster.start(); env.REDIS_CLUSTER_NODES = cluster.nodeList
 */
export class RedisCluster {
  private constructor(readonly servers: readonly RedisServer[]) {}

  /** REDIS_CLUSTER_NODES for alert-router. */
  get nodeList(): string {
    return this.servers.map((s) => `127.0.0.1:${s.port}`).join(',');
  }

  static async start(): Promise<RedisCluster> {
    const servers: RedisServer[] = [];
    const cluster = new RedisCluster(servers);
    try {
      for (let i = 0; i < 3; i++)
        servers.push(await RedisServer.start(['--cluster-enabled', 'yes', '--cluster-node-timeout', '2000']));
      await run('redis-cli', [
        '--cluster',
        'create',
        ...servers.map((s) => `127.0.0.1:${s.port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ]);
      await waitFor(
        async () => (await Promise.all(servers.map((s) => clusterState(s.port)))).every((st) => st === 'ok'),
        'every node to report cluster_state:ok',
        20_000,
      );
      return cluster;
    } catch (err) {
      await cluster.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    for (const s of this.servers) await s.close();
  }
}
