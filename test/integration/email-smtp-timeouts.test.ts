/**
 * An SMTP server that accepts the connection and then says nothing (a hung relay, a firewall
 * that swallows the session) must fail the attempt within our timeouts (10 s for the greeting),
 * so the delivery is retried and the worker slot freed, not held for nodemailer's defaults
 * (30 s greeting, 2 min connection, 10 min socket).
 */
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, it } from 'node:test';
import { fixture } from '../../support/fixtures.js';
import { postWebhook, uniqueGroup } from '../helpers/webhook-client.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';
import { waitFor } from '../../support/wait.js';

let silent: Server;
const sockets: Socket[] = [];
let router: TestRouter;

before(async () => {
  silent = createServer((socket) => {
    sockets.push(socket); // accepted, never greeted
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as { port: number }).port;
  router = await startTestRouter(
    {
      channels: { mail: { type: 'email', to: ['oncall@example.com'] } },
      defaultChannels: ['mail'],
      delivery: { attempts: 1, backoffMs: 100 },
    },
    { SMTP_URL: `smtp://127.0.0.1:${port}`, EMAIL_FROM: 'alert-router@example.com', WEBHOOK_BEARER_TOKEN: 't' },
  );
});
after(async () => {
  await router?.stop();
  for (const s of sockets) s.destroy();
  silent?.close();
});

it('gives up on a server that never greets after the 10 s greeting timeout, not nodemailer\'s 30 s', async () => {
  const p = uniqueGroup(fixture('firing'));
  await postWebhook(router.url, p);
  // Waited for longer than nodemailer's own 30 s, so the defect shows as a figure, not a timeout.
  const fresh = await waitFor(
    async () => (await router.queues.deliveries.getJobs(['failed'])).find((j) => j.data.payload.groupKey === p.groupKey),
    'the failed delivery',
    60_000,
  );
  const took = (fresh.finishedOn ?? 0) - (fresh.processedOn ?? 0);
  assert.match(fresh.failedReason, /greeting/i);
  // 10 s configured; nodemailer's own default is 30 s. The margin is for a busy machine.
  assert.ok(took >= 9_000 && took < 25_000, `the attempt took ${took} ms`);
});
