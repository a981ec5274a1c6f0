import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixture, fixtureText } from '../../support/fixtures.js';
import { RedisServer } from '../../support/redis-server.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';
import { sleep, waitFor } from '../../support/wait.js';
import { notificationJobCount, postRaw } from '../helpers/webhook-client.js';

const outboxConfig = { channels: { outbox: { type: 'outbox' } }, defaultChannels: ['outbox'] };
const TOKEN = 'webhook-secret';

const post = (r: TestRouter, body: string | Buffer, headers: Record<string, string> = {}): Promise<Response> =>
  postRaw(r.url, body, { token: TOKEN, headers });

const jobCount = notificationJobCount;

describe('POST /webhook/alertmanager', () => {
  let r: TestRouter;
  before(async () => {
    r = await startTestRouter(outboxConfig, { WEBHOOK_BEARER_TOKEN: TOKEN, ROLE: 'api' });
  });
  after(() => r.stop());

  test('every bad input gets a clear JSON error and enqueues nothing', async () => {
    const cases: Array<[string, Promise<Response>, number, string]> = [
      ['no auth', post(r, fixtureText('firing'), { authorization: '' }), 401, 'unauthorized'],
      ['wrong token', post(r, fixtureText('firing'), { authorization: 'Bearer nope' }), 401, 'unauthorized'],
      [
        'basic instead of bearer',
        post(r, fixtureText('firing'), {
          authorization: `Basic ${Buffer.from(`a:${TOKEN}`).toString('base64')}`,
        }),
        401,
        'unauthorized',
      ],
      ['malformed JSON', post(r, '{"version":"4",'), 400, 'malformed_json'],
      [
        'wrong content type',
        post(r, fixtureText('firing'), { 'content-type': 'text/plain' }),
        400,
        'unsupported_content_type',
      ],
      ['version 3', post(r, JSON.stringify({ ...fixture('firing'), version: '3' })), 400, 'invalid_payload'],
      [
        'missing alerts',
        post(r, JSON.stringify({ ...fixture('firing'), alerts: undefined })),
        400,
        'invalid_payload',
      ],
      ['empty alerts', post(r, JSON.stringify({ ...fixture('firing'), alerts: [] })), 400, 'invalid_payload'],
      ['not an object', post(r, '[1,2]'), 400, 'invalid_payload'],
      ['oversize', post(r, Buffer.alloc(11 * 1024 * 1024, 32)), 413, 'payload_too_large'],
    ];
    for (const [name, pending, status, code] of cases) {
      const res = await pending;
      assert.equal(res.status, status, name);
      assert.match(res.headers.get('content-type') ?? '', /application\/json/, name);
      const body = (await res.json()) as { error: string; message: string };
      assert.equal(body.error, code, name);
      assert.ok(body.message.length > 0, name);
    }
    assert.equal(await jobCount(r), 0, 'nothing may be enqueued for rejected requests');
  });

  test('a 1,000-alert group from a real Alertmanager is accepted', async () => {
    const body = fixtureText('group-1000');
    assert.ok(body.length > 445_000);
    const res = await post(r, body);
    assert.equal(res.status, 200);
    const job = (await r.queues.notifications.getJobs(['waiting']))[0];
    assert.equal(job?.data.payload.alerts.length, 1000);
  });

  test('duplicates within the window are queued once; a grown group is queued again', async () => {
    const before = await jobCount(r);
    const body = fixtureText('grouped');
    // Two HA peers and a retry, all at once.
    const statuses = await Promise.all(
      [post(r, body), post(r, body), post(r, body)].map(async (p) => (await p).status),
    );
    assert.deepEqual(statuses, [200, 200, 200]);
    assert.equal(await jobCount(r), before + 1);
    const grown = fixture('grouped');
    grown.alerts.push({
      ...grown.alerts[0]!,
      fingerprint: '0123456789abcdef',
      labels: { ...grown.alerts[0]!.labels, instance: 'new' },
    });
    assert.equal((await post(r, JSON.stringify(grown))).status, 200);
    assert.equal(await jobCount(r), before + 2);
  });
});

describe('Redis trouble at ingest', () => {
  test('Redis stopped: 503 within about a second, OK again once it is back, and its AOF kept what was accepted', async () => {
    const redis = await RedisServer.start();
    const r = await startTestRouter(outboxConfig, {
      WEBHOOK_BEARER_TOKEN: TOKEN,
      ROLE: 'api',
      REDIS_URL: redis.url,
    });
    try {
      assert.equal((await post(r, fixtureText('firing'))).status, 200);
      await redis.stop();
      const t0 = Date.now();
      const res = await post(r, fixtureText('resolved'));
      const elapsed = Date.now() - t0;
      assert.equal(res.status, 503);
      assert.equal(((await res.json()) as { error: string }).error, 'queue_unavailable');
      assert.ok(elapsed < 1500, `answered in ${elapsed} ms`);
      await redis.start();
      await waitFor(
        async () => (await post(r, fixtureText('resolved'))).status === 200,
        'ingest to recover',
        15_000,
        200,
      );
      // No snapshot (--save ''): only the append-only file brought the first job back.
      const { waiting } = await r.queues.notifications.getJobCounts('waiting');
      assert.equal(waiting, 2, 'the notification accepted before the restart, and the one after');
    } finally {
      await r.close();
      r.redis.disconnect();
      await redis.close();
    }
  });
});

describe('notification stage', () => {
  let r: TestRouter;
  before(async () => {
    // A 1 s dedup window so the late peer below is past it, as a slow HA peer or retry would be.
    r = await startTestRouter({ ...outboxConfig, dedupWindowSeconds: 1 }, { WEBHOOK_BEARER_TOKEN: TOKEN });
  });
  after(() => r.stop());

  const outbox = async (): Promise<Array<{ status: string; alerts: number }>> =>
    (
      (await (await fetch(`${r.url}/api/outbox`)).json()) as {
        entries: Array<{ status: string; alerts: number }>;
      }
    ).entries;

  test('firing, resolved, then a late firing of the same episode: the late one is ignored', async () => {
    assert.equal((await post(r, fixtureText('firing'))).status, 200);
    await waitFor(async () => (await outbox()).length === 1, 'firing delivered');
    assert.equal((await post(r, fixtureText('resolved'))).status, 200);
    await waitFor(async () => (await outbox()).length === 2, 'resolved delivered');
    // A slow HA peer's firing for the same (fingerprint, startsAt), after the dedup window.
    await sleep(1100);
    assert.equal((await post(r, fixtureText('firing'), { 'x-request-id': 'late' })).status, 200);
    await waitFor(
      async () => ((await r.queues.notifications.getJobCounts('completed')).completed ?? 0) >= 3,
      'late notification processed',
    );
    await sleep(500);
    const entries = await outbox();
    assert.equal(entries[0]?.status, 'resolved', 'the episode stays resolved');
    // A genuine re-fire (new startsAt) is a new episode and is delivered.
    const refire = fixture('firing');
    refire.alerts[0]!.startsAt = new Date().toISOString();
    assert.equal((await post(r, JSON.stringify(refire))).status, 200);
    await waitFor(async () => (await outbox())[0]?.status === 'firing', 're-fire delivered');
    const metrics = await (await fetch(`${r.url}/metrics`)).text();
    assert.match(metrics, /alert_router_stale_alerts_dropped_total 1/);
  });

  test('a late firing next to a new resolution: the stale alert is dropped, the resolution delivered', async () => {
    const base = fixture('firing');
    const groupKey = `${base.groupKey}/late-and-resolved`;
    const alertA = { ...base.alerts[0]!, fingerprint: 'aaaa000000000001' };
    const alertB = { ...base.alerts[0]!, fingerprint: 'bbbb000000000002', labels: { ...base.alerts[0]!.labels, instance: 'b' } };
    const resolvedA = { ...alertA, status: 'resolved' as const, endsAt: new Date().toISOString() };
    const resolvedB = { ...alertB, status: 'resolved' as const, endsAt: new Date().toISOString() };
    const send = async (alerts: (typeof alertA)[], status: 'firing' | 'resolved'): Promise<void> => {
      const before = (await outbox()).length;
      assert.equal((await post(r, JSON.stringify({ ...base, groupKey, status, alerts }))).status, 200);
      await waitFor(async () => (await outbox()).length > before, `${alerts.map((a) => a.status).join('+')} delivered`);
    };
    await send([alertA, alertB], 'firing');
    await send([resolvedA, alertB], 'firing');
    // A's late copy (same startsAt) arrives with B's resolution: B's news must not be lost.
    await send([alertA, resolvedB], 'firing');
    const [latest] = await outbox();
    assert.equal(latest?.status, 'resolved');
    assert.equal(latest?.alerts, 1);
  });

  /** Posts and waits until the notification job has been processed; returns its result. */
  const processed = async (payload: unknown): Promise<{ channels: string[]; stale: number }> => {
    const res = await post(r, JSON.stringify(payload));
    assert.equal(res.status, 200);
    const { key } = (await res.json()) as { key: string };
    const id = await waitFor(() => r.queues.notifications.getDeduplicationJobId(key), 'the job id');
    return waitFor(async () => {
      const job = await r.queues.notifications.getJob(id);
      return (await job?.getState()) === 'completed' ? (job?.returnvalue as { channels: string[]; stale: number }) : undefined;
    }, 'the notification to be processed');
  };
  const episode = (fingerprint: string, startsAt: string, status: 'firing' | 'resolved') => ({
    ...fixture('firing').alerts[0]!,
    fingerprint,
    startsAt,
    status,
    endsAt: status === 'resolved' ? '2026-12-01T00:30:00Z' : '0001-01-01T00:00:00Z',
  });

  test('episodes are (fingerprint, startsAt): a stale and a fresh episode of one alert in one body', async () => {
    const base = { ...fixture('firing'), groupKey: `${fixture('firing').groupKey}/two-episodes` };
    await processed({ ...base, alerts: [episode('fp-x', '2026-12-01T00:00:00Z', 'firing')] });
    await processed({ ...base, status: 'resolved', alerts: [episode('fp-x', '2026-12-01T00:00:00Z', 'resolved')] });
    const both = [episode('fp-x', '2026-12-01T00:00:00Z', 'firing'), episode('fp-x', '2026-12-01T01:00:00Z', 'firing')];
    const result = await processed({ ...base, alerts: both });
    assert.deepEqual([result.channels, result.stale], [['outbox'], 1]);
  });

  test('a late copy of an old resolution does not resolve the episode firing now', async () => {
    const base = { ...fixture('firing'), groupKey: `${fixture('firing').groupKey}/late-resolution` };
    const oldResolved = { ...base, status: 'resolved', alerts: [episode('fp-y', '2026-12-01T00:00:00Z', 'resolved')] };
    await processed({ ...base, alerts: [episode('fp-y', '2026-12-01T00:00:00Z', 'firing')] });
    await processed(oldResolved);
    await processed({ ...base, alerts: [episode('fp-y', '2026-12-01T01:00:00Z', 'firing')] });
    await sleep(1100); // past the dedup window, as a slow HA peer
    const late = await processed(oldResolved);
    assert.deepEqual([late.channels, late.stale], [[], 1]);
    assert.equal((await outbox())[0]?.status, 'firing');
  });

  test('one groupKey under two receivers: one receiver\'s resolution is not the other\'s', async () => {
    const base = { ...fixture('firing'), groupKey: `${fixture('firing').groupKey}/two-receivers` };
    await processed({ ...base, receiver: 'rx-1', alerts: [episode('fp-z', '2026-12-01T00:00:00Z', 'firing')] });
    await processed({ ...base, receiver: 'rx-1', status: 'resolved', alerts: [episode('fp-z', '2026-12-01T00:00:00Z', 'resolved')] });
    const other = await processed({ ...base, receiver: 'rx-2', alerts: [episode('fp-z', '2026-12-01T00:00:00Z', 'firing')] });
    assert.deepEqual([other.channels, other.stale], [['outbox'], 0]);
  });
});
