import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workerConnection } from '../../src/queue/connections.js';
import type { RedisClient } from '../../src/lib/redis-client.js';
import { stringify } from 'yaml';
import type { AppConfig } from '../../src/config/app-config.js';
import { loadConfig, type Env } from '../../src/config/load-config.js';
import { createLogger } from '../../src/lib/logger.js';
import { startAlertRouter, type RunningAlertRouter } from '../../src/runtime/start-alert-router.js';
import { deletePrefix } from '../../support/delete-prefix.js';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestRouter extends RunningAlertRouter {
  /**
   * The prefix this helper made, and `stop()` cleans. With QUEUE_PREFIX in `env` the router shares
   * another router's prefix instead, which that router's `stop()` cleans.
   */
  readonly prefix: string;
  readonly redis: RedisClient;
  /** Closes the router and deletes every Redis key under its prefix. */
  stop(): Promise<void>;
}

/**
 * Starts a whole alert-router in-process on an ephemeral port with its own QUEUE_PREFIX, from a
 * config object (written to a temp YAML file) and extra environment.
 * @example const r = await startTestRouter({ channels: { outbox: { type: 'outbox' } }, defaultChannels: ['outbox'] })
 */
export async function startTestRouter(
  fileConfig: Record<string, unknown>,
  env: Env = {},
  opts: { pagerdutyAgent?: Agent; ingestTimeoutMs?: number; logLevel?: string } = {},
): Promise<TestRouter> {
  const dir = mkdtempSync(join(tmpdir(), 'ar-test-'));
  const prefix = `test-${randomUUID().slice(0, 8)}`;
  let running: RunningAlertRouter;
  let config: AppConfig;
  try {
    // Read at start-up only: the file is not needed once the router runs.
    const path = join(dir, 'config.yml');
    writeFileSync(path, stringify(fileConfig));
    config = loadConfig({
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      PUBLIC_URL: 'http://alert-router.test',
      ALERT_ROUTER_CONFIG: path,
      ...env,
    });
    running = await startAlertRouter(config, {
      logger: createLogger(opts.logLevel ?? process.env.TEST_LOG_LEVEL ?? 'silent'),
      port: 0,
      ...(opts.pagerdutyAgent ? { pagerdutyAgent: opts.pagerdutyAgent } : {}),
      ...(opts.ingestTimeoutMs ? { ingestTimeoutMs: opts.ingestTimeoutMs } : {}),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const redis = workerConnection(config.redis);
  redis.on('error', () => undefined); // a test that stops or fails over Redis sees it through the router
  // On a cluster the prefix is wrapped in a hash tag: the keys live under the wrapped one.
  const keyPrefix = config.queuePrefix === `{${prefix}}` ? config.queuePrefix : prefix;
  return {
    ...running,
    prefix: keyPrefix,
    redis,
    async stop() {
      try {
        await running.close();
      } finally {
        await deletePrefix(redis, keyPrefix);
        redis.disconnect();
      }
    },
  };
}
