import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { RedisClient } from '../../src/lib/redis-client.js';
import type { WebhookPayload } from '../../src/alert/webhook-payload.js';
import { startFakePagerDuty, type FakePagerDuty } from '../helpers/fake-pagerduty.js';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack.js';
import { fixture } from '../../support/fixtures.js';
import { failedDelivery, postWebhook as post, settled, uniqueGroup } from '../helpers/webhook-client.js';
import { sleep, waitFor } from '../../support/wait.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';
import { keysUnder } from '../../support/delete-prefix.js';

const ROUTING_KEY = 'a'.repeat(32);
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

let pd: FakePagerDuty;
let router: TestRouter;

before(async () => {
  pd = await startFakePagerDuty();
  router = await startTestRouter(
    {
      // A short window so the late-firing test can get past deduplication and reach the episode filter.
      dedupWindowSeconds: 1,
      channels: { pd: { type: 'pagerduty', routingKeyEnv: 'PD_KEY' } },
      defaultChannels: ['pd'],
      delivery: { attempts: 4, backoffMs: 100 },
    },
    { PAGERDUTY_EVENTS_URL: pd.eventsUrl, PD_KEY: ROUTING_KEY, WEBHOOK_BEARER_TOKEN: 't' },
    { pagerdutyAgent: pd.agent },
  );
});
after(async () => {
  await router.stop();
  await pd.close();
});

describe('PagerDuty channel', () => {
  test('a firing group becomes one trigger event with the group dedup key, a short summary and links', async () => {
    const p = uniqueGroup(fixture('firing'));
    const long = 'x'.repeat(5000);
    p.commonAnnotations.summary = long;
    p.alerts[0]!.annotations.summary = long;
    const mark = pd.requests.length;
    await post(router.url, p);
    await waitFor(() => pd.requests.length > mark, 'the trigger event');
    await settled(router);
    const got = pd.requests.slice(mark);
    assert.equal(got.length, 1);
    const { body, status } = got[0]!;
    assert.equal(status, 202, 'the fake PagerDuty accepted the event');
    assert.equal(body.routing_key, ROUTING_KEY);
    assert.equal(body.event_action, 'trigger');
    assert.equal(body.dedup_key, sha256(p.groupKey));
    const payload = body.payload as Record<string, unknown>;
    assert.equal(payload.severity, 'critical');
    assert.equal(payload.source, 'inference-gateway-0:8080');
    const summary = payload.summary as string;
    assert.ok(summary.length <= 1024, `summary is ${summary.length} chars`);
    assert.ok(summary.startsWith('[1] HighErrorRate: xxx'), summary.slice(0, 40));
    assert.ok(
      (body.links as Array<{ href: string }>).some(
        (l) => l.href === 'http://alert-router.test/runbooks/HighErrorRate',
      ),
      JSON.stringify(body.links),
    );
    const details = payload.custom_details as { common_labels: unknown; alerts: Array<{ labels: unknown }> };
    assert.deepEqual(details.common_labels, p.commonLabels);
    assert.deepEqual(details.alerts[0]!.labels, p.alerts[0]!.labels);
  });

  test('resolved reuses the dedup key and routing key', async () => {
    const id = randomUUID();
    const mark = pd.requests.length;
    await post(router.url, uniqueGroup(fixture('firing'), id));
    await waitFor(() => pd.requests.length > mark, 'trigger');
    await post(router.url, uniqueGroup(fixture('resolved'), id));
    await waitFor(() => pd.requests.length > mark + 1, 'resolve');
    await settled(router);
    const [trigger, resolve] = pd.requests.slice(mark).map((r) => r.body);
    assert.equal(trigger!.event_action, 'trigger');
    assert.equal(resolve!.event_action, 'resolve');
    assert.equal(resolve!.dedup_key, trigger!.dedup_key);
    assert.equal(resolve!.routing_key, ROUTING_KEY);
    assert.equal(pd.requests.length, mark + 2);
  });

  test('500 is retried and the next 202 delivers', async () => {
    const mark = pd.requests.length;
    pd.respondNext(500, { status: 'error', message: 'internal' });
    const p = uniqueGroup(fixture('firing'));
    await post(router.url, p);
    await waitFor(() => pd.requests.length >= mark + 2, 'the retry', 10_000);
    await settled(router);
    assert.deepEqual(
      pd.requests.slice(mark).map((r) => r.status),
      [500, 202],
    );
    assert.deepEqual(pd.requests[mark + 1]!.body, pd.requests[mark]!.body, 'the retry sends the same event');
    const done = await router.queues.deliveries.getJobs(['completed']);
    assert.ok(done.some((j) => j.data.payload.groupKey === p.groupKey && j.attemptsMade === 2));
  });

  test('400 is not retried: one request, the job fails with the reason', async () => {
    const mark = pd.requests.length;
    pd.respondNext(400, { status: 'invalid event', message: 'Event object is invalid', errors: ['nope'] });
    const p = uniqueGroup(fixture('firing'));
    await post(router.url, p);
    const failed = await failedDelivery(router, p.groupKey);
    await settled(router);
    await sleep(400);
    assert.equal(pd.requests.length - mark, 1);
    assert.match(failed.failedReason, /400/);
    assert.equal(failed.attemptsMade, 1);
  });

  test('the 1,000-alert group fits in one event under 512 KB', async () => {
    const p = uniqueGroup(fixture('group-1000'));
    const mark = pd.requests.length;
    await post(router.url, p);
    await waitFor(() => pd.requests.length > mark, 'the event', 15_000);
    await settled(router);
    const got = pd.requests.slice(mark);
    assert.equal(got.length, 1);
    assert.ok(got[0]!.bytes < 512 * 1024, `${got[0]!.bytes} bytes`);
    assert.equal(got[0]!.status, 202);
  });

  test('a growing group triggers again with the new alert', async () => {
    const p = uniqueGroup(fixture('firing'));
    const mark = pd.requests.length;
    await post(router.url, p);
    await waitFor(() => pd.requests.length > mark, 'first trigger');
    const grown: WebhookPayload = {
      ...p,
      alerts: [
        ...p.alerts,
        {
          ...p.alerts[0]!,
          labels: { ...p.alerts[0]!.labels, instance: 'inference-gateway-7:8080' },
          fingerprint: 'ccccccccccccccc7',
        },
      ],
    };
    await post(router.url, grown);
    await waitFor(() => pd.requests.length > mark + 1, 'second trigger');
    await settled(router);
    const [, second] = pd.requests.slice(mark).map((r) => r.body);
    assert.equal(second!.event_action, 'trigger');
    assert.match(String((second!.payload as { summary: string }).summary), /^\[2\] /);
  });

  test('a late firing after the episode resolved (same startsAt) does not re-trigger', async () => {
    const id = randomUUID();
    const firing = uniqueGroup(fixture('firing'), id);
    const mark = pd.requests.length;
    const notificationsBefore = await router.queues.notifications.getCompletedCount();
    await post(router.url, firing);
    await waitFor(() => pd.requests.length > mark, 'trigger');
    await post(router.url, uniqueGroup(fixture('resolved'), id));
    await waitFor(() => pd.requests.length > mark + 1, 'resolve');
    await sleep(1100); // past the 1 s dedup window: only the episode filter can stop it now
    await post(router.url, firing);
    await waitFor(
      async () => (await router.queues.notifications.getCompletedCount()) >= notificationsBefore + 3,
      'the late notification to be processed',
    );
    await settled(router);
    assert.deepEqual(
      pd.requests.slice(mark).map((r) => r.body.event_action),
      ['trigger', 'resolve'],
    );
    const metrics = await (await fetch(`${router.url}/metrics`)).text();
    assert.match(metrics, /^alert_router_stale_alerts_dropped_total [1-9]/m);
  });
});

/** Every value under the prefix, whatever the Redis type, as one string per key. */
async function dumpPrefix(redis: RedisClient, prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const key of await keysUnder(redis, prefix)) {
    const type = await redis.type(key);
    let value: unknown;
    if (type === 'string') value = await redis.get(key);
    else if (type === 'hash') value = await redis.hgetall(key);
    else if (type === 'list') value = await redis.lrange(key, 0, -1);
    else if (type === 'set') value = await redis.smembers(key);
    else if (type === 'zset') value = await redis.zrange(key, 0, -1, 'WITHSCORES');
    else if (type === 'stream') value = await redis.xrange(key, '-', '+');
    else value = `<${type}>`;
    out.set(key, JSON.stringify(value));
  }
  return out;
}

describe('secrets stay out of Redis', () => {
  let slack: FakeSlack;
  let r: TestRouter;
  const SLACK_TOKEN = 'xoxb-secret-5f1e0c9d7b';
  const PD_KEY = 'pdsecretroutingkey0123456789abcd';
  const BEARER = 'webhook-secret-31c2';
  before(async () => {
    slack = await startFakeSlack();
    r = await startTestRouter(
      {
        channels: {
          'slack-critical': { type: 'slack', channel: '#alerts' },
          pd: { type: 'pagerduty', routingKeyEnv: 'PD_KEY' },
        },
        defaultChannels: ['slack-critical', 'pd'],
        delivery: { attempts: 4, backoffMs: 100 },
      },
      {
        SLACK_BOT_TOKEN: SLACK_TOKEN,
        SLACK_API_URL: slack.url,
        PAGERDUTY_EVENTS_URL: pd.eventsUrl,
        PD_KEY,
        WEBHOOK_BEARER_TOKEN: BEARER,
      },
      { pagerdutyAgent: pd.agent },
    );
  });
  after(async () => {
    await r.stop();
    await slack.close();
  });

  test('no key or value under the prefix holds the Slack token, the routing key or the webhook token', async () => {
    assert.equal(PD_KEY.length, 32);
    const p = uniqueGroup(fixture('firing'));
    const pdMark = pd.requests.length;
    const res = await fetch(`${r.url}/webhook/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${BEARER}` },
      body: JSON.stringify(p),
    });
    assert.equal(res.status, 200);
    await waitFor(() => slack.requests.length > 0 && pd.requests.length > pdMark, 'both deliveries');
    await settled(r);
    // The secrets did reach the vendors, so they were in the process...
    assert.equal(slack.requests[0]!.headers.authorization, `Bearer ${SLACK_TOKEN}`);
    assert.equal(pd.requests[pdMark]!.body.routing_key, PD_KEY);
    // ...but not in Redis, where job data is stored in clear text.
    const dump = await dumpPrefix(r.redis, r.prefix);
    const all = [...dump].map(([k, v]) => `${k}\n${v}`).join('\n');
    assert.ok(all.includes('HighErrorRate'), 'the dump must contain the job data it is checking');
    assert.ok(dump.size > 5, `only ${dump.size} keys dumped`);
    for (const secret of [SLACK_TOKEN, PD_KEY, BEARER]) {
      const where = [...dump].filter(([k, v]) => k.includes(secret) || v.includes(secret)).map(([k]) => k);
      assert.deepEqual(where, [], `secret found in ${where.join(', ')}`);
    }
  });
});
