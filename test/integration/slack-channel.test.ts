import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { stringify } from 'yaml';
import type { Alert, WebhookPayload } from '../../src/alert/webhook-payload.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/lib/logger.js';
import { startAlertRouter, type RunningAlertRouter } from '../../src/runtime/start-alert-router.js';
import {
  startFakeSlack,
  SLACK_CHANNEL_ID,
  type FakeSlack,
  type SlackRequest,
} from '../../support/fake-slack.js';
import { deletePrefix } from '../../support/delete-prefix.js';
import { fixture } from '../../support/fixtures.js';
import { failedDelivery, postWebhook as post, settled, uniqueGroup } from '../helpers/webhook-client.js';
import { REDIS_URL, startTestRouter, type TestRouter } from '../helpers/start-test-router.js';
import { sleep, waitFor } from '../../support/wait.js';

type SlackBlockJson = {
  type: string;
  text?: { type: string; text: string };
  fields?: Array<{ text: string }>;
  elements?: Array<Record<string, unknown>>;
};

const fileConfig = (attempts = 4): Record<string, unknown> => ({
  channels: { 'slack-critical': { type: 'slack', channel: '#alerts' } },
  defaultChannels: ['slack-critical'],
  delivery: { attempts, backoffMs: 100 },
});

let slack: FakeSlack;
const env = (): Record<string, string> => ({
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_API_URL: slack.url,
  WEBHOOK_BEARER_TOKEN: 't',
});

const extraAlert = (base: Alert, instance: string, fingerprint: string): Alert => ({
  ...base,
  status: 'firing',
  endsAt: '0001-01-01T00:00:00Z',
  labels: { ...base.labels, instance },
  fingerprint,
});

const blocksOf = (r: SlackRequest): SlackBlockJson[] => r.body.blocks as SlackBlockJson[];

/** Posts `p` grown by one firing alert; returns it and the Slack calls that followed (update, reply). */
async function postGrown(
  router: Pick<RunningAlertRouter, 'url' | 'queues'>,
  p: WebhookPayload,
  instance: string,
  fingerprint: string,
): Promise<{ grown: WebhookPayload; calls: SlackRequest[] }> {
  const grown: WebhookPayload = {
    ...p,
    alerts: [...p.alerts, extraAlert(p.alerts[0]!, instance, fingerprint)],
  };
  const mark = slack.requests.length;
  await post(router.url, grown);
  await waitFor(() => slack.requests.length >= mark + 2, 'update and thread reply');
  await settled(router);
  return { grown, calls: slack.requests.slice(mark) };
}

before(async () => {
  slack = await startFakeSlack();
});
after(async () => {
  await slack.close();
});

describe('Slack channel', () => {
  let router: TestRouter;
  before(async () => {
    router = await startTestRouter(fileConfig(), env());
  });
  after(async () => {
    await router.stop();
  });

  test('posts one Block Kit message with escaped label values and link buttons', async () => {
    const p = uniqueGroup(fixture('firing'));
    const injected = '<!channel> & <@U1>';
    p.commonLabels.team = injected;
    p.alerts[0]!.labels.team = injected;
    const before = slack.calls('chat.postMessage').length;
    await post(router.url, p);
    await waitFor(() => slack.calls('chat.postMessage').length > before, 'chat.postMessage');
    await settled(router);
    const calls = slack.calls('chat.postMessage').slice(before);
    assert.equal(calls.length, 1);
    const req = calls[0]!;
    assert.equal(req.headers.authorization, 'Bearer xoxb-test');
    assert.equal(req.body.channel, '#alerts');
    assert.equal(
      req.body.text,
      'FIRING 1/1 [CRITICAL] HighErrorRate: High 5xx error rate on inference-gateway',
    );
    const blocks = blocksOf(req);
    assert.deepEqual(blocks[0], {
      type: 'header',
      text: { type: 'plain_text', text: 'FIRING 1/1 [CRITICAL] HighErrorRate', emoji: true },
    });
    const fields = blocks[1]!.fields!.map((f) => f.text);
    assert.ok(fields.includes('*team*\n&lt;!channel&gt; &amp; &lt;@U1&gt;'), JSON.stringify(fields));
    const raw = JSON.stringify(req.body);
    assert.ok(!raw.includes('<!channel>') && !raw.includes('<@U1>'), 'a mention reached Slack unescaped');
    const actions = blocks.find((b) => b.type === 'actions');
    assert.ok(actions, 'actions block');
    const alert = p.alerts[0]!;
    const filter = `{${Object.entries(p.commonLabels)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(',')}}`;
    assert.deepEqual(
      actions.elements!.map((e) => [e.action_id, e.url]),
      [
        ['runbook', 'http://alert-router.test/runbooks/HighErrorRate'],
        ['silence', `http://alertmanager:9093/#/silences/new?filter=${encodeURIComponent(filter)}`],
        ['source', new URL(alert.generatorURL).toString()],
      ],
    );
  });

  test('a 1,000-alert group stays within Block Kit limits', async () => {
    const p = uniqueGroup(fixture('group-1000'));
    assert.equal(p.alerts.length, 1000);
    const before = slack.calls('chat.postMessage').length;
    await post(router.url, p);
    await waitFor(() => slack.calls('chat.postMessage').length > before, 'chat.postMessage', 15_000);
    const blocks = blocksOf(slack.calls('chat.postMessage')[before]!);
    assert.ok(blocks.length <= 50, `${blocks.length} blocks`);
    for (const b of blocks) {
      if (b.type === 'section') assert.ok((b.text?.text.length ?? 0) <= 3000, 'section text over 3,000');
      if (b.type === 'header') assert.ok(b.text!.text.length <= 150, 'header over 150');
      for (const f of b.fields ?? []) assert.ok(f.text.length <= 2000, 'field over 2,000');
    }
    assert.ok(
      JSON.stringify(blocks).includes('+995 more alert(s) in this group'),
      'the hidden alerts are counted',
    );
    await settled(router);
  });

  test('a growing group updates the first message in place with one thread reply, then resolves it', async () => {
    const first = uniqueGroup(fixture('grouped'));
    const start = slack.requests.length;
    await post(router.url, first);
    await waitFor(() => slack.requests.length > start, 'first post');
    await settled(router);
    const posted = slack.requests.slice(start);
    assert.deepEqual(
      posted.map((r) => r.method),
      ['chat.postMessage'],
    );
    const ts = slack.tsOf(posted[0]!);

    const { grown, calls: second } = await postGrown(
      router,
      first,
      'inference-gateway-3:8080',
      'aaaaaaaaaaaaaaa3',
    );
    assert.deepEqual(
      second.map((r) => r.method),
      ['chat.update', 'chat.postMessage'],
    );
    assert.equal(
      second[0]!.body.channel,
      SLACK_CHANNEL_ID,
      'chat.update must use the channel id, not #alerts',
    );
    assert.equal(second[0]!.body.ts, ts);
    assert.equal(blocksOf(second[0]!)[0]!.text!.text, 'FIRING 3/4 [WARNING] HighRequestLatency');
    assert.equal(second[1]!.body.channel, SLACK_CHANNEL_ID);
    assert.equal(second[1]!.body.thread_ts, ts);
    assert.equal(second[1]!.body.text, ':fire: 1 now firing: inference-gateway-3:8080');

    const resolved: WebhookPayload = {
      ...grown,
      status: 'resolved',
      alerts: grown.alerts.map((a) => ({ ...a, status: 'resolved', endsAt: '2026-11-25T13:20:00Z' })),
    };
    const mark2 = slack.requests.length;
    await post(router.url, resolved);
    await waitFor(() => slack.requests.length >= mark2 + 2, 'resolved update');
    await settled(router);
    const third = slack.requests.slice(mark2);
    assert.deepEqual(
      third.map((r) => r.method),
      ['chat.update', 'chat.postMessage'],
    );
    assert.equal(third[0]!.body.ts, ts);
    assert.equal(blocksOf(third[0]!)[0]!.text!.text, 'RESOLVED [WARNING] HighRequestLatency');
    assert.equal(third[1]!.body.thread_ts, ts);
    assert.match(
      String(third[1]!.body.text),
      /All alerts in this group are resolved at <!date\^1795612800\^\{date_short_pretty\} \{time\}\|2026-11-25 13:20 UTC>\. Fired for \*25m 53s\*\./,
    );
  });

  test('the same notification twice, and from two peers at once, reaches Slack once', async () => {
    const p = uniqueGroup(fixture('firing'));
    const start = slack.requests.length;
    await Promise.all([post(router.url, p), post(router.url, p)]);
    await waitFor(() => slack.requests.length > start, 'post');
    await settled(router);
    await post(router.url, p);
    await settled(router);
    assert.deepEqual(
      slack.requests.slice(start).map((r) => r.method),
      ['chat.postMessage'],
      'a duplicate notification produced a second Slack call',
    );
  });
});

describe('Slack message state survives a restart', () => {
  const prefix = `test-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(REDIS_URL);
  const dir = mkdtempSync(join(tmpdir(), 'ar-slack-restart-'));
  writeFileSync(join(dir, 'config.yml'), stringify(fileConfig()));
  const start = (): Promise<RunningAlertRouter> =>
    startAlertRouter(
      loadConfig({
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        PUBLIC_URL: 'http://alert-router.test',
        ALERT_ROUTER_CONFIG: join(dir, 'config.yml'),
        ...env(),
      }),
      { logger: createLogger('silent'), port: 0 },
    );
  after(async () => {
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  test('a new router with the same prefix updates the message the old one posted', async () => {
    const p = uniqueGroup(fixture('firing'));
    const first = await start();
    const mark = slack.requests.length;
    try {
      await post(first.url, p);
      await waitFor(() => slack.requests.length > mark, 'first post');
      await settled(first);
    } finally {
      await first.close();
    }
    const original = slack.requests[mark]!;
    assert.equal(original.method, 'chat.postMessage');
    const ts = slack.tsOf(original);

    const second = await start();
    try {
      const { calls: after } = await postGrown(second, p, 'inference-gateway-9:8080', 'bbbbbbbbbbbbbbb9');
      assert.deepEqual(
        after.map((r) => r.method),
        ['chat.update', 'chat.postMessage'],
      );
      assert.equal(after[0]!.body.channel, SLACK_CHANNEL_ID);
      assert.equal(after[0]!.body.ts, ts);
      assert.equal(after[1]!.body.thread_ts, ts);
    } finally {
      await second.close();
    }
  });
});

describe('Slack errors', () => {
  test('429 with Retry-After: 1 is retried after about a second without using up an attempt', async () => {
    const router = await startTestRouter(fileConfig(1), env());
    try {
      const mark = slack.calls('chat.postMessage').length;
      slack.respondNext('chat.postMessage', { status: 429, headers: { 'Retry-After': '1' } });
      await post(router.url, uniqueGroup(fixture('firing')));
      await waitFor(() => slack.calls('chat.postMessage').length >= mark + 2, 'the retried post', 10_000);
      await settled(router);
      const [limited, delivered] = slack.calls('chat.postMessage').slice(mark);
      assert.ok(delivered!.at - limited!.at >= 950, `retried after ${delivered!.at - limited!.at} ms`);
      const done = await router.queues.deliveries.getJobs(['completed']);
      const failed = await router.queues.deliveries.getJobs(['failed']);
      assert.equal(failed.length, 0, 'with attempts: 1 the 429 must not count as the attempt');
      assert.equal(done.length, 1);
      assert.equal(done[0]!.attemptsMade, 1, 'only the successful run counts as an attempt');
    } finally {
      await router.stop();
    }
  });

  test('a delivery that failed for good, retried once Slack is back, updates the message it posted: never a second one', async () => {
    const router = await startTestRouter(fileConfig(2), env());
    try {
      const p = uniqueGroup(fixture('firing'));
      const mark = slack.calls('chat.postMessage').length;
      await post(router.url, p);
      const first = await waitFor(() => slack.calls('chat.postMessage')[mark], 'the first message');
      await settled(router);
      // Slack has an outage for the next change: both attempts of the update fail.
      for (let i = 0; i < 2; i++)
        slack.respondNext('chat.update', { status: 500, body: { ok: false, error: 'internal_error' } });
      // The group grows by one alert: an update of the message and a reply in its thread.
      const grown: WebhookPayload = {
        ...p,
        alerts: [
          ...p.alerts,
          {
            ...p.alerts[0]!,
            fingerprint: 'feedbeef00000001',
            labels: { ...p.alerts[0]!.labels, instance: 'x:1' },
          },
        ],
      };
      await post(router.url, grown);
      const failed = await failedDelivery(router, grown.groupKey).then(async (j) => {
        await waitFor(
          async () => (await j.getState()) === 'failed' && j.attemptsMade >= 2,
          'both attempts used',
          10_000,
        );
        return j;
      });
      // Slack is back; an operator retries the failed job.
      await failed.retry('failed');
      await waitFor(async () => (await failed.getState()) === 'completed', 'the retried delivery', 10_000);
      await settled(router);
      const posts = slack.calls('chat.postMessage').slice(mark);
      assert.equal(posts.filter((r) => r.body.thread_ts === undefined).length, 1, 'one top-level message');
      assert.ok(
        posts.some((r) => r.body.thread_ts === slack.tsOf(first)),
        'the change replied in its thread',
      );
      const updates = slack
        .calls('chat.update')
        .filter((r) => r.body.ts === slack.tsOf(first) && r.response?.status === 200);
      assert.equal(updates.length, 1, 'the message updated in place once Slack was back');
    } finally {
      await router.stop();
    }
  });

  test('ok:false channel_not_found fails the job at once and is counted', async () => {
    const router = await startTestRouter(fileConfig(4), env());
    try {
      const mark = slack.calls('chat.postMessage').length;
      slack.respondNext('chat.postMessage', { body: { ok: false, error: 'channel_not_found' } });
      await post(router.url, uniqueGroup(fixture('firing')));
      const failed = await waitFor(
        async () => (await router.queues.deliveries.getJobs(['failed']))[0],
        'the failed job',
      );
      await settled(router);
      await sleep(400); // > backoffMs x 2: a retry would have happened by now
      assert.equal(slack.calls('chat.postMessage').length - mark, 1, 'channel_not_found must not be retried');
      assert.match(failed.failedReason, /channel_not_found/);
      assert.equal(failed.attemptsMade, 1);
      const metrics = await (await fetch(`${router.url}/metrics`)).text();
      assert.match(
        metrics,
        /^alert_router_deliveries_total\{channel="slack-critical",type="slack",outcome="failed"\} 1$/m,
      );
    } finally {
      await router.stop();
    }
  });
});
