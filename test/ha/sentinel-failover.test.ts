/**
 * A real Sentinel deployment (primary, replica, three Sentinels) under Alertmanager-like traffic at
 * 50 notifications/s; the primary is SIGKILLed mid-traffic. With the replication wait on, every
 * notification that got a 2xx reaches Slack; with it off, the run reports what a failover can lose.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { alertmanagerTraffic, refusalSeconds } from '../../support/alertmanager-traffic.js';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack.js';
import { RedisSentinelSet, SENTINEL_NAME } from '../../support/redis-sentinel-set.js';
import { stormGroup } from '../../support/storm-groups.js';
import { sleep, waitFor } from '../../support/wait.js';
import { startTestRouter } from '../helpers/start-test-router.js';

const config = {
  channels: { slack: { type: 'slack', channel: '#alerts', postIntervalMs: 10, storm: { enabled: false } } },
  defaultChannels: ['slack'],
  // Jobs a worker had taken when the primary died run again once their lock expires: short here.
  delivery: { lockMs: 5000 },
};

interface FailoverRun {
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

/** Traffic for `seconds`, the primary killed after `killAfterMs`; what Slack received, per group. */
async function failoverRun(slack: FakeSlack, waitReplicas: string): Promise<FailoverRun> {
  const set = await RedisSentinelSet.start();
  const router = await startTestRouter(config, {
    REDIS_URL: '',
    REDIS_SENTINELS: set.sentinelList,
    REDIS_SENTINEL_NAME: SENTINEL_NAME,
    REDIS_WAIT_REPLICAS: waitReplicas,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_API_URL: slack.url,
    WEBHOOK_BEARER_TOKEN: 't',
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
    await router.stop();
    await set.close();
  }
}

describe('Sentinel failover under traffic', () => {
  let slack: FakeSlack;
  before(async () => {
    slack = await startFakeSlack();
  });
  after(() => slack?.close());

  it('with the replication wait on, every acknowledged notification is delivered after the primary is killed', async (t) => {
    const r = await failoverRun(slack, 'auto');
    t.diagnostic(`wait on: ${JSON.stringify(r)}`);
    assert.ok(r.acked >= 390, `most of the 400 notifications were acknowledged (${r.acked})`);
    assert.deepEqual(r.lost, [], 'no acknowledged notification is lost');
    assert.ok(r.refusals > 0, 'the senders saw 503s while the Sentinels promoted the replica');
    assert.equal(r.failovers, 1, '/readyz counts the failover');
    assert.ok(r.confirmedWaits >= 100, `the answers before the kill waited for the replica (${r.confirmedWaits})`);
    assert.deepEqual(r.duplicates, [], 'each notification reaches Slack once');
  });

  it('with the wait off, the same run reports what it can lose (not asserted: replication is usually fast)', async (t) => {
    const r = await failoverRun(slack, '0');
    t.diagnostic(`wait off: ${JSON.stringify(r)}`);
    assert.ok(r.acked >= 390, `most notifications were acknowledged (${r.acked})`);
    assert.equal(r.confirmedWaits, 0, 'nothing waited');
  });
});
