/**
 * /status and /api/status: deliveries per channel since start (counted in the worker process when
 * ROLE=all runs one), queue depths, the dead man's switch, and a page that answers while Redis is
 * down and says so.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack.js';
import { fixture } from '../../support/fixtures.js';
import { RedisServer } from '../../support/redis-server.js';
import { waitFor } from '../../support/wait.js';
import { postWebhook, settled, uniqueGroup } from '../helpers/webhook-client.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';

interface StatusJson {
  version: string;
  role: string;
  problems: string[];
  notifications: Record<string, number>;
  channels: Array<{ channel: string; type: string; delivered: number; failed: number; retried: number }>;
  queues: Array<{ name: string; waiting: number; failed: number }>;
  deadman?: { sources: Array<{ name: string; state: string }> };
}

let slack: FakeSlack;
before(async () => {
  slack = await startFakeSlack();
});
after(() => slack?.close());

const config = {
  channels: {
    'slack-critical': { type: 'slack', channel: '#alerts', postIntervalMs: 10 },
    outbox: { type: 'outbox' },
  },
  defaultChannels: ['slack-critical', 'outbox'],
  delivery: { attempts: 2, backoffMs: 100 },
  heartbeat: { sources: [{ name: 'prometheus-main', graceSeconds: 300 }] },
};

describe('status', () => {
  let router: TestRouter;
  before(async () => {
    router = await startTestRouter(config, { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: slack.url, WEBHOOK_BEARER_TOKEN: 't' });
  });
  after(() => router?.stop());

  it('lists every configured channel with its deliveries by outcome, the queues and the heartbeat sources', async () => {
    const empty = (await (await fetch(`${router.url}/api/status`)).json()) as StatusJson;
    assert.deepEqual(
      empty.channels.map((c) => [c.channel, c.type, c.delivered, c.failed]),
      [
        ['slack-critical', 'slack', 0, 0],
        ['outbox', 'outbox', 0, 0],
      ],
      'configured channels are listed before their first delivery',
    );
    await postWebhook(router.url, uniqueGroup(fixture('firing')));
    slack.respondNext('chat.postMessage', { body: { ok: false, error: 'channel_not_found' } });
    await postWebhook(router.url, uniqueGroup(fixture('firing')));
    await waitFor(async () => (await router.queues.deliveries.getJobCounts('failed')).failed === 1, 'the refused delivery');
    await settled(router);

    const res = await fetch(`${router.url}/api/status`);
    assert.equal(res.status, 200);
    const s = (await res.json()) as StatusJson;
    assert.deepEqual(s.problems, []);
    assert.equal(s.role, 'all');
    assert.match(s.version, /^\d+\.\d+\.\d+/);
    assert.equal(s.notifications.queued, 2);
    const byName = Object.fromEntries(s.channels.map((c) => [c.channel, c]));
    assert.equal(byName['slack-critical']?.delivered, 1);
    assert.equal(byName['slack-critical']?.failed, 1);
    assert.equal(byName.outbox?.delivered, 2);
    assert.equal(s.queues.find((q) => q.name === 'deliveries')?.failed, 1);
    assert.deepEqual(s.deadman?.sources.map((x) => [x.name, x.state]), [['prometheus-main', 'waiting']]);

    const page = await fetch(`${router.url}/status`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /Ready: Redis answers and the workers run\. <a href="\/failures">1 failed job<\/a>/);
    assert.match(html, /slack-critical/);
    assert.match(html, /prometheus-main/);
  });
});

describe('status while Redis is down', () => {
  let redis: RedisServer;
  let router: TestRouter | undefined;
  before(async () => {
    redis = await RedisServer.start();
  });
  after(async () => {
    await redis.start().catch(() => undefined);
    await router?.stop();
    await redis.close();
  });

  it('answers within seconds, not ready, naming Redis; the page says so too', async () => {
    router = await startTestRouter(
      { channels: { outbox: { type: 'outbox' } }, defaultChannels: ['outbox'] },
      { REDIS_URL: redis.url },
    );
    assert.equal((await fetch(`${router.url}/api/status`)).status, 200);
    await redis.stop();
    const res = await fetch(`${router.url}/api/status`, { signal: AbortSignal.timeout(10_000) });
    assert.equal(res.status, 503);
    const s = (await res.json()) as StatusJson;
    assert.ok(s.problems.includes('redis unreachable'), s.problems.join(', '));
    assert.deepEqual(s.queues, []);
    assert.equal(s.deadman, undefined);
    const page = await fetch(`${router.url}/status`, { signal: AbortSignal.timeout(10_000) });
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /Not ready:.*redis unreachable/s);
    assert.match(html, /Redis did not answer: the heartbeat state is unknown/);
  });
});
