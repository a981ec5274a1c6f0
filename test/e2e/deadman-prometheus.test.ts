import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { stringify } from 'yaml';
import { startFakePagerDuty, type FakePagerDuty } from '../helpers/fake-pagerduty.js';
import { startAlertmanager, type LocalAlertmanager } from '../../support/alertmanager-server.js';
import { startPrometheus, type LocalPrometheus } from '../../support/prometheus-server.js';
import { requireBinary } from '../../support/require-binary.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';
import { sleep, waitFor } from '../../support/wait.js';

// Real Debian `prometheus` (2.42) and `prometheus-alertmanager` (0.25) processes. Missing binaries
// fail the test: a skipped end-to-end test proves nothing.
const GRACE_S = 5;
const CHECK_S = 1;
/** Scheduler jitter, the delivery job and the HTTPS call to the local PagerDuty. */
const SLACK_MS = 1000;
const PD_KEY = 'E2EROUTINGKEYE2EROUTINGKEYE2E123';

let dir: string;
let pd: FakePagerDuty;
let router: TestRouter;
let prometheus: LocalPrometheus;
let alertmanager: LocalAlertmanager;

before(async () => {
  requireBinary('prometheus', 'prometheus');
  requireBinary('prometheus-alertmanager', 'prometheus-alertmanager');
  dir = mkdtempSync(join(tmpdir(), 'ar-e2e-deadman-'));
  pd = await startFakePagerDuty();
  router = await startTestRouter(
    {
      channels: { pd: { type: 'pagerduty', routingKeyEnv: 'PD_KEY' } },
      defaultChannels: ['pd'],
      delivery: { backoffMs: 200 },
      heartbeat: {
        receiver: 'watchdog-heartbeat',
        alertname: 'Watchdog',
        defaultGraceSeconds: GRACE_S,
        startupGraceSeconds: 20,
        checkIntervalSeconds: CHECK_S,
        channels: ['pd'],
        sources: [{ name: 'e2e', labels: { cluster: 'e2e' } }],
      },
    },
    { PD_KEY, PAGERDUTY_EVENTS_URL: pd.eventsUrl },
    { pagerdutyAgent: pd.agent },
  );
  alertmanager = await startAlertmanager(
    stringify({
      route: {
        receiver: 'watchdog-heartbeat',
        group_by: ['alertname'],
        // Alertmanager re-sends only on a group_interval flush once repeat_interval has passed,
        // so heartbeats arrive every ~2 s here (every ~1 min in production).
        group_wait: '0s',
        group_interval: '1s',
        repeat_interval: '1s',
      },
      receivers: [
        {
          name: 'watchdog-heartbeat',
          webhook_configs: [{ url: `${router.url}/webhook/alertmanager`, send_resolved: true }],
        },
      ],
    }),
  );
  writeFileSync(
    join(dir, 'rules.yml'),
    stringify({
      groups: [
        {
          name: 'meta',
          rules: [{ alert: 'Watchdog', expr: 'vector(1)', labels: { severity: 'none' } }],
        },
      ],
    }),
  );
  prometheus = await startPrometheus({
    config: stringify({
      global: { evaluation_interval: '1s', scrape_interval: '15s', external_labels: { cluster: 'e2e' } },
      rule_files: [join(dir, 'rules.yml')],
      alerting: { alertmanagers: [{ static_configs: [{ targets: [new URL(alertmanager.url).host] }] }] },
    }),
    // Alerts are sent with endsAt = now + 4 x max(resend delay, evaluation interval): 4 s here.
    flags: ['--rules.alert.resend-delay=1s'],
  });
});

after(async () => {
  await prometheus?.close();
  await alertmanager?.close();
  await router?.stop();
  await pd?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const received = async (status: 'firing' | 'resolved'): Promise<number> => {
  const text = await (await fetch(`${router.url}/metrics`)).text();
  const re = new RegExp(
    `alert_router_notifications_received_total\\{receiver="watchdog-heartbeat",status="${status}",outcome="heartbeat"\\} (\\d+)`,
  );
  return Number(re.exec(text)?.[1] ?? 0);
};
const deadman = async (): Promise<{ state: string; lastHeartbeat: string | null }> =>
  (
    (await (await fetch(`${router.url}/api/deadman`)).json()) as {
      sources: Array<{ state: string; lastHeartbeat: string | null }>;
    }
  ).sources[0]!;

test('Prometheus stops: one page within grace + one check; it starts again: the same incident resolves', async () => {
  await waitFor(
    async () => (await received('firing')) >= 2,
    'two Watchdog heartbeats through Alertmanager',
    15_000,
    100,
  );
  assert.equal((await deadman()).state, 'ok');
  assert.equal(pd.events.length, 0, 'heartbeats are never delivered');

  const stoppedAt = Date.now();
  await prometheus.process.stop();
  const page = await waitFor(
    () => pd.requests.find((r) => r.body.event_action === 'trigger'),
    'the page',
    20_000,
    50,
  );
  // Alertmanager keeps the Watchdog firing (and re-sending it) until the endsAt Prometheus last
  // gave it: 4 x max(evaluation interval, resend delay) = 4 s here, 4 min with Prometheus' default
  // 1 min resend delay. The grace therefore runs from the last firing heartbeat, not from the stop.
  const last = Date.parse((await deadman()).lastHeartbeat!);
  const sinceLast = page.at - last;
  const elapsed = page.at - stoppedAt;
  process.stdout.write(
    `# Prometheus stopped -> page: ${elapsed} ms; last heartbeat -> page: ${sinceLast} ms (grace ${GRACE_S} s, check every ${CHECK_S} s)\n`,
  );
  assert.ok(sinceLast >= GRACE_S * 1000, `paged ${sinceLast} ms after the last heartbeat, inside the grace`);
  assert.ok(
    sinceLast <= (GRACE_S + CHECK_S) * 1000 + SLACK_MS,
    `page came ${sinceLast} ms after the last heartbeat`,
  );
  const endsAtWindow = 4 * 1000 + 1000; // endsAt ahead + one group_interval flush
  assert.ok(
    elapsed <= endsAtWindow + (GRACE_S + CHECK_S) * 1000 + SLACK_MS,
    `page came ${elapsed} ms after Prometheus stopped`,
  );
  assert.match(
    String((page.body.payload as { summary: string }).summary),
    /DeadMansSwitch: e2e silent since /,
  );

  // Alertmanager resolves the Watchdog (endsAt passed) and sends a *resolved* notification: it must
  // neither count as a heartbeat nor resolve the page. Then it sends nothing at all.
  await waitFor(
    async () => (await received('resolved')) >= 1,
    'the resolved Watchdog notification',
    15_000,
    100,
  );
  await sleep(2 * CHECK_S * 1000 + 500);
  assert.equal((await deadman()).state, 'silent');
  assert.deepEqual(
    pd.events.map((e) => e.event_action),
    ['trigger'],
    'one page, not one per tick',
  );

  const restartedAt = Date.now();
  prometheus.process.start();
  const resolve = await waitFor(
    () => pd.requests.find((r) => r.body.event_action === 'resolve'),
    'the resolve',
    20_000,
    50,
  );
  process.stdout.write(`# Prometheus restarted -> resolve: ${resolve.at - restartedAt} ms\n`);
  assert.equal(resolve.body.dedup_key, page.body.dedup_key, 'the same PagerDuty incident resolves');
  assert.equal((await deadman()).state, 'ok');
  assert.deepEqual(
    pd.events.map((e) => e.event_action),
    ['trigger', 'resolve'],
  );
});
