import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { stringify } from 'yaml';
import { startFakeSlack, SLACK_CHANNEL_ID, type FakeSlack } from '../helpers/fake-slack.js';
import { startTestRouter, waitFor, type TestRouter } from '../helpers/start-test-router.js';
import { freePort } from '../helpers/free-port.js';

const ALERTMANAGER = process.env.ALERTMANAGER_BIN ?? 'prometheus-alertmanager';
const TOKEN = 'e2e-webhook-token';

let slack: FakeSlack;
let router: TestRouter;
let am: ChildProcess | undefined;
let amUrl = '';
let amLog = '';
let dir = '';

before(async () => {
  // Fail loudly, never skip: this suite exists to prove the real Alertmanager talks to us.
  const probe = spawnSync(ALERTMANAGER, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0)
    throw new Error(
      `${ALERTMANAGER} is required for the e2e suite (Debian: apt-get install prometheus-alertmanager): ${probe.error?.message ?? probe.stderr}`,
    );
  slack = await startFakeSlack();
  router = await startTestRouter(
    {
      channels: { 'slack-critical': { type: 'slack', channel: '#alerts' } },
      defaultChannels: ['slack-critical'],
      delivery: { attempts: 4, backoffMs: 100 },
    },
    { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: slack.url, WEBHOOK_BEARER_TOKEN: TOKEN },
  );
  dir = mkdtempSync(join(tmpdir(), 'ar-e2e-am-'));
  writeFileSync(join(dir, 'token'), `${TOKEN}\n`);
  writeFileSync(
    join(dir, 'alertmanager.yml'),
    stringify({
      route: {
        receiver: 'alert-router',
        group_by: ['alertname', 'service'],
        group_wait: '1s',
        group_interval: '1s',
        repeat_interval: '1h',
      },
      receivers: [
        {
          name: 'alert-router',
          webhook_configs: [
            {
              url: `${router.url}/webhook/alertmanager`,
              send_resolved: true,
              http_config: { authorization: { type: 'Bearer', credentials_file: join(dir, 'token') } },
            },
          ],
        },
      ],
    }),
  );
  const port = await freePort();
  amUrl = `http://127.0.0.1:${port}`;
  am = spawn(
    ALERTMANAGER,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.external-url=http://alertmanager:9093',
      '--cluster.listen-address=',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  am.stdout!.on('data', (c: Buffer) => (amLog += c.toString()));
  am.stderr!.on('data', (c: Buffer) => (amLog += c.toString()));
  await waitFor(
    async () => {
      if (am!.exitCode !== null) throw new Error(`alertmanager exited:\n${amLog}`);
      return (await fetch(`${amUrl}/-/ready`).catch(() => undefined))?.ok;
    },
    'alertmanager to be ready',
    15_000,
    100,
  );
});

after(async () => {
  if (am && am.exitCode === null && am.signalCode === null) {
    const exited = new Promise((resolve) => am!.once('exit', resolve));
    am.kill('SIGTERM');
    await exited;
  }
  await router?.stop();
  await slack?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test(
  'an alert posted to a real Alertmanager reaches Slack through alert-router',
  { timeout: 60_000 },
  async () => {
    const summary = 'e2e: 5xx ratio above 5% on inference-gateway-0';
    const res = await fetch(`${amUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
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
      ]),
    });
    assert.equal(res.status, 200, await res.text());

    const post = await waitFor(
      () => slack.calls('chat.postMessage')[0],
      `the Slack message (alertmanager log:\n${amLog})`,
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
