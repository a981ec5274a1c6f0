/**
 * The operator's view of failed deliveries (/failures, /api/failures): a delivery Slack refused
 * is listed with its channel, group, reason, attempts and age; retrying it once Slack is back
 * delivers it once; bulk actions touch one channel only; bad or cross-site requests change nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { WebhookPayload } from '../../src/alert/webhook-payload.js';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack.js';
import { fixture } from '../../support/fixtures.js';
import { waitFor } from '../../support/wait.js';
import { postWebhook, settled, uniqueGroup } from '../helpers/webhook-client.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';

const HOSTILE = `"><script>alert(1)</script><img src=x onerror=alert(1)>`;

interface Page {
  jobs: Array<{
    queue: string;
    id: string;
    state: string;
    channel?: string;
    groupKey: string;
    alertname: string;
    reason?: string;
    attemptsMade: number;
    attempts: number;
    queuedAt: number;
    failedAt?: number;
  }>;
  total: number;
  next: number | null;
}
interface FailuresJson {
  queue: string;
  counts: { deliveries: { failed: number; delayed: number; waiting: number } };
  failed: Page;
  delayed: Page;
  waiting: Page;
}

let slack: FakeSlack;
let router: TestRouter;

const config = {
  channels: {
    'slack-critical': { type: 'slack', channel: '#alerts', postIntervalMs: 10 },
    'slack-warnings': { type: 'slack', channel: '#warnings', postIntervalMs: 10 },
  },
  defaultChannels: ['slack-critical', 'slack-warnings'],
  delivery: { attempts: 2, backoffMs: 100 },
};

async function failures(query = ''): Promise<FailuresJson> {
  const res = await fetch(`${router.url}/api/failures${query}`);
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as FailuresJson;
}

function act(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${router.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    redirect: 'manual',
  });
}

/** Posts `p` with Slack refusing its `method` call for both channels (channel_not_found fails a job at once). */
async function postRefused(p: WebhookPayload, method: 'chat.postMessage' | 'chat.update'): Promise<void> {
  const before = (await failures()).counts.deliveries.failed;
  slack.respondNext(method, { body: { ok: false, error: 'channel_not_found' } });
  slack.respondNext(method, { body: { ok: false, error: 'channel_not_found' } });
  await postWebhook(router.url, p);
  await waitFor(async () => (await failures()).counts.deliveries.failed === before + 2, 'both deliveries failed');
  await settled(router);
}

/** Posts a group Slack refuses for both channels. */
async function refusedGroup(): Promise<WebhookPayload> {
  const p = uniqueGroup(fixture('firing'));
  p.commonAnnotations = { ...p.commonAnnotations, summary: HOSTILE };
  await postRefused(p, 'chat.postMessage');
  return p;
}

/** Messages Slack accepted since `mark` (an index into its chat.postMessage calls), per channel. */
const postedSince = (mark: number): string[] =>
  slack
    .calls('chat.postMessage')
    .slice(mark)
    .filter((r) => r.response?.status === 200 && (r.response.body as { ok?: boolean }).ok === true)
    .map((r) => String(r.body.channel))
    .sort();

before(async () => {
  slack = await startFakeSlack();
  router = await startTestRouter(config, { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: slack.url, WEBHOOK_BEARER_TOKEN: 't' });
});
after(async () => {
  await router?.stop();
  await slack?.close();
});

describe('failed deliveries', () => {
  it('lists a failed delivery with its channel, group, reason, attempts and age, as JSON and on the page', async () => {
    const p = await refusedGroup();
    const json = await failures();
    const mine = json.failed.jobs.filter((j) => j.groupKey === p.groupKey);
    assert.deepEqual(mine.map((j) => j.channel).sort(), ['slack-critical', 'slack-warnings']);
    for (const j of mine) {
      assert.equal(j.queue, 'deliveries');
      assert.equal(j.state, 'failed');
      assert.equal(j.alertname, 'HighErrorRate');
      assert.match(j.reason ?? '', /channel_not_found/);
      assert.equal(j.attemptsMade, 1);
      assert.equal(j.attempts, 2);
      assert.ok(j.failedAt && j.failedAt >= j.queuedAt && Date.now() - j.failedAt < 60_000);
      assert.equal(Object.hasOwn(j, 'payload'), false, 'never the payload');
    }
    const narrowed = await failures('?channel=slack-warnings&state=failed');
    assert.ok(narrowed.failed.jobs.length > 0);
    assert.ok(narrowed.failed.jobs.every((j) => j.channel === 'slack-warnings'));
    assert.equal(narrowed.delayed, undefined, 'only the state asked for');

    const page = await fetch(`${router.url}/failures`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'.*form-action 'self'/);
    const html = await page.text();
    assert.match(html, /HighErrorRate/);
    assert.match(html, /channel_not_found/);
    assert.match(html, /Retry all failed for slack-critical/);
    assert.doesNotMatch(html, /<script|<img/i);
  });

  it('retries one delivery once Slack is back: it is delivered once, and a second retry finds nothing to do', async () => {
    const p = await refusedGroup();
    const job = (await failures('?channel=slack-critical&state=failed')).failed.jobs.find((j) => j.groupKey === p.groupKey)!;
    const mark = slack.calls('chat.postMessage').length;
    const res = await act('/api/failures/retry', { queue: 'deliveries', id: job.id });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { done: 1, skipped: 0 });
    await waitFor(() => postedSince(mark).length > 0, 'the retried post');
    await settled(router);
    assert.deepEqual(postedSince(mark), ['#alerts'], 'one message, to the retried channel only');
    const again = await act('/api/failures/retry', { queue: 'deliveries', id: job.id });
    assert.equal(again.status, 404, 'a delivered job is no longer a failure');
    const left = (await failures()).failed.jobs.filter((j) => j.groupKey === p.groupKey);
    assert.deepEqual(left.map((j) => j.channel), ['slack-warnings']);
  });

  it('retrying a failed update of a message Slack already has updates it in place: no second message', async () => {
    const p = uniqueGroup(fixture('firing'));
    const firstPost = slack.calls('chat.postMessage').length;
    await postWebhook(router.url, p);
    await waitFor(() => postedSince(firstPost).length === 2, 'the first messages');
    await settled(router);
    const posted = slack.calls('chat.postMessage').slice(firstPost).find((r) => r.body.channel === '#alerts')!;
    const { ts } = posted.response!.body as { ts: string };

    const resolved: WebhookPayload = {
      ...p,
      status: 'resolved',
      alerts: p.alerts.map((a) => ({ ...a, status: 'resolved', endsAt: '2026-11-25T13:20:00Z' })),
    };
    await postRefused(resolved, 'chat.update');
    const job = (await failures('?channel=slack-critical&state=failed')).failed.jobs.find((j) => j.groupKey === p.groupKey)!;

    const posts = slack.calls('chat.postMessage').length;
    const updates = slack.calls('chat.update').length;
    assert.equal((await act('/api/failures/retry', { queue: 'deliveries', id: job.id })).status, 200);
    await waitFor(() => slack.calls('chat.update').length > updates, 'the retried update');
    await settled(router);
    const retried = slack.calls('chat.update').slice(updates);
    assert.equal(retried.length, 1);
    assert.equal(retried[0]!.body.ts, ts, 'the message already posted, updated in place');
    assert.equal((retried[0]!.response!.body as { ok: boolean }).ok, true);
    const newTopLevel = slack.calls('chat.postMessage').slice(posts).filter((r) => r.body.thread_ts === undefined);
    assert.deepEqual(newTopLevel, [], 'no second message for the group');
  });

  it('retries all of one channel and discards all of another, counting both', async () => {
    await act('/api/failures/discard', { queue: 'deliveries', all: true }); // the earlier tests' leftovers
    const p = await refusedGroup();
    const q = await refusedGroup();
    const mineFailed = async (): Promise<string[]> =>
      (await failures()).failed.jobs
        .filter((j) => j.groupKey === p.groupKey || j.groupKey === q.groupKey)
        .map((j) => `${j.groupKey === p.groupKey ? 'p' : 'q'}:${j.channel}`)
        .sort();
    assert.deepEqual(await mineFailed(), ['p:slack-critical', 'p:slack-warnings', 'q:slack-critical', 'q:slack-warnings']);

    const mark = slack.calls('chat.postMessage').length;
    const retried = await act('/api/failures/retry', { queue: 'deliveries', channel: 'slack-critical', all: true });
    assert.equal(retried.status, 200);
    const r = (await retried.json()) as { done: number };
    assert.ok(r.done >= 2, `retried ${r.done}`);
    await settled(router);
    assert.deepEqual(await mineFailed(), ['p:slack-warnings', 'q:slack-warnings'], 'the other channel untouched');
    assert.deepEqual(postedSince(mark), ['#alerts', '#alerts'], 'one message per group, to the retried channel');

    const discarded = await act('/api/failures/discard', { queue: 'deliveries', channel: 'slack-warnings', all: true });
    assert.equal(discarded.status, 200);
    assert.ok(((await discarded.json()) as { done: number }).done >= 2);
    assert.deepEqual(await mineFailed(), []);
    assert.equal((await failures()).counts.deliveries.failed, 0);
    assert.equal(postedSince(mark).length, 2, 'discarding sends nothing');

    const metrics = await (await fetch(`${router.url}/metrics`)).text();
    assert.match(metrics, /^alert_router_failed_job_repairs_total\{queue="deliveries",action="retry"\} [2-9]\d*$/m);
    assert.match(metrics, /^alert_router_failed_job_repairs_total\{queue="deliveries",action="discard"\} [2-9]\d*$/m);
  });

  it("acts from the page's forms with post/redirect/get, and shows only its own notice", async () => {
    const p = await refusedGroup();
    const job = (await failures()).failed.jobs.find((j) => j.groupKey === p.groupKey && j.channel === 'slack-warnings')!;
    const host = new URL(router.url).host;
    const res = await fetch(`${router.url}/failures/discard`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: `http://${host}`, 'sec-fetch-site': 'same-origin' },
      body: new URLSearchParams({ queue: 'deliveries', id: job.id }).toString(),
      redirect: 'manual',
    });
    assert.equal(res.status, 303);
    const location = res.headers.get('location') ?? '';
    assert.equal(location, '/failures?done=Discarded%201%20job.');
    assert.match(await (await fetch(`${router.url}${location}`)).text(), /role="status">Discarded 1 job\.</);
    const forged = await (await fetch(`${router.url}/failures?done=${encodeURIComponent('Call +1 555 0100 now')}`)).text();
    assert.doesNotMatch(forged, /555 0100/);
    await act('/api/failures/discard', { queue: 'deliveries', all: true });
  });

  it('refuses bad and cross-site requests with a clear error, changing nothing', async () => {
    await refusedGroup();
    const before = (await failures()).counts.deliveries.failed;
    const cases: Array<[string, unknown, Record<string, string>, number, RegExp]> = [
      ['/api/failures/retry', { queue: 'outbox', all: true }, {}, 400, /queue must be one of deliveries, notifications/],
      ['/api/failures/retry', { queue: 'deliveries' }, {}, 400, /give the id of a job, or all/],
      ['/api/failures/retry', { queue: 'deliveries', id: '1', all: true }, {}, 400, /either id or all/],
      ['/api/failures/retry', { queue: 'deliveries', channel: 'slak-critical', all: true }, {}, 400, /unknown channel \(known: slack-critical, slack-warnings\)/],
      ['/api/failures/retry', { queue: 'notifications', channel: 'slack-critical', all: true }, {}, 400, /only deliveries have a channel/],
      ['/api/failures/discard', { queue: 'deliveries', id: '../../x y' }, {}, 400, /not a job id/],
      ['/api/failures/discard', { queue: 'deliveries', id: 'no-such-job' }, {}, 404, /no failed, delayed or waiting job/],
      ['/api/failures/discard', '{"queue":', {}, 400, /not JSON/],
      ['/api/failures/discard', '["deliveries"]', {}, 400, /JSON object/],
      ['/api/failures/discard', 'queue=deliveries&all=1', { 'content-type': 'text/plain' }, 415, /application\/json or a form/],
      ['/api/failures/discard', JSON.stringify({ queue: 'deliveries', all: true, pad: 'x'.repeat(10_000) }), {}, 413, /exceeds/],
      [
        '/api/failures/discard',
        { queue: 'deliveries', all: true },
        { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
        403,
        /own page or a non-browser client/,
      ],
    ];
    for (const [path, body, headers, status, message] of cases) {
      const res = await act(path, body, headers);
      const text = await res.text();
      assert.equal(res.status, status, `${JSON.stringify(body).slice(0, 80)}: ${text}`);
      assert.match(text, message);
    }
    for (const query of ['?queue=outbox', '?state=completed', '?channel=nope', '?limit=-1', '?offset=x'])
      assert.equal((await fetch(`${router.url}/api/failures${query}`)).status, 400, query);
    assert.equal((await failures()).counts.deliveries.failed, before, 'nothing changed');
    await act('/api/failures/discard', { queue: 'deliveries', all: true });
  });
});
