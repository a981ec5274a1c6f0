import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { WebhookPayload } from '../../src/alert/webhook-payload.js';
import { startFakeSlack, type FakeSlack, type SlackRequest } from '../../support/fake-slack.js';
import {
  accountFor,
  digestNow,
  isDigest,
  stormPage,
  topLevel,
  type StormPage,
} from '../../support/storm-accounting.js';
import { stormGroup } from '../../support/storm-groups.js';
import { sleep, waitFor } from '../../support/wait.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';
import { postWebhook } from '../helpers/webhook-client.js';

let slack: FakeSlack;
before(async () => {
  slack = await startFakeSlack();
});
after(async () => {
  await slack.close();
});

const env = (): Record<string, string> => ({
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_API_URL: slack.url,
  WEBHOOK_BEARER_TOKEN: 't',
});

/** Slack's own post rate (one per second per channel) and storm mode's defaults: nothing tuned down. */
const config = (storm: Record<string, unknown> = {}): Record<string, unknown> => ({
  channels: {
    alerts: { type: 'slack', channel: '#alerts', storm },
    ops: { type: 'slack', channel: 'C0OPS000001' },
    pager: { type: 'outbox' },
  },
  routes: [
    { receiver: 'ops', channels: ['ops'] },
    { matchers: ['severity="critical"'], channels: ['alerts', 'pager'] },
  ],
  defaultChannels: ['alerts'],
});

const CHANNEL = 'C0123456789';
const top = (channel: string, since: number): SlackRequest[] => topLevel(slack, channel, since);
const digestText = (digest: SlackRequest): ReturnType<typeof digestNow> => digestNow(slack, digest);

/** Posts groups 0..n-1 spread evenly over `spreadMs`, as Alertmanager's group_wait lets them out. */
async function postStorm(
  routers: readonly TestRouter[],
  n: number,
  spreadMs: number,
  make: (i: number) => WebhookPayload,
): Promise<number> {
  const start = Date.now();
  const sent: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const due = start + (i * spreadMs) / n;
    if (due > Date.now()) await sleep(due - Date.now());
    sent.push(postWebhook(routers[i % routers.length]!.url, make(i)));
  }
  await Promise.all(sent);
  return Date.now();
}

/** Every group named in a message of its own or listed on the storm page the one digest counts. */
async function accountedFor(
  router: TestRouter,
  since: number,
  groupKeys: readonly string[],
): Promise<{ own: SlackRequest[]; digest: SlackRequest; page: StormPage } | undefined> {
  const a = await accountFor(slack, router.url, CHANNEL, since, groupKeys);
  return a.missing.length === 0 && a.page ? { own: a.own, digest: a.digests[0]!, page: a.page } : undefined;
}

describe('storm mode: a storm of alert groups in one Slack channel', () => {
  test('300 groups in 10 s: the first ten get messages, the rest one digest, all accounted for within 30 s; resolving updates the digest', async () => {
    const router = await startTestRouter(config(), env());
    try {
      const run = randomUUID().slice(0, 8);
      const startsAt = new Date().toISOString();
      const groups = Array.from({ length: 300 }, (_, i) => stormGroup(i, run, startsAt));
      const since = Date.now();
      // Another channel's three groups arrive in the middle of the storm.
      const opsSent = sleep(4000).then(async () => {
        const at = Date.now();
        for (let i = 0; i < 3; i++)
          await postWebhook(router.url, stormGroup(i, `${run}ops`, startsAt, 'firing', { receiver: 'ops' }));
        return at;
      });
      const last = await postStorm([router], 300, 10_000, (i) => groups[i]!);
      const opsAt = await opsSent;

      const seen = await waitFor(
        () =>
          accountedFor(
            router,
            since,
            groups.map((g) => g.groupKey),
          ),
        'every group named in a message or listed in the digest',
        30_000 - (Date.now() - last),
        250,
      );
      const accountedAt = Date.now();
      assert.ok(accountedAt - last <= 30_000, `accounted for ${accountedAt - last} ms after the storm`);
      const posts = top(CHANNEL, since);
      assert.ok(posts.length <= 12, `${posts.length} top-level messages (threshold 10 + 2 at most)`);
      assert.equal(seen.own.length, 10, 'the first ten groups have messages of their own');
      assert.equal(seen.page.groups.length, 290);
      for (const p of posts)
        assert.ok(p.at - last <= 30_000, `a message posted ${p.at - last} ms after the storm`);

      // The other channel is not in storm mode and its messages are not held up by this one's.
      const ops = await waitFor(() => {
        const o = top('C0OPS000001', since);
        return o.length === 3 ? o : undefined;
      }, "the ops channel's three messages");
      assert.ok(ops.every((p) => !isDigest(p)));
      for (const p of ops)
        assert.ok(p.at - opsAt < 10_000, `ops message ${p.at - opsAt} ms after its webhook`);

      // Critical groups are still paged on their other channels, one by one.
      const critical = groups.filter((g) => g.commonLabels.severity === 'critical').length;
      await waitFor(
        async () => (await router.redis.llen(`${router.prefix}:outbox`)) >= critical,
        'every critical group in the pager channel',
        20_000,
      ).catch(async () => {
        const keys = await router.redis.keys(`${router.prefix}:outbox*`);
        throw new Error(`outbox keys: ${keys.join(', ')}`);
      });

      // Resolving 250 of them: the digest says so, and no new top-level message appears.
      const before = top(CHANNEL, since).length;
      const resolveFrom = Date.now();
      await postStorm([router], 250, 5000, (i) => stormGroup(i + 50, run, startsAt, 'resolved'));
      const after = await waitFor(
        async () => {
          const page = await stormPage(router.url, digestText(seen.digest).page);
          const resolved = page.groups.filter((g) => g.status === 'resolved').length;
          return resolved === 250 && /250 resolved/.test(digestText(seen.digest).text) ? page : undefined;
        },
        'the digest to count 250 resolved groups',
        30_000,
      );
      assert.equal(after.groups.length, 290);
      assert.equal(top(CHANNEL, since).length, before, 'no new top-level message for resolutions');
      const updates = slack
        .calls('chat.update')
        .filter((r) => r.at >= resolveFrom && r.body.ts === slack.tsOf(seen.digest));
      for (let i = 1; i < updates.length; i++)
        assert.ok(updates[i]!.at - updates[i - 1]!.at >= 4500, 'digest updates at least 5 s apart');
      const metrics = await (await fetch(`${router.url}/metrics`)).text();
      assert.match(metrics, /alert_router_storms_total\{channel="alerts",event="started"\} 1/);
      assert.match(metrics, /alert_router_storm_groups_folded_total\{channel="alerts"\} 290/);
    } finally {
      await router.stop();
    }
  });

  test('two replicas on one Redis: one digest, not two', async () => {
    const first = await startTestRouter(config(), env());
    const second = await startTestRouter(config(), { ...env(), QUEUE_PREFIX: first.prefix });
    try {
      const run = randomUUID().slice(0, 8);
      const startsAt = new Date().toISOString();
      const groups = Array.from({ length: 300 }, (_, i) => stormGroup(i, run, startsAt));
      const since = Date.now();
      const last = await postStorm([first, second], 300, 10_000, (i) => groups[i]!);
      const seen = await waitFor(
        () =>
          accountedFor(
            second,
            since,
            groups.map((g) => g.groupKey),
          ),
        'every group accounted for across both replicas',
        30_000 - (Date.now() - last),
        250,
      );
      assert.equal(top(CHANNEL, since).filter(isDigest).length, 1, 'one digest');
      assert.equal(seen.own.length, 10);
      assert.equal(seen.page.groups.length, 290);
    } finally {
      await second.stop();
      await first.stop();
    }
  });

  test("Slack's 429 on a digest update is honoured and the digest catches up; after the quiet period the storm is over and new groups get messages again", async () => {
    const router = await startTestRouter(config({ quietSeconds: 12 }), env());
    try {
      const run = randomUUID().slice(0, 8);
      const startsAt = new Date().toISOString();
      const since = Date.now();
      await postStorm([router], 30, 1000, (i) => stormGroup(i, run, startsAt));
      const seen = await waitFor(
        async () => {
          const digest = top(CHANNEL, since).find(isDigest);
          return digest && digestText(digest).groups === 20 ? digest : undefined;
        },
        'the digest counting 20 groups',
        20_000,
      );
      const mark = Date.now();
      slack.respondNext('chat.update', { status: 429, headers: { 'retry-after': '3' } });
      await postStorm([router], 20, 1000, (i) => stormGroup(30 + i, run, startsAt));
      await waitFor(() => digestText(seen).groups === 40, 'the digest to catch up to 40 groups', 20_000);
      const updates = slack.calls('chat.update').filter((r) => r.at >= mark);
      const limited = updates.findIndex((r) => r.response?.status === 429);
      assert.ok(limited >= 0, 'the fake answered a digest update with 429');
      const retry = updates[limited + 1]!;
      assert.ok(
        retry.at - updates[limited]!.at >= 2900,
        `retried ${retry.at - updates[limited]!.at} ms after a 3 s Retry-After`,
      );

      // Quiet for 12 s: the digest is finalised, then a new group gets its own message again.
      await waitFor(
        () => /^Storm over: 40 groups/.test(digestText(seen).text),
        'the digest to say the storm is over',
        30_000,
      );
      assert.match(digestText(seen).text, /40 still firing/);
      const after = Date.now();
      await postWebhook(router.url, stormGroup(99, run, startsAt));
      const own = await waitFor(
        () => top(CHANNEL, after)[0],
        'a message of its own for a group after the storm',
      );
      assert.ok(!isDigest(own));
      assert.match(JSON.stringify(own.body.blocks), new RegExp(`svc-${run}-99`));
      // A group of the storm that resolves afterwards updates the digest, not a message.
      await postWebhook(router.url, stormGroup(35, run, startsAt, 'resolved'));
      await waitFor(
        () => /1 resolved, 39 still firing/.test(digestText(seen).text),
        'the digest to count the resolution',
        15_000,
      );
      assert.equal(top(CHANNEL, after).length, 1);
    } finally {
      await router.stop();
    }
  });
});

describe('no stale messages', () => {
  test('a firing that resolved while its post waited is never posted', async () => {
    const router = await startTestRouter(config({ enabled: false }), env());
    try {
      const run = randomUUID().slice(0, 8);
      const startsAt = new Date().toISOString();
      const since = Date.now();
      slack.respondNext('chat.postMessage', { status: 429, headers: { 'retry-after': '3' } });
      await postWebhook(router.url, stormGroup(1, run, startsAt));
      await waitFor(
        () => slack.calls('chat.postMessage').some((r) => r.at >= since && r.response?.status === 429),
        'the first post to be rate limited',
      );
      await postWebhook(router.url, stormGroup(1, run, startsAt, 'resolved'));
      const posted = await waitFor(() => top(CHANNEL, since)[0], 'the resolved message');
      assert.match(String(posted.body.text), /RESOLVED/);
      // Past the Retry-After, the firing delivery runs again and is skipped as late news.
      await waitFor(
        async () =>
          /alert_router_stale_deliveries_skipped_total\{channel="alerts"\} 1/.test(
            await (await fetch(`${router.url}/metrics`)).text(),
          ),
        'the firing delivery to be skipped',
        15_000,
      );
      const posts = top(CHANNEL, since);
      assert.equal(posts.length, 1);
      assert.ok(slack.calls('chat.update').every((r) => r.at < since || !/FIRING/.test(String(r.body.text))));
    } finally {
      await router.stop();
    }
  });
});
