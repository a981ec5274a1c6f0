import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { blockKitProblems } from '../helpers/block-kit-limits.js';
import { startFakePagerDuty, type FakePagerDuty } from '../helpers/fake-pagerduty.js';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack.js';
import { hostilePayload, invalidPayload } from '../helpers/hostile-payloads.js';
import { linksIn } from '../helpers/links-in.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';
import { waitFor } from '../../support/wait.js';
import { notificationJobCount, postRaw } from '../helpers/webhook-client.js';

// The webhook's promise, checked on generated input: every request gets either a 4xx with a JSON
// error and nothing enqueued, or a 2xx after which the notification reaches every channel its
// route names (or is skipped on purpose, as a stale firing). Never a 5xx while Redis is up; never a
// link other than http(s), a lone surrogate or a Block Kit limit broken in what a vendor receives.
// Seeded, so a failure reproduces: PROPERTY_SEED=<seed> PROPERTY_RUNS=<n> (README, "Testing").
const SEED = Number(process.env.PROPERTY_SEED ?? 20261201);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 250);
const TOKEN = 't';

interface OutboxEntry {
  key: string;
  channel: string;
  rendered: unknown;
}

describe('generated hostile webhooks', () => {
  let slack: FakeSlack;
  let pd: FakePagerDuty;
  let r: TestRouter;
  before(async () => {
    slack = await startFakeSlack();
    pd = await startFakePagerDuty();
    r = await startTestRouter(
      {
        channels: {
          outbox: { type: 'outbox' },
          // A fast local Slack: the 1/s pacing is tested elsewhere and would make this take minutes.
          // Every generated group must reach Slack as a message of its own, not fold into a storm
          // digest (whose escaping test/unit/storm-digest.test.ts checks).
          slack: { type: 'slack', channel: '#alerts', postIntervalMs: 10, storm: { enabled: false } },
          // The local PagerDuty checks events as PagerDuty does (size, fields, severity).
          pagerduty: { type: 'pagerduty', routingKeyEnv: 'PD_KEY' },
        },
        routes: [{ receiver: 'quiet', channels: ['outbox'] }],
        defaultChannels: ['outbox', 'slack', 'pagerduty'],
        delivery: { attempts: 3, backoffMs: 100 },
      },
      {
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_API_URL: slack.url,
        PAGERDUTY_EVENTS_URL: pd.eventsUrl,
        PD_KEY: 'p'.repeat(32),
        WEBHOOK_BEARER_TOKEN: TOKEN,
      },
      { pagerdutyAgent: pd.agent },
    );
  });
  after(async () => {
    await r?.stop();
    await slack?.close();
    await pd?.close();
  });

  const jobCount = (): Promise<number> => notificationJobCount(r);

  /** Waits for the notification job of `key` and each of its deliveries to end; returns the channels. */
  async function outcomeOf(key: string): Promise<{ channels: string[]; stale: number }> {
    const id = await waitFor(() => r.queues.notifications.getDeduplicationJobId(key), `the job of ${key}`);
    const state = await waitFor(async () => {
      const s = await (await r.queues.notifications.getJob(id))?.getState();
      return s === 'completed' || s === 'failed' ? s : undefined;
    }, `notification ${id} to finish`, 20_000);
    const job = (await r.queues.notifications.getJob(id))!;
    assert.equal(state, 'completed', `notification failed: ${job.failedReason}`);
    const result = job.returnvalue as { channels: string[]; stale: number };
    for (const channel of result.channels) {
      const deliveryId = `${id}-${channel}`;
      const end = await waitFor(async () => {
        const s = await (await r.queues.deliveries.getJob(deliveryId))?.getState();
        return s === 'completed' || s === 'failed' ? s : undefined;
      }, `delivery ${deliveryId} to finish`, 20_000);
      const delivery = (await r.queues.deliveries.getJob(deliveryId))!;
      assert.equal(end, 'completed', `${channel}: ${delivery.failedReason}`);
      assert.match(String((delivery.returnvalue as { outcome: string }).outcome), /^(delivered|skipped)$/);
    }
    return result;
  }

  test(`${RUNS} generated webhooks: a 4xx that changes nothing, or delivered everywhere routed (seed ${SEED})`, async () => {
    const seen = { accepted: 0, rejected: 0, skipped: 0 };
    const reasons = new Map<string, number>();
    const run = await fc.check(
      fc.asyncProperty(
        fc.oneof({ weight: 6, arbitrary: hostilePayload }, { weight: 1, arbitrary: invalidPayload }),
        async (generated) => {
          // A group of its own per case, so one case's Slack message is never another's update.
          const payload: Record<string, unknown> = { ...generated, groupKey: `${String(generated.groupKey)}/${randomUUID()}` };
          const slackBefore = slack.requests.length;
          const pdBefore = pd.events.length;
          const jobsBefore = await jobCount();
          const res = await postRaw(r.url, JSON.stringify(payload), { token: TOKEN });
          const answer = (await res.json()) as { status?: string; key?: string; error?: string; message?: string };
          assert.ok(res.status < 500, `HTTP ${res.status}: ${JSON.stringify(answer)}`);
          if (res.status >= 400) {
            seen.rejected++;
            reasons.set(`${res.status} ${answer.error}`, (reasons.get(`${res.status} ${answer.error}`) ?? 0) + 1);
            assert.ok(answer.error && answer.message, `a 4xx says why: ${JSON.stringify(answer)}`);
            assert.equal(await jobCount(), jobsBefore, 'a rejected request enqueues nothing');
            return;
          }
          assert.equal(res.status, 200);
          seen.accepted++;
          if (answer.status === 'heartbeat') return;
          const { channels, stale } = await outcomeOf(answer.key!);
          const receiver = String(payload.receiver).replace(/\\(.)/g, '$1');
          if (channels.length === 0) {
            // Skipped on purpose: every firing alert repeated an episode the same body resolved.
            assert.ok(stale > 0, 'a notification routed nowhere must be a stale firing');
            seen.skipped++;
            return;
          }
          assert.deepEqual(channels, receiver === 'quiet' ? ['outbox'] : ['outbox', 'slack', 'pagerduty']);
          const outbox = ((await (await fetch(`${r.url}/api/outbox?limit=10`)).json()) as { entries: OutboxEntry[] }).entries.find(
            (e) => e.key === answer.key,
          );
          assert.ok(outbox, 'the outbox has the notification');
          const slackBodies = slack.requests.slice(slackBefore).map((q) => q.body);
          if (channels.includes('slack')) assert.ok(slackBodies.length > 0, 'Slack received the notification');
          const pdEvents = pd.events.slice(pdBefore);
          for (const received of [outbox.rendered, ...slackBodies, ...pdEvents]) {
            for (const link of linksIn(received)) assert.match(link, /^https?:\/\//i, `link ${JSON.stringify(link)}`);
            assert.ok(JSON.stringify(received).isWellFormed(), 'no lone surrogate reaches a vendor');
          }
          for (const body of slackBodies) assert.deepEqual(blockKitProblems(body), []);
        },
      ),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    if (run.failed) {
      // The counterexample can be megabytes: show its start, and how to replay it exactly.
      const example = JSON.stringify(run.counterexample?.[0]) ?? '';
      assert.fail(
        `case ${run.numRuns} failed (replay: PROPERTY_SEED=${SEED}, path ${run.counterexamplePath}): ${String((run.errorInstance as Error | undefined)?.message ?? run.errorInstance)}\n${example.slice(0, 1500)}${example.length > 1500 ? ` … (${example.length} chars)` : ''}`,
      );
    }
    console.log(`property: ${RUNS} cases (seed ${SEED}): ${seen.accepted} accepted (${seen.skipped} stale), ${seen.rejected} rejected (${[...reasons].map(([k, n]) => `${k}: ${n}`).join(', ')})`);
    assert.ok(seen.accepted > RUNS / 2 && seen.rejected > 0, 'the generators cover both sides');
  });
});
