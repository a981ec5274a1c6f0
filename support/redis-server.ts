import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { onPort } from './free-port.js';
import { ManagedProcess } from './managed-process.js';

/**
 * A private redis-server (AOF on, noeviction, as production runs it) on its own port, for callers
 * that stop or restart Redis; the shared one on 6379 must never be stopped.
 * @example const redis = await RedisServer.start(); await redis.stop(); await redis.start()
 */
export class RedisServer {
  readonly dir = mkdtempSync(join(tmpdir(), 'ar-redis-'));
  private readonly proc: ManagedProcess;

  /** `extraArgs`: more redis-server options (`--replicaof host port`, `--cluster-enabled yes`). */
  constructor(
    readonly port: number,
    extraArgs: readonly string[] = [],
  ) {
    this.proc = new ManagedProcess(`redis-server:${port}`, 'redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'yes',
      '--dir',
      this.dir,
      '--maxmemory-policy',
      'noeviction',
      ...extraArgs,
    ]);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static start(extraArgs: readonly string[] = []): Promise<RedisServer> {
    return onPort(undefined, async (port) => {
      const s = new RedisServer(port, extraArgs);
      try {
        await s.start();
      } catch (err) {
        await s.close();
        throw err;
      }
      return s;
    });
  }

  async start(): Promise<void> {
    this.proc.start();
    // Generous: a busy 2-core machine can take seconds to replay an AOF after a restart.
    await this.proc.ready(() => this.ping(), 15_000);
  }

  /** SIGKILL: the server dies at once, as a crashed host would, with no time to replicate. */
  async kill(): Promise<void> {
    this.proc.child?.kill('SIGKILL');
    await this.proc.exited();
  }

  /** Stops the server; its data stays for a `start()` again (AOF), until `close()`. */
  stop(): Promise<void> {
    return this.proc.stop();
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async ping(): Promise<boolean> {
    const client = new Redis(this.url, {
      lazyConnect: true,
      connectTimeout: 1_000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined); // a refused connection while it starts is expected
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  }
}
