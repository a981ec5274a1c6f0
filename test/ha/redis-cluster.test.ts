/**
 * The pipeline on a real three-primary Redis Cluster: ingest, route, deliver to Slack, the
 * resolution updating the message in place, the outbox, and the dead man's switch paging when a
 * heartbeat stops. Every key of ours and BullMQ's sits in the one slot of the prefix's hash tag.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Cluster } from 'ioredis';
import { keysUnder } from '../../support/delete-prefix.js';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack.js';
import { fixture } from '../../support/fixtures.js';
import { RedisCluster } from '../../support/redis-cluster.js';
import { sleep, waitFor } from '../../support/wait.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';
import { postWebhook, settled, uniqueGroup } from '../helpers/webhook-client.js';

const config = {
  channels: {
    slack: { type: 'slack', channel: '#alerts', postIntervalMs: 10 },
    outbox: { type: 'outbox' },
  },
  defaultChannels: ['slack', 'outbox'],
  delivery: { backoffMs: 200 },
  heartbeat: {
    receiver: 'watchdog-heartbeat',
    alertname: 'Watchdog',
    defaultGraceSeconds: 2,
    startupGraceSeconds: 2,
    checkIntervalSeconds: 1,
    channels: ['slack'],
    sources: [{ name: 'lab', labels: { cluster: 'lab' } }],
  },
};

describe('on a Redis Cluster', () => {
  let cluster: RedisCluster;
  let slack: FakeSlack;
  let router: TestRouter;
  before(async () => {
    cluster = await RedisCluster.start();
    slack = await startFakeSlack();
    router = await startTestRouter(config, {
      REDIS_URL: '',
      REDIS_CLUSTER_NODES: cluster.nodeList,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_API_URL: slack.url,
      WEBHOOK_BEARER_TOKEN: 't',
    });
  });
  after(async () => {
    await router?.stop();
    await slack?.close();
    await cluster?.close();
  });

  it('ingests, routes and delivers; the resolution updates the Slack message in place', async () => {
    const firing = uniqueGroup(fixture('firing'));
    await postWebhook(router.url, firing);
    await settled(router);
    const [posted] = slack.calls('chat.postMessage');
    assert.ok(posted, 'the firing notification reached Slack');
    await postWebhook(router.url, { ...fixture('resolved'), groupKey: firing.groupKey });
    await settled(router);
    const posts = slack.calls('chat.postMessage');
    assert.equal(posts.filter((r) => r.body.thread_ts === undefined).length, 1, 'one top-level message');
    assert.equal(posts[1]?.body.thread_ts, slack.tsOf(posted), 'the resolution is a reply in its thread');
    const [update] = slack.calls('chat.update');
    assert.equal(update?.body.ts, slack.tsOf(posted), 'the resolution updated the first message');
    assert.match(JSON.stringify(slack.message(slack.tsOf(posted))), /RESOLVED|Resolved|resolved/);
    const outbox = (await (await fetch(`${router.url}/api/outbox`)).json()) as { entries?: unknown[] } | unknown[];
    const entries = Array.isArray(outbox) ? outbox : (outbox.entries ?? []);
    assert.equal(entries.length, 2, 'the outbox has both notifications');

    const ready = (await (await fetch(`${router.url}/readyz`)).json()) as { redis: Record<string, unknown> };
    assert.equal(ready.redis.topology, 'cluster');
    assert.equal(ready.redis.role, 'master');
    assert.equal(router.prefix.startsWith('{'), true, 'the prefix is one hash tag');
  });

  it('pages through Slack when a heartbeat stops, and every key sits in one slot', async () => {
    const heartbeat = (): Promise<Response> =>
      fetch(`${router.url}/webhook/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
        body: JSON.stringify(fixture('watchdog')),
      });
    for (let i = 0; i < 3; i++) {
      assert.equal((await heartbeat()).status, 200);
      await sleep(500);
    }
    const before = slack.calls('chat.postMessage').length;
    await waitFor(
      () => slack.calls('chat.postMessage').slice(before).some((r) => /lab/.test(JSON.stringify(r.body))),
      "the dead man's switch page in Slack",
      20_000,
    );

    const redis = router.redis as Cluster;
    const keys = await keysUnder(redis, router.prefix);
    assert.ok(keys.length > 10, `keys under the prefix (${keys.length})`);
    const slots = new Set(await Promise.all(keys.map((k) => redis.call('CLUSTER', 'KEYSLOT', k))));
    assert.equal(slots.size, 1, 'one hash slot for every key');
  });
});
