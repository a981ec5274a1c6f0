import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startFakeSlack, SLACK_CHANNEL_ID, type FakeSlack } from '../../support/fake-slack.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';
import { waitFor } from '../../support/wait.js';
import {
  routerWebhookConfig,
  startAlertmanager,
  type LocalAlertmanager,
} from '../../support/alertmanager-server.js';

const TOKEN = 'e2e-webhook-token';

let slack: FakeSlack;
let router: TestRouter;
let am: LocalAlertmanager | undefined;

before(async () => {
  // A missing Alertmanager fails this suite (startAlertmanager throws): it exists to prove the real one talks to us.
  slack = await startFakeSlack();
  router = await startTestRouter(
    {
      channels: { 'slack-critical': { type: 'slack', channel: '#alerts' } },
      defaultChannels: ['slack-critical'],
      delivery: { attempts: 4, backoffMs: 100 },
    },
    { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: slack.url, WEBHOOK_BEARER_TOKEN: TOKEN },
  );
  am = await startAlertmanager(routerWebhookConfig(`${router.url}/webhook/alertmanager`, TOKEN), {
    flags: ['--web.external-url=http://alertmanager:9093'],
  });
});

after(async () => {
  await am?.close();
  await router?.stop();
  await slack?.close();
});

test(
  'an alert posted to a real Alertmanager reaches Slack through alert-router',
  { timeout: 60_000 },
  async () => {
    const summary = 'e2e: 5xx ratio above 5% on inference-gateway-0';
    await am!.postAlerts([
      {
        labels: {
          alertname: 'E2EHighErrorRate',
          service: 'inference-gateway',
          severity: 'critical',
          instance: 'inference-gateway-0:8080',
        },
        annotations: { summary },
        startsAt: new Date().toISOString(),
        generatorURL: 'http://prometheus:9090/graph?g0.expr=up',
      },
    ]);

    const post = await waitFor(
      () => slack.calls('chat.postMessage')[0],
      `the Slack message (alertmanager log:\n${am!.process.log})`,
      30_000,
      100,
    );
    assert.equal(post.headers.authorization, 'Bearer xoxb-test');
    assert.equal(post.body.channel, '#alerts');
    assert.equal(post.body.text, `FIRING 1/1 [CRITICAL] E2EHighErrorRate: ${summary}`);
    const blocks = post.body.blocks as Array<{ type: string; text?: { text: string } }>;
    assert.equal(blocks[0]!.text!.text, 'FIRING 1/1 [CRITICAL] E2EHighErrorRate');
    assert.ok(JSON.stringify(blocks).includes(summary));
    assert.equal((post.response?.body as { channel?: string }).channel, SLACK_CHANNEL_ID);
    // Alertmanager authenticated with the Bearer credentials_file: an unauthenticated post would be a 401.
    const metrics = await (await fetch(`${router.url}/metrics`)).text();
    assert.match(
      metrics,
      /^alert_router_notifications_received_total\{receiver="alert-router",status="firing",outcome="queued"\} 1$/m,
    );
  },
);
