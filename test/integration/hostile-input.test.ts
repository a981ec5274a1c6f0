import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Alert, WebhookPayload } from '../../src/alert/webhook-payload.js';
import { errorResponse } from '../../src/http/error-response.js';
import { createNotificationProducer } from '../../src/queue/notification-producer.js';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack.js';
import { linksIn } from '../helpers/links-in.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';
import { sleep, waitFor } from '../../support/wait.js';
import { notificationJobCount, postRaw } from '../helpers/webhook-client.js';

// Each case below was reproduced before its fix: accepted with 2xx, then never
// delivered, or answered "retry" for input that can never succeed.

const TOKEN = 't';

const post = (url: string, body: string, path?: string): Promise<Response> =>
  postRaw(url, body, { token: TOKEN, ...(path ? { path } : {}) });

function group(name: string, alerts: Alert[], over: Partial<WebhookPayload> = {}): WebhookPayload {
  return {
    version: '4',
    groupKey: `{}:{alertname="${name}"}/${randomUUID()}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'team-a',
    groupLabels: { alertname: name },
    commonLabels: { alertname: name },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example:9093',
    alerts,
    ...over,
  };
}

const firing = (name: string, i: number, over: Partial<Alert> = {}): Alert => ({
  status: 'firing',
  labels: { alertname: name, instance: `host-${i}` },
  annotations: { summary: `${name} on host-${i}` },
  startsAt: '2026-12-01T00:00:00Z',
  endsAt: '0001-01-01T00:00:00Z',
  generatorURL: '',
  fingerprint: `fp${i}`,
  ...over,
});

const jobCount = notificationJobCount;

describe('accepted means delivered', () => {
  let slack: FakeSlack;
  let r: TestRouter;
  before(async () => {
    slack = await startFakeSlack();
    r = await startTestRouter(
      {
        channels: { outbox: { type: 'outbox' }, slack: { type: 'slack', channel: '#alerts' } },
        defaultChannels: ['outbox', 'slack'],
        delivery: { attempts: 3, backoffMs: 100 },
      },
      { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: slack.url, WEBHOOK_BEARER_TOKEN: TOKEN },
    );
  });
  after(async () => {
    await r?.stop();
    await slack?.close();
  });

  /** Posts, expects 200, and waits until Slack and the outbox both have this notification. */
  async function deliveredEverywhere(body: string, headerText: string, timeoutMs = 20_000) {
    const res = await post(r.url, body);
    assert.equal(res.status, 200, await res.clone().text());
    const { key } = (await res.json()) as { key: string };
    const message = await waitFor(
      () =>
        slack
          .calls('chat.postMessage')
          .find((c) => !c.body.thread_ts && String(c.body.text).includes(headerText)),
      `Slack to receive "${headerText}"`,
      timeoutMs,
    );
    const outboxEntry = await waitFor(
      async () => (await (await fetch(`${r.url}/api/outbox?limit=200`)).json() as { entries: Array<{ key: string; rendered: unknown; alerts: number }> }).entries.find((e) => e.key === key),
      `the outbox to store ${key}`,
      timeoutMs,
    );
    return { message, outboxEntry };
  }

  test('a compact group of 60,000 alerts under the body limit is delivered', async () => {
    const alerts = Array.from({ length: 60_000 }, (_, i) => ({
      status: 'firing',
      labels: { alertname: 'HugeGroup', i: String(i) },
      startsAt: '2026-12-01T00:00:00Z',
      fingerprint: `f${i}`,
    }));
    const body = JSON.stringify({ ...group('HugeGroup', []), alerts });
    assert.ok(body.length < 10 * 1024 * 1024, `${body.length} bytes`);
    const { outboxEntry } = await deliveredEverywhere(body, 'FIRING 60000/60000 [UNKNOWN] HugeGroup', 60_000);
    assert.equal(outboxEntry.alerts, 60_000);
  });

  test('a notification job that cannot be processed is counted and kept as failed', async () => {
    // What an incompatible older (or newer) writer could leave in the queue.
    const job = await r.queues.notifications.add(
      'notification',
      { key: 'corrupt', receivedAt: Date.now(), requestId: 'corrupt', payload: { alerts: 'none' } } as never,
      { attempts: 1 },
    );
    await waitFor(async () => (await job.getState()) === 'failed', 'the corrupt job to fail');
    const metrics = await (await fetch(`${r.url}/metrics`)).text();
    assert.match(metrics, /alert_router_notification_failures_total\{outcome="failed"\} 1/);
  });

  test('lone surrogates in alertname, label names and values and a summary become U+FFFD and are delivered', async () => {
    const name = `Lone\ud800Surrogate`;
    const alert = firing(name, 1, {
      labels: { alertname: name, 'bad\udc00label': 'value\udbff', instance: 'h1' },
      annotations: { summary: 'half an emoji at the end \ud83d' },
    });
    const body = JSON.stringify(group(name, [alert], { commonAnnotations: { summary: 'cut \ud83d' } }));
    assert.ok(body.includes('\\ud800'), 'the body carries the lone surrogate as a JSON escape');
    const { message, outboxEntry } = await deliveredEverywhere(body, 'Lone\ufffdSurrogate');
    assert.ok(JSON.stringify(message.body).isWellFormed());
    assert.match(JSON.stringify(message.body.blocks), /value\ufffd/);
    assert.ok(JSON.stringify(outboxEntry.rendered).includes('half an emoji at the end \ufffd'));
    const preview = await post(r.url, body, '/api/preview');
    assert.equal(preview.status, 200, await preview.text());
  });

  test('javascript: and data: links from the payload never reach a vendor', async () => {
    const alert = firing('SchemeAttack', 1, {
      generatorURL: 'data:text/html,<script>alert(1)</script>',
      // alert-router has no runbook of this name: the alert's own is linked.
      annotations: { runbook_url: 'https://wiki.example/SchemeAttack' },
    });
    const body = JSON.stringify(group('SchemeAttack', [alert], { externalURL: 'javascript:alert(document.domain)//' }));
    const { message, outboxEntry } = await deliveredEverywhere(body, 'SchemeAttack');
    const links = [...linksIn(message.body), ...linksIn(outboxEntry.rendered)];
    assert.ok(links.length >= 2, `links found: ${links.join(' ')}`);
    for (const link of links) assert.match(link, /^https?:\/\//, link);
    assert.doesNotMatch(JSON.stringify([message.body, outboxEntry.rendered]), /javascript:|data:text/);
  });
});

describe('the webhook under hostile clients', () => {
  let r: TestRouter;
  before(async () => {
    r = await startTestRouter(
      {
        channels: { outbox: { type: 'outbox' } },
        routes: [{ receiver: 'team-a', channels: ['outbox'] }],
        defaultChannels: ['outbox'],
        http: {
          headersTimeoutMs: 1000,
          requestTimeoutMs: 2000,
          keepAliveTimeoutMs: 1000,
          maxConnections: 20,
          maxBodyBytesInFlight: 10 * 1024 * 1024,
        },
      },
      { WEBHOOK_BEARER_TOKEN: TOKEN, ROLE: 'api' },
    );
  });
  after(() => r?.stop());

  const open = (): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const s = connect(Number(new URL(r.url).port), '127.0.0.1', () => resolve(s));
      s.on('error', reject);
    });
  const closedWithin = (s: Socket, ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      if (s.destroyed || s.readableEnded) return resolve(true);
      const timer = setTimeout(() => resolve(false), ms);
      s.once('close', () => {
        clearTimeout(timer);
        resolve(true);
      });
      s.resume();
    });

  test('a body nested 5,000 deep is a 400 with nothing enqueued, not a 503', async () => {
    // Written as text: JSON.stringify itself overflows the stack on it.
    const deep = `${'['.repeat(5000)}1${']'.repeat(5000)}`;
    const before = await jobCount(r);
    const res = await post(r.url, JSON.stringify(group('Deep', [firing('Deep', 1)])).replace(/}$/, `,"extra":${deep}}`));
    assert.equal(res.status, 400, await res.clone().text());
    assert.equal(((await res.json()) as { error: string }).error, 'invalid_payload');
    assert.equal(await jobCount(r), before);
  });

  test('data the queue cannot store is a 400 (never "Redis unavailable; retry")', async () => {
    // Past the parser's depth limit, only a caller inside the process could build this; the
    // producer still tells input from Redis.
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const producer = createNotificationProducer(r.queues.notifications, { dedupWindowMs: 1000, timeoutMs: 1000 });
    const payload = { ...group('Unstorable', [firing('Unstorable', 1)]), extra: deep };
    // The producer throws its own error class; http/ maps it to the status the sender sees.
    await assert.rejects(producer.enqueue(payload, 'x'), (err: unknown) => errorResponse(err).error.status === 400);
  });

  test('receiver label values on metrics are bounded: configured receivers, the first 32 others, then "other"; never long', async () => {
    for (let i = 0; i < 40; i++) {
      const res = await post(r.url, JSON.stringify(group('Receivers', [firing('Receivers', i)], { receiver: `random-${i}` })));
      assert.equal(res.status, 200);
    }
    const huge = await post(r.url, JSON.stringify(group('Receivers', [firing('Receivers', 99)], { receiver: 'r'.repeat(200_000) })));
    assert.equal(huge.status, 200);
    assert.equal((await post(r.url, JSON.stringify(group('Receivers', [firing('Receivers', 1)])))).status, 200);
    const metrics = await (await fetch(`${r.url}/metrics`)).text();
    const receivers = new Set(
      [...metrics.matchAll(/^alert_router_notifications_received_total\{[^}]*receiver="([^"]*)"/gm)].map((m) => m[1]),
    );
    // "" is a request rejected before its receiver was known (the deep body above).
    const named = [...receivers].filter((n): n is string => Boolean(n));
    assert.ok(named.includes('team-a') && named.includes('other'), named.join(' '));
    assert.ok(named.length <= 32 + 2, `${named.length} receiver values`);
    assert.ok(named.every((n) => n.length <= 64));
    assert.ok(metrics.split('\n').every((l) => l.length < 1000));
  });

  test('idle and slowly-sending connections are closed; the connection count is capped', async () => {
    const idle = await Promise.all(Array.from({ length: 10 }, open));
    const slow = await open();
    slow.write(`POST /webhook/alertmanager HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nauthorization: Bearer ${TOKEN}\r\ncontent-length: 5000\r\n\r\n{"version":`);
    // 11 open: 9 more fill the cap of 20, the next one is dropped at once.
    const filling = await Promise.all(Array.from({ length: 9 }, open));
    const over = await open();
    assert.ok(await closedWithin(over, 1000), 'a connection over the cap is closed at once');
    const results = await Promise.all([...idle, slow, ...filling].map((s) => closedWithin(s, 6000)));
    assert.ok(results.every(Boolean), `${results.filter((x) => !x).length} connections still open after 6 s`);
    // With the slow ones gone, Alertmanager gets through again.
    assert.equal((await post(r.url, JSON.stringify(group('AfterSlow', [firing('AfterSlow', 1)])))).status, 200);
  });

  test('a kept-alive connection is closed after the keep-alive timeout', async () => {
    const s = await open();
    const body = JSON.stringify(group('KeepAlive', [firing('KeepAlive', 1)]));
    s.write(`POST /webhook/alertmanager HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nauthorization: Bearer ${TOKEN}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    let answer = '';
    s.on('data', (c: Buffer) => (answer += c.toString()));
    assert.ok(await closedWithin(s, 4000), 'the idle kept-alive connection is closed');
    assert.match(answer, /^HTTP\/1\.1 200/);
  });

  test('bodies being read at once are bounded in memory: past the bound, 503 and retry', async () => {
    const stalled = await open();
    stalled.write(`POST /webhook/alertmanager HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nauthorization: Bearer ${TOKEN}\r\ncontent-length: 9900000\r\n\r\n{"version":"4",`);
    await sleep(100);
    const padded = JSON.stringify({ ...group('Memory', [firing('Memory', 1)]), pad: 'p'.repeat(700_000) });
    const before = await jobCount(r);
    const busy = await post(r.url, padded);
    assert.equal(busy.status, 503, await busy.clone().text());
    assert.equal(busy.headers.get('retry-after'), '1');
    assert.equal(await jobCount(r), before);
    stalled.destroy();
    await waitFor(async () => (await post(r.url, padded)).status === 200, 'the retry to be accepted', 3000);
  });
});
