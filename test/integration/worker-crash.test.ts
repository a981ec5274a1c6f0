import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { stringify } from 'yaml';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack.js';
import { fixture } from '../../support/fixtures.js';
import { ManagedProcess } from '../../support/managed-process.js';
import { REDIS_URL, startTestRouter, type TestRouter } from '../helpers/start-test-router.js';
import { waitFor } from '../../support/wait.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fileConfig = {
  channels: { 'slack-critical': { type: 'slack', channel: '#alerts' } },
  defaultChannels: ['slack-critical'],
  // A short lock so recovery takes seconds, not the minute the 30 s default gives.
  delivery: { attempts: 4, backoffMs: 100, lockMs: 5000 },
};

let slack: FakeSlack;
let api: TestRouter;
let configPath: string;
const workers = new Set<ManagedProcess>();

/** A worker-only alert-router process, as deployed (ROLE=worker), sharing the api router's queue prefix. */
function startWorker(): ManagedProcess {
  const worker = new ManagedProcess('worker', process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ROLE: 'worker',
      PORT: '0', // health and metrics on any free port: 8080 may be taken
      LOG_LEVEL: 'info',
      REDIS_URL,
      QUEUE_PREFIX: api.prefix,
      ALERT_ROUTER_CONFIG: configPath,
      PUBLIC_URL: 'http://alert-router.test',
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_API_URL: slack.url,
    },
  });
  worker.start();
  workers.add(worker);
  return worker;
}

before(async () => {
  slack = await startFakeSlack();
  const dir = mkdtempSync(join(tmpdir(), 'ar-crash-'));
  configPath = join(dir, 'config.yml');
  writeFileSync(configPath, stringify(fileConfig));
  api = await startTestRouter(fileConfig, {
    ROLE: 'api',
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_API_URL: slack.url,
    WEBHOOK_BEARER_TOKEN: 't',
  });
});

after(async () => {
  for (const worker of workers) {
    worker.child?.kill('SIGKILL');
    await worker.exited();
  }
  await api.stop();
  await slack.close();
});

test(
  'a worker killed mid-delivery loses nothing: another worker delivers after the lock expires',
  { timeout: 120_000 },
  async () => {
    slack.respondNext('chat.postMessage', { hang: true });
    const first = startWorker();
    const res = await fetch(`${api.url}/webhook/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
      body: JSON.stringify(fixture('firing')),
    });
    assert.equal(res.status, 200);
    await waitFor(
      () => slack.calls('chat.postMessage').length === 1,
      () => `the first worker to call Slack; its output:\n${first.log}`,
      20_000,
    );
    const [job] = await api.queues.deliveries.getJobs(['active']);
    assert.ok(job, 'the delivery is active in the killed worker');

    first.child!.kill('SIGKILL');
    await first.exited();
    assert.equal(first.child!.signalCode, 'SIGKILL');
    const killedAt = Date.now();
    assert.equal(
      slack.calls('chat.postMessage')[0]!.response,
      undefined,
      'Slack never answered the first worker',
    );

    const second = startWorker();
    await waitFor(
      () =>
        slack
          .calls('chat.postMessage')
          .some((r) => (r.response?.body as { ok?: boolean } | undefined)?.ok === true),
      () => `the second worker to deliver; its output:\n${second.log}`,
      30_000,
      200,
    );
    const recoveredMs = Date.now() - killedAt;
    await waitFor(
      async () => (await api.queues.deliveries.getJob(job.id!))?.finishedOn !== undefined,
      'the job to complete',
    );
    const done = await api.queues.deliveries.getJob(job.id!);
    assert.equal(await done!.getState(), 'completed');
    const posts = slack.calls('chat.postMessage');
    assert.equal(posts.length, 2, 'one hung call, one delivery: nothing lost, nothing doubled');
    assert.equal(posts[1]!.body.channel, '#alerts');
    assert.match(String(posts[1]!.body.text), /HighErrorRate/);
    // The killed worker's lock lives `lockMs`, and stalled checks run every `lockMs`, throttled
    // queue-wide by a `stalled-check` key; a new worker's first effective check may only mark the
    // job, and the next one requeues it: recovery within about 2-3 x lockMs.
    assert.ok(recoveredMs < 20_000, `redelivered ${recoveredMs} ms after SIGKILL (lockMs 5000)`);
    process.stderr.write(`# worker-crash: redelivered ${recoveredMs} ms after SIGKILL\n`);

    second.child!.kill('SIGTERM');
    await second.exited();
    assert.equal(second.child!.exitCode, 0, second.log);
  },
);
