/**
 * alert-router's own outage still reaches a person: the stack's Alertmanager config, run by a
 * real Alertmanager, mails AlertRouterDown through its own email receiver while alert-router is
 * down, and hands an ordinary alert to alert-router only (no email).
 *
 *   node --import tsx --test test/stack/alertmanager-fallback.test.ts
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { startAlertmanager, type LocalAlertmanager } from '../../support/alertmanager-server.js';
import { waitFor } from '../../support/wait.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TOKEN = 'fallback-test-token';

let sink: SmtpSink;
let router: TestRouter;
let am: LocalAlertmanager;

const alert = (labels: Record<string, string>) => ({
  labels,
  annotations: { summary: `${labels.alertname} for the fallback test` },
  startsAt: new Date(Date.now() - 60_000).toISOString(),
  endsAt: new Date(Date.now() + 3_600_000).toISOString(),
});

before(async () => {
  sink = await startSmtpSink();
  router = await startTestRouter(
    { channels: { outbox: { type: 'outbox' } }, defaultChannels: ['outbox'] },
    { WEBHOOK_BEARER_TOKEN: TOKEN },
  );
  const routerHost = new URL(router.url).host;
  am = await startAlertmanager((dir) => {
    writeFileSync(join(dir, 'webhook-token'), `${TOKEN}\n`);
    // The shipped config with the compose names pointed here; only the waits are shortened.
    return readFileSync(join(ROOT, 'alertmanager', 'alertmanager.yml'), 'utf8')
      .replaceAll('/etc/alertmanager/secrets/webhook-token', join(dir, 'webhook-token'))
      .replaceAll('alert-router:8080', routerHost)
      .replace('smtp_smarthost: mailpit:1025', `smtp_smarthost: 127.0.0.1:${sink.port}`)
      .replace(/group_wait: \S+/g, 'group_wait: 1s');
  });
});
after(async () => {
  await am?.close();
  await router?.stop().catch(() => undefined);
  await sink?.stop();
});

const outboxNames = async (): Promise<string[]> => {
  const res = await fetch(`${router.url}/api/outbox`);
  const { entries } = (await res.json()) as { entries: Array<{ alertname: string }> };
  return entries.map((e) => e.alertname);
};

test('an ordinary critical alert goes to alert-router only, not to the fallback email', async () => {
  await am.postAlerts([
    alert({ alertname: 'ServiceDown', severity: 'critical', service: 'inference-gateway', team: 'ml-platform' }),
  ]);
  await waitFor(async () => (await outboxNames()).includes('ServiceDown'), 'ServiceDown in the outbox', 20_000);
  assert.deepEqual(sink.messages.map((m) => m.subject), [], 'no email for it');
});

test('AlertRouterDown, while alert-router is down, arrives by Alertmanager\'s own email', async () => {
  await router.stop();
  await am.postAlerts([
    alert({ alertname: 'AlertRouterDown', severity: 'critical', service: 'alert-router', team: 'platform' }),
  ]);
  const mail = await waitFor(
    () => sink.messages.find((m) => m.subject.includes('AlertRouterDown')),
    'the fallback email',
    30_000,
  );
  assert.deepEqual(mail.to, ['platform-oncall@example.com']);
  assert.equal(mail.from, 'alertmanager@alert-router.local');
  assert.ok(
    mail.parts.some((p) => p.body.includes('AlertRouterDown for the fallback test')),
    'the alert\'s summary is in the mail',
  );
  assert.ok(!sink.messages.some((m) => m.subject.includes('ServiceDown')), 'only alert-router\'s own alerts');
});
