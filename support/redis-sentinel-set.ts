import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { onPort } from './free-port.js';
import { ManagedProcess } from './managed-process.js';
import { RedisServer } from './redis-server.js';
import { waitFor } from './wait.js';

export const SENTINEL_NAME = 'mymaster';

/** Asks one Sentinel which server it holds to be the primary now. */
async function primaryPort(sentinelPort: number): Promise<number | undefined> {
  const s = new Redis({ port: sentinelPort, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  s.on('error', () => undefined);
  try {
    await s.connect();
    const reply = (await s.call('SENTINEL', 'get-master-addr-by-name', SENTINEL_NAME)) as [string, string] | null;
    return reply ? Number(reply[1]) : undefined;
  } catch {
    return undefined;
  } finally {
    s.disconnect();
  }
}

async function connectedReplicas(port: number): Promise<number> {
  const r = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    const role = (await r.call('ROLE')) as [string, unknown, unknown[]];
    return role[0] === 'master' ? role[2].length : 0;
  } catch {
    return 0;
  } finally {
    r.disconnect();
  }
}

/**
 * A real Sentinel deployment on loopback, as production runs one: a primary, a replica and three
 * `redis-server --sentinel` processes with quorum 2. Failure detection is quick (1 s) so a test sees
 * a failover within seconds. `kill` SIGKILLs a server as a crashed host would die.
 * @example const set = await RedisSentinelSet.start(); await set.kill(set.primary); await set.waitForFailover()
 */
export class RedisSentinelSet {
  private constructor(
    readonly servers: readonly RedisServer[],
    private readonly sentinels: ReadonlyArray<{ port: number; proc: ManagedProcess; dir: string }>,
  ) {}

  /** REDIS_SENTINELS for alert-router. */
  get sentinelList(): string {
    return this.sentinels.map((s) => `127.0.0.1:${s.port}`).join(',');
  }

  static async start(): Promise<RedisSentinelSet> {
    const primary = await RedisServer.start();
    const replica = await RedisServer.start(['--replicaof', '127.0.0.1', String(primary.port)]);
    const sentinels: Array<{ port: number; proc: ManagedProcess; dir: string }> = [];
    const set = new RedisSentinelSet([primary, replica], sentinels);
    try {
      await waitFor(async () => (await connectedReplicas(primary.port)) === 1, 'the replica to sync', 15_000);
      for (let i = 0; i < 3; i++)
        sentinels.push(
          await onPort(undefined, async (port) => {
            // Sentinel rewrites its config file, so each gets a writable one of its own.
            const dir = mkdtempSync(join(tmpdir(), 'ar-sentinel-'));
            writeFileSync(
              join(dir, 'sentinel.conf'),
              [
                `port ${port}`,
                'bind 127.0.0.1',
                `dir ${dir}`,
                `sentinel monitor ${SENTINEL_NAME} 127.0.0.1 ${primary.port} 2`,
                `sentinel down-after-milliseconds ${SENTINEL_NAME} 1000`,
                `sentinel failover-timeout ${SENTINEL_NAME} 5000`,
                `sentinel parallel-syncs ${SENTINEL_NAME} 1`,
                '',
              ].join('\n'),
            );
            const proc = new ManagedProcess(`redis-sentinel:${port}`, 'redis-server', [
              join(dir, 'sentinel.conf'),
              '--sentinel',
            ]);
            try {
              await proc.startReady(async () => (await primaryPort(port)) === primary.port, 15_000);
            } catch (err) {
              rmSync(dir, { recursive: true, force: true });
              throw err;
            }
            return { port, proc, dir };
          }),
        );
      return set;
    } catch (err) {
      await set.close();
      throw err;
    }
  }

  /** The server every Sentinel names as primary now (the first Sentinel's view). */
  async primary(): Promise<RedisServer> {
    const port = await primaryPort(this.sentinels[0]!.port);
    const found = this.servers.find((s) => s.port === port);
    if (!found) throw new Error(`no server of the set is primary (Sentinel says ${port})`);
    return found;
  }

  /** Waits until the Sentinels have promoted a server other than `old` and it has taken the role. */
  async waitForFailover(old: RedisServer, timeoutMs = 30_000): Promise<RedisServer> {
    let promoted: RedisServer | undefined;
    await waitFor(
      async () => {
        const port = await primaryPort(this.sentinels[0]!.port);
        promoted = port !== undefined && port !== old.port ? this.servers.find((s) => s.port === port) : undefined;
        return promoted !== undefined;
      },
      'the Sentinels to promote a replica',
      timeoutMs,
    );
    return promoted!;
  }

  async close(): Promise<void> {
    for (const s of this.sentinels) {
      await s.proc.stop();
      rmSync(s.dir, { recursive: true, force: true });
    }
    for (const s of this.servers) await s.close();
  }
}
