import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { DeliveryReceipt } from '../../src/channels/channel.js';
import { digestEntry } from '../../src/channels/email/digest-entry.js';
import { EmailDigestStore } from '../../src/channels/email/digest-store.js';
import { QUEUE_EMAIL_DIGESTS, type EmailDigestJobData } from '../../src/queue/email-digest-worker.js';
import { deletePrefix, keysUnder } from '../../support/delete-prefix.js';
import { fixture } from '../../support/fixtures.js';
import { waitFor } from '../../support/wait.js';
import { infoNotification } from '../helpers/info-notification.js';
import { startSmtpSink, type SinkMessage, type SmtpSink } from '../helpers/smtp-sink.js';
import { REDIS_URL, startTestRouter, type TestRouter } from '../helpers/start-test-router.js';
import { postWebhook as post, settled, uniqueGroup } from '../helpers/webhook-client.js';

/** Long enough for a busy CI box to route a handful of notifications inside one window. */
const EVERY_SECONDS = 5;
const EVERY_MS = EVERY_SECONDS * 1000;

let sink: SmtpSink;
let router: TestRouter;
let digestQueue: Queue<EmailDigestJobData>;

before(async () => {
  sink = await startSmtpSink();
  router = await startTestRouter(
    {
      channels: {
        mail: { type: 'email', to: ['team@example.com'], digest: { everySeconds: EVERY_SECONDS } },
      },
      defaultChannels: ['mail'],
      // Backoff 200, 400, 800, ... ms: a short SMTP outage is outlasted within the test's time.
      delivery: { attempts: 8, backoffMs: 200 },
    },
    { SMTP_URL: sink.url, EMAIL_FROM: 'alert-router@example.com', WEBHOOK_BEARER_TOKEN: 't' },
  );
  digestQueue = new Queue<EmailDigestJobData>(QUEUE_EMAIL_DIGESTS, {
    connection: router.redis,
    prefix: router.prefix,
  });
});
after(async () => {
  await digestQueue.close();
  await router.stop();
  await sink.stop();
});

const digests = (from: number): SinkMessage[] =>
  sink.messages.slice(from).filter((m) => m.subject.startsWith('[alert-router] Digest:'));
const nextDigest = (from: number, timeoutMs = EVERY_MS * 3): Promise<SinkMessage> =>
  waitFor(() => digests(from)[0], 'the digest', timeoutMs);
/** Waits for the first moments of a window, so what a test posts next lands in one window. */
const windowJustStarted = (): Promise<boolean> =>
  waitFor(() => Date.now() % EVERY_MS < 300, 'the start of a digest window', EVERY_MS * 2, 10);
const counter = async (name: 'emailDigestNotifications' | 'emailDigestsSent'): Promise<number> =>
  (await router.metrics[name].get()).values.find((v) => v.labels.channel === 'mail')?.value ?? 0;

describe('email digest', () => {
  test('info notifications arrive as one digest after the window; a critical one is mailed at once', async () => {
    const mark = sink.messages.length;
    const batchedBefore = await counter('emailDigestNotifications');
    const sentBefore = await counter('emailDigestsSent');
    const id = randomUUID().slice(0, 8);
    const names = [1, 2, 3, 4, 5].map((i) => `InfoCheck${i}x${id}`);
    await windowJustStarted();
    await Promise.all([
      ...names.map((name) => post(router.url, infoNotification(name))),
      post(router.url, uniqueGroup(fixture('firing'))),
    ]);

    const digest = await nextDigest(mark);
    await settled(router);
    const all = sink.messages.slice(mark);
    const criticalAt = all.findIndex(
      (m) => m.subject === '[FIRING:1] [CRITICAL] HighErrorRate (inference-gateway)',
    );
    assert.ok(
      criticalAt >= 0 && criticalAt < all.indexOf(digest),
      'the critical email went out first, on its own',
    );
    assert.equal(all.length, 2, all.map((m) => m.subject).join('\n'));
    assert.match(
      digest.subject,
      /^\[alert-router\] Digest: 5 info notifications, \d\d:\d\d:\d\d-\d\d:\d\d:\d\d UTC$/,
    );
    assert.deepEqual(digest.to, ['team@example.com']);
    assert.deepEqual(
      digest.parts.map((p) => p.contentType.split(';')[0]),
      ['text/plain', 'text/html'],
    );
    const [text, html] = digest.parts.map((p) => p.body);
    for (const name of names) {
      assert.equal(text!.split(`* [FIRING] ${name} (inference-gateway)`).length - 1, 1, text);
      assert.match(html!, new RegExp(`<b>${name} \\(inference-gateway\\)</b>`));
    }
    // No runbook of alert-router's own for these: the alert's runbook_url is the runbook link.
    assert.match(text!, /^ {2}Runbook: https:\/\/wiki\.example\/InfoCheck1x\w+\r?$/m);
    assert.match(digest.messageId ?? '', /^<digest-mail-\d+@example\.com>$/);

    const batched = (await router.queues.deliveries.getJobs(['completed'])).filter((j) =>
      names.includes(j.data.payload.commonLabels.alertname!),
    );
    assert.equal(batched.length, 5);
    // Most recent first: in the order the webhook received them, the latest first.
    const received = [...batched]
      .sort(
        (a, b) =>
          b.data.receivedAt - a.data.receivedAt ||
          a.data.payload.commonLabels.alertname!.localeCompare(b.data.payload.commonLabels.alertname!),
      )
      .map((j) => j.data.payload.commonLabels.alertname!);
    const listed = [...names].sort((a, b) => text!.indexOf(`] ${a} `) - text!.indexOf(`] ${b} `));
    assert.deepEqual(listed, received);
    for (const j of batched) {
      const receipt = j.returnvalue as DeliveryReceipt;
      assert.equal(receipt.outcome, 'skipped');
      assert.match(receipt.detail ?? '', /^batched into the digest sent at \d\d:\d\d:\d\d UTC$/);
    }
    assert.equal((await counter('emailDigestNotifications')) - batchedBefore, 5);
    assert.equal((await counter('emailDigestsSent')) - sentBefore, 1);
    // Sent, so the batch is gone from Redis (the window's closed mark stays a while).
    const batches = (await keysUnder(router.redis, router.prefix)).filter((k) => k.includes(':email-batch:'));
    assert.ok(batches.length > 0 && batches.every((k) => k.endsWith(':closed')), batches.join(', '));
  });

  test('a group updated within the window is listed once, in its latest state', async () => {
    const mark = sink.messages.length;
    const id = randomUUID().slice(0, 8);
    const changing = `Flapping${id}`;
    const steady = `Steady${id}`;
    await windowJustStarted();
    await post(router.url, infoNotification(changing, 'firing'));
    await post(router.url, infoNotification(steady, 'firing'));
    // Batched before the resolution arrives: a firing still waiting when its resolution is
    // queued is skipped as late news (latest-notification.ts) and would not count.
    await settled(router);
    await post(router.url, infoNotification(changing, 'resolved'));
    const digest = await nextDigest(mark);
    await settled(router);
    assert.equal(digests(mark).length, 1);
    assert.match(digest.subject, /Digest: 3 info notifications,/);
    const text = digest.parts[0]!.body;
    assert.equal(
      text.split(changing).length - 1,
      3,
      `once as a title, its summary and runbook link: ${text}`,
    );
    assert.match(
      text,
      new RegExp(
        `^\\* \\[RESOLVED\\] ${changing} \\(inference-gateway\\)\\r?\\n.*\\r?\\n {2}1 alert resolved · resolved at .* · 2 notifications in this window\\r?$`,
        'm',
      ),
    );
    assert.match(text, new RegExp(`^\\* \\[FIRING\\] ${steady} `, 'm'));
    assert.ok(text.indexOf(changing) < text.indexOf(steady), 'the group updated last is listed first');
  });

  test('SMTP down when the window ends: the digest arrives once it is back, nothing lost', async () => {
    const mark = sink.messages.length;
    const id = randomUUID().slice(0, 8);
    const names = [`OutageA${id}`, `OutageB${id}`];
    // Down before anything is posted: the window's end cannot beat the stop, however slow the box.
    await sink.stop();
    await windowJustStarted();
    for (const name of names) await post(router.url, infoNotification(name));
    const job = await waitFor(
      async () =>
        (await digestQueue.getJobs(['delayed', 'waiting', 'active'])).find((j) => j.attemptsMade >= 1),
      'a failed attempt to send the digest while SMTP is down',
      EVERY_MS * 3,
    );
    assert.match(job.failedReason ?? '', /ECONNREFUSED|ESOCKET|connect/i);
    assert.equal(digests(mark).length, 0);
    // The batch is still in Redis.
    assert.equal(await router.redis.exists(`${router.prefix}:email-batch:mail:${job.data.windowEnd}`), 1);
    await sink.start();
    const digest = await nextDigest(mark, 15_000);
    for (const name of names)
      assert.ok(digest.parts[0]!.body.includes(`* [FIRING] ${name} `), digest.parts[0]!.body);
    await waitFor(
      async () => (await digestQueue.getJobState(job.id!)) === 'completed',
      'the digest job to complete',
    );
    assert.ok((await digestQueue.getJob(job.id!))!.attemptsMade >= 2);
    assert.equal(digests(mark).length, 1);
  });
});

describe('email digest store', () => {
  const prefix = `test-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(REDIS_URL);
  const store = new EmailDigestStore(redis, prefix);
  const links = { publicUrl: 'https://ar.example', alertmanagerUrl: undefined };
  const entry = (status: 'firing' | 'resolved', receivedAt: number) =>
    digestEntry(
      { key: `k-${status}`, receivedAt, channel: 'mail', payload: infoNotification('Same', status) },
      links,
    );
  after(async () => {
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  test('keeps the latest entry of a group whatever order deliveries run in, counts each notification once', async () => {
    const w = 1_000_000;
    assert.equal(await store.add('mail', w, 'k-resolved', entry('resolved', 2000)), 'added');
    assert.equal(await store.add('mail', w, 'k-firing', entry('firing', 1000)), 'added');
    assert.equal(
      await store.add('mail', w, 'k-firing', entry('firing', 1000)),
      'repeat',
      'a retried delivery',
    );
    const items = await store.close('mail', w);
    assert.equal(items.length, 1);
    assert.equal(items[0]!.status, 'resolved');
    assert.equal(items[0]!.notifications, 2);
    assert.equal(
      await store.add('mail', w, 'k-later', entry('firing', 3000)),
      'closed',
      'a closed window takes nothing',
    );
    assert.equal((await store.close('mail', w)).length, 1, 'a retried send reads the same batch');
    await store.clear('mail', w);
    assert.deepEqual(await store.close('mail', w), []);
  });
});
