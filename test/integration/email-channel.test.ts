import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { fixture } from '../../support/fixtures.js';
import { failedDelivery, postWebhook as post, settled, uniqueGroup } from '../helpers/webhook-client.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { sleep, waitFor } from '../../support/wait.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';

let sink: SmtpSink;
let router: TestRouter;

before(async () => {
  sink = await startSmtpSink();
  router = await startTestRouter(
    {
      channels: { mail: { type: 'email', to: ['oncall@example.com'] } },
      defaultChannels: ['mail'],
      // Enough attempts and backoff (200, 400, 800, ... ms) to outlast a short SMTP outage.
      delivery: { attempts: 8, backoffMs: 200 },
    },
    { SMTP_URL: sink.url, EMAIL_FROM: 'alert-router@example.com', WEBHOOK_BEARER_TOKEN: 't' },
  );
});
after(async () => {
  await router.stop();
  await sink.stop();
});

describe('email channel', () => {
  test('subject carries status, severity, alertname and count; body is multipart text and html', async () => {
    const mark = sink.messages.length;
    const p = uniqueGroup(fixture('firing'));
    await post(router.url, p);
    await waitFor(() => sink.messages.length > mark, 'the message');
    await settled(router);
    assert.equal(sink.messages.length, mark + 1);
    const m = sink.messages[mark]!;
    assert.equal(m.from, 'alert-router@example.com');
    assert.deepEqual(m.to, ['oncall@example.com']);
    assert.equal(m.subject, '[FIRING:1] [CRITICAL] HighErrorRate (inference-gateway)');
    assert.match(m.contentType, /^multipart\/alternative;/);
    assert.deepEqual(
      m.parts.map((x) => x.contentType.split(';')[0]),
      ['text/plain', 'text/html'],
    );
    assert.match(m.parts[0]!.body, /High 5xx error rate on inference-gateway/);
    assert.match(m.parts[0]!.body, /Runbook: http:\/\/alert-router\.test\/runbooks\/HighErrorRate/);
    assert.match(m.parts[1]!.body, /FIRING · CRITICAL<\/div>\s*<h1[^>]*>HighErrorRate \(inference-gateway\)<\/h1>/);
    assert.match(m.messageId ?? '', /^<[^<>@\s]+@example\.com>$/);
  });

  test('later messages of a group thread under the same root', async () => {
    const id = randomUUID();
    const first = uniqueGroup(fixture('firing'), id);
    const mark = sink.messages.length;
    await post(router.url, first);
    await waitFor(() => sink.messages.length > mark, 'first message');
    await post(router.url, uniqueGroup(fixture('resolved'), id));
    await waitFor(() => sink.messages.length > mark + 1, 'second message');
    await settled(router);
    const [a, b] = sink.messages.slice(mark);
    assert.ok(a!.references, 'the first message names a thread root');
    assert.equal(b!.inReplyTo, a!.references);
    assert.equal(b!.references, a!.references);
    assert.notEqual(b!.messageId, a!.messageId);
    assert.equal(b!.subject, '[RESOLVED] [CRITICAL] HighErrorRate (inference-gateway)');
    // A different group gets a different root.
    const other = sink.messages.length;
    await post(router.url, uniqueGroup(fixture('firing')));
    await waitFor(() => sink.messages.length > other, 'other group');
    assert.notEqual(sink.messages[other]!.references, a!.references);
    await settled(router);
  });

  test('SMTP down, then back: delivered once it is back', async () => {
    const mark = sink.messages.length;
    await sink.stop();
    const p = uniqueGroup(fixture('firing'));
    await post(router.url, p);
    const retrying = await waitFor(
      async () =>
        (await router.queues.deliveries.getJobs(['delayed', 'waiting', 'active'])).find(
          (j) => j.data.payload.groupKey === p.groupKey && j.attemptsMade >= 1,
        ),
      'a failed attempt while SMTP is down',
    );
    assert.match(retrying.failedReason ?? '', /ECONNREFUSED|ESOCKET|connect/i);
    assert.equal(sink.messages.length, mark);
    await sink.start();
    await waitFor(() => sink.messages.length > mark, 'delivery after SMTP is back', 15_000);
    await settled(router);
    assert.equal(sink.messages.length, mark + 1);
    const done = (await router.queues.deliveries.getJobs(['completed'])).find(
      (j) => j.data.payload.groupKey === p.groupKey,
    );
    assert.ok(done && done.attemptsMade >= 2, `attemptsMade ${done?.attemptsMade}`);
  });

  test('451 is retried; 550 is not', async () => {
    const mark = sink.messages.length;
    const attempts = sink.attempts;
    sink.rejectNext(451);
    await post(router.url, uniqueGroup(fixture('firing')));
    await waitFor(() => sink.messages.length > mark, 'delivery after 451');
    await settled(router);
    assert.equal(sink.attempts - attempts, 2);

    const p = uniqueGroup(fixture('firing'));
    const attempts2 = sink.attempts;
    sink.rejectNext(550);
    await post(router.url, p);
    const failed = await failedDelivery(router, p.groupKey);
    await settled(router);
    await sleep(500); // > the first backoff (200 ms): a retry would have reached the sink by now
    assert.equal(sink.attempts - attempts2, 1, '550 must not be retried');
    assert.equal(sink.messages.length, mark + 1);
    assert.match(failed.failedReason, /550/);
    assert.equal(failed.attemptsMade, 1);
  });
});
