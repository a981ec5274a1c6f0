/**
 * Acknowledged means replicated: against a real primary and replica, the webhook answers 2xx only
 * once the replica has the notification, and 503 (so Alertmanager retries) when too few replicas
 * confirm within the ingest deadline.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixture } from '../../support/fixtures.js';
import { RedisServer } from '../../support/redis-server.js';
import { waitFor } from '../../support/wait.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';
import { uniqueGroup } from '../helpers/webhook-client.js';

const config = { channels: { outbox: { type: 'outbox' } }, defaultChannels: ['outbox'] };

const post = async (
  r: TestRouter,
  payload: unknown = uniqueGroup(fixture('firing')),
): Promise<{ status: number; ms: number; body: string }> => {
  const t0 = performance.now();
  const res = await fetch(`${r.url}/webhook/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  return { status: res.status, ms: performance.now() - t0, body: await res.text() };
};

const waits = async (r: TestRouter, outcome: string): Promise<number> => {
  const text = await (await fetch(`${r.url}/metrics`)).text();
  const m = new RegExp(
    `^alert_router_replication_wait_seconds_count\\{outcome="${outcome}"\\} (\\d+)$`,
    'm',
  ).exec(text);
  return Number(m?.[1] ?? 0);
};

describe('the replication wait (Redis WAIT) before the webhook answers', () => {
  let primary: RedisServer;
  let replica: RedisServer;
  before(async () => {
    primary = await RedisServer.start();
    replica = await RedisServer.start(['--replicaof', '127.0.0.1', String(primary.port)]);
  });
  after(async () => {
    await replica?.close();
    await primary?.close();
  });

  it('auto: waits for the replica, then answers 200; /readyz names the primary and its replica', async () => {
    const r = await startTestRouter(config, { REDIS_URL: primary.url });
    try {
      await waitFor(
        async () =>
          ((await (await fetch(`${r.url}/readyz`)).json()) as { redis: { replicas: number } }).redis
            .replicas === 1,
        'the replica to be seen',
      );
      const res = await post(r);
      assert.equal(res.status, 200, res.body);
      assert.equal(await waits(r, 'confirmed'), 1, 'the answer waited for the replica');
      const ready = (await (await fetch(`${r.url}/readyz`)).json()) as { redis: Record<string, unknown> };
      assert.deepEqual(
        { ...ready.redis, primary: undefined },
        {
          topology: 'standalone',
          role: 'master',
          primary: undefined,
          replicas: 1,
          waitReplicas: 1,
          failovers: 0,
        },
      );
      assert.match(String(ready.redis.primary), new RegExp(`:${primary.port}$`));
    } finally {
      await r.stop();
    }
  });

  it('more replicas asked for than exist: 503 within about a second, and the retry is the same job', async () => {
    const r = await startTestRouter(config, { REDIS_URL: primary.url, REDIS_WAIT_REPLICAS: '2' });
    try {
      // A first request loads BullMQ's scripts; on a busy machine that can use up most of the 1 s
      // deadline, leaving WAIT too little time to hear the replica's ack. Timed is what follows.
      assert.equal((await post(r)).status, 503);
      const jobs = async (): Promise<number> =>
        Object.values(await r.queues.notifications.getJobCounts('waiting', 'active', 'completed')).reduce(
          (a, b) => a + b,
          0,
        );
      const before = await jobs();
      const payload = uniqueGroup(fixture('firing'));
      const res = await post(r, payload);
      assert.equal(res.status, 503, res.body);
      // The count is what Redis' WAIT said: the one replica there is, or none if its ack was late.
      assert.match(res.body, /replicas did not confirm the write in time \([01] of 2\); retry/);
      assert.ok(res.ms < 1_800, `answered in ${Math.round(res.ms)} ms`);
      assert.equal((await post(r, payload)).status, 503, 'the retry waits again');
      assert.equal(await waits(r, 'short'), 3);
      assert.equal((await jobs()) - before, 1, 'one job for both attempts');
    } finally {
      await r.stop();
    }
  });

  it('0: no wait at all, even with a replica', async () => {
    const r = await startTestRouter(config, { REDIS_URL: primary.url, REDIS_WAIT_REPLICAS: '0' });
    try {
      assert.equal((await post(r)).status, 200);
      assert.equal((await waits(r, 'confirmed')) + (await waits(r, 'short')), 0);
    } finally {
      await r.stop();
    }
  });

  it('a replica as REDIS_URL: not ready, since it refuses writes', async () => {
    const r = await startTestRouter(config, { REDIS_URL: replica.url });
    try {
      const res = await fetch(`${r.url}/readyz`);
      assert.equal(res.status, 503);
      const body = (await res.json()) as { problems: string[]; redis: { role: string } };
      assert.ok(body.problems.includes('redis is a read-only replica'), body.problems.join(', '));
      assert.equal(body.redis.role, 'replica');
      assert.equal((await post(r)).status, 503, 'the webhook does not acknowledge what it cannot write');
    } finally {
      await r.stop();
    }
  });
});
