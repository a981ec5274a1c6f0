import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { WebhookPayload } from '../../src/alert/webhook-payload.js';
import { fixture } from '../../support/fixtures.js';
import { sleep } from '../../support/wait.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';
import { notificationJobCount, postRaw, uniqueGroup } from '../helpers/webhook-client.js';

interface Answer {
  readonly http: number;
  readonly status: string;
  readonly key: string;
}

const post = async (r: TestRouter, payload: WebhookPayload): Promise<Answer> => {
  const res = await postRaw(r.url, JSON.stringify(payload));
  const body = (await res.json()) as { status: string; key: string };
  return { http: res.status, status: body.status, key: body.key };
};

/** The received counter for one outcome, as a scrape shows it (0 when the series does not exist). */
const received = async (r: TestRouter, outcome: string): Promise<number> => {
  const text = await (await fetch(`${r.url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) =>
      l.startsWith(
        `alert_router_notifications_received_total{receiver="alert-router",status="firing",outcome="${outcome}"} `,
      ),
    );
  return line ? Number(line.split(' ').pop()) : 0;
};

describe('a duplicate webhook (an HA peer, a retry) is answered "duplicate" and counted', () => {
  let r: TestRouter;
  before(async () => {
    // ROLE api: no worker takes the jobs, so the queue shows exactly what the webhook added.
    r = await startTestRouter(
      { channels: { outbox: { type: 'outbox' } }, defaultChannels: ['outbox'], dedupWindowSeconds: 1 },
      { WEBHOOK_BEARER_TOKEN: 't', ROLE: 'api' },
    );
  });
  after(() => r.stop());

  test('first post queued, the same content again duplicate with the same key, after the window queued', async () => {
    const body = uniqueGroup(fixture('grouped'));
    const jobs0 = await notificationJobCount(r);
    const first = await post(r, body);
    assert.deepEqual(first, { http: 200, status: 'queued', key: first.key });
    assert.match(first.key, /^[0-9a-f]{64}$/);
    assert.deepEqual(await post(r, body), { http: 200, status: 'duplicate', key: first.key });
    assert.equal(await notificationJobCount(r), jobs0 + 1, 'the duplicate adds no job');
    assert.equal(await received(r, 'queued'), 1);
    assert.equal(await received(r, 'duplicate'), 1);

    await sleep(1100); // past the 1 s dedup window: the same content is a reminder now
    assert.deepEqual(await post(r, body), { http: 200, status: 'queued', key: first.key });
    assert.equal(await notificationJobCount(r), jobs0 + 2);
  });

  test('two identical posts at once: exactly one queued and one duplicate, every time', async () => {
    const queued0 = await received(r, 'queued');
    const duplicate0 = await received(r, 'duplicate');
    const jobs0 = await notificationJobCount(r);
    const pairs = 20;
    for (let i = 0; i < pairs; i++) {
      const body = uniqueGroup(fixture('firing'));
      const answers = await Promise.all([post(r, body), post(r, body)]);
      assert.deepEqual(answers.map((a) => a.status).sort(), ['duplicate', 'queued'], `pair ${i}`);
      assert.equal(answers[0].key, answers[1].key);
      assert.deepEqual(
        answers.map((a) => a.http),
        [200, 200],
      );
    }
    assert.equal(await notificationJobCount(r), jobs0 + pairs);
    assert.equal((await received(r, 'queued')) - queued0, pairs);
    assert.equal((await received(r, 'duplicate')) - duplicate0, pairs);
  });
});
