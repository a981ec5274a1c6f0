import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadConfig } from '../src/config/load-config.js';
import { createLogger } from '../src/lib/logger.js';
import { startAlertRouter, type RunningAlertRouter } from '../src/runtime/start-alert-router.js';
import { alertmanagerTraffic, refusalSeconds } from './alertmanager-traffic.js';
import type { FakeSlack } from './fake-slack.js';
import { RedisSentinelSet, SENTINEL_NAME } from './redis-sentinel-set.js';
import { stormGroup } from './storm-groups.js';
import { sleep, waitFor } from './wait.js';

/** A whole alert-router (ROLE=all) on the Sentinel set, its config from `file`. */
async function startOnSentinels(
  set: RedisSentinelSet,
  file: Record<string, unknown>,
  env: Record<string, string>,
): Promise<RunningAlertRouter> {
  const dir = mkdtempSync(join(tmpdir(), 'ar-failover-'));
  try {
    writeFileSync(join(dir, 'config.yml'), stringify(file));
    const config = loadConfig({
      REDIS_SENTINELS: set.sentinelList,
      REDIS_SENTINEL_NAME: SENTINEL_NAME,
      QUEUE_PREFIX: `failover-${randomUUID().slice(0, 8)}`,
      ALERT_ROUTER_CONFIG: join(dir, 'config.yml'),
      WEBHOOK_BEARER_TOKEN: 't',
      ...env,
    });
    return await startAlertRouter(config, { logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'), port: 0 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const config = (lockMs: number) => ({
  channels: { slack: { type: 'slack', channel: '#alerts', postIntervalMs: 10, storm: { enabled: false } } },
  defaultChannels: ['slack'],
  delivery: { lockMs },
});

export interface FailoverRun {
  acked: number;
  /** Acknowledged (2xx) but never posted to Slack. */
  lost: number[];
  /** Posted more than once. */
  duplicates: number[];
  /** Seconds from the first attempt to Slack: the slowest, and how many took over 2 s. */
  slowestSeconds: number;
  delayed: number;
  refusals: number;
  refusalSeconds: number;
  failovers: unknown;
  /** Answers that waited for the replica (alert_router_replication_wait_seconds_count). */
  confirmedWaits: number;
}

/**
 * A fresh Sentinel set (primary, replica, three Sentinels) and alert-router on it; Alertmanager-like
 * traffic at 50 notifications/s for 8 s, each its own group, to a Slack channel (storms off, so every
 * group is its own message); the primary SIGKILLed 2.5 s in. What Slack received, per group.
 * `lockMs`: how long a job a worker held when the primary died waits before it runs again.
 * @example const r = await failoverRun(slack, 'auto', 5000)
 */
export async function failoverRun(slack: FakeSlack, waitReplicas: string, lockMs: number): Promise<FailoverRun> {
  const set = await RedisSentinelSet.start();
  const router = await startOnSentinels(set, config(lockMs), {
    REDIS_WAIT_REPLICAS: waitReplicas,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_API_URL: slack.url,
  });
  try {
    const ready = (await (await fetch(`${router.url}/readyz`)).json()) as { redis: { replicas: number } };
    assert.equal(ready.redis.replicas, 1, 'the primary has its replica before the traffic starts');
    const run = randomUUID().slice(0, 8);
    const startsAt = new Date().toISOString();
    const report = await alertmanagerTraffic(router.url, (i) => stormGroup(i, run, startsAt), {
      rate: 50,
      durationMs: 8_000,
      async during() {
        await sleep(2_500);
        const old = await set.primary();
        await old.kill();
        await set.waitForFailover(old);
      },
    });
    const acked = [...report.sent].filter(([, s]) => s.ackedAt !== undefined).map(([i]) => i);
    const firstPost = new Map<number, number>();
    const posts = (): Map<number, number> => {
      const n = new Map<number, number>();
      for (const r of slack.calls('chat.postMessage')) {
        const m = new RegExp(`svc-${run}-(\\d+)\\b`).exec(JSON.stringify(r.body));
        if (!m) continue;
        const i = Number(m[1]);
        n.set(i, (n.get(i) ?? 0) + 1);
        if (!firstPost.has(i)) firstPost.set(i, r.at);
      }
      return n;
    };
    // Deliveries that were queued on the old primary and survived run from the new one.
    await waitFor(() => acked.every((i) => posts().has(i)), 'every acknowledged notification in Slack', 30_000).catch(
      () => undefined,
    );
    await sleep(1_000); // a late duplicate would show by now
    const posted = posts();
    const delays = acked.map((i) => ((firstPost.get(i) ?? Infinity) - report.sent.get(i)!.firstAt) / 1000);
    const metrics = await (await fetch(`${router.url}/metrics`)).text();
    const confirmed = /^alert_router_replication_wait_seconds_count\{outcome="confirmed"\} (\d+)$/m.exec(metrics);
    const ready2 = (await (await fetch(`${router.url}/readyz`)).json()) as { redis: { failovers: number } };
    return {
      acked: acked.length,
      lost: acked.filter((i) => !posted.has(i)),
      duplicates: [...posted].filter(([, n]) => n > 1).map(([i]) => i),
      slowestSeconds: Math.max(...delays),
      delayed: delays.filter((d) => d > 2).length,
      refusals: report.refusals.length,
      refusalSeconds: refusalSeconds(report),
      failovers: ready2.redis.failovers,
      confirmedWaits: Number(confirmed?.[1] ?? 0),
    };
  } finally {
    await router.close();
    await set.close();
  }
}

