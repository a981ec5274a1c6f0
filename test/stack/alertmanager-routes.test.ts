/**
 * Alertmanager side of the monitoring stack: config validity, routing of representative label
 * sets, receiver shape, and inhibitions proven against a real Alertmanager process.
 *
 *   node --import tsx --test test/stack/alertmanager-routes.test.ts
 *
 * Needs `amtool` and `prometheus-alertmanager` (Debian package prometheus-alertmanager). A
 * missing binary fails the test rather than skipping it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { startAlertmanager } from '../../support/alertmanager-server.js';
import { freePort } from '../../support/free-port.js';
import { sleep } from '../../support/wait.js';
import { runTool, type ToolResult } from '../helpers/run-tool.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CONFIG = join(ROOT, 'alertmanager', 'alertmanager.yml');
const WEBHOOK_URL = 'http://alert-router:8080/webhook/alertmanager';
const TOKEN_PATH = '/etc/alertmanager/secrets/webhook-token';
const RECEIVERS = ['critical', 'warning', 'info', 'slo-page', 'slo-ticket', 'watchdog-heartbeat', 'default'];
/** alert-router's own outage by Alertmanager's own email: the one receiver that is not the webhook. */
const FALLBACK = 'alert-router-fallback';

const run = (binary: string, args: string[]): Promise<ToolResult> =>
  runTool(binary, args, { pkg: 'prometheus-alertmanager', cwd: ROOT, timeoutMs: 60_000 });

// A private copy whose credentials_file exists, so neither amtool nor a real Alertmanager
// depends on /etc/alertmanager/secrets being present on the test machine.
let workDir = '';
let localConfig = '';

before(() => {
  workDir = mkdtempSync(join(tmpdir(), 'am-routes-'));
  const token = join(workDir, 'webhook-token');
  writeFileSync(token, 'test-token\n', { mode: 0o600 });
  localConfig = join(workDir, 'alertmanager.yml');
  writeFileSync(localConfig, readFileSync(CONFIG, 'utf8').replaceAll(TOKEN_PATH, token));
});

after(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test('amtool check-config accepts the checked-in config and the local copy', async () => {
  for (const file of [CONFIG, localConfig]) {
    const result = await run('amtool', ['check-config', file]);
    assert.equal(result.code, 0, `amtool check-config ${file}:\n${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /SUCCESS/);
  }
});

const ROUTE_CASES: Array<{ name: string; receiver: string; labels: Record<string, string> }> = [
  {
    name: 'Watchdog',
    receiver: 'watchdog-heartbeat',
    labels: { alertname: 'Watchdog', severity: 'none', team: 'platform', service: 'alerting-pipeline' },
  },
  {
    name: 'SLO page',
    receiver: 'slo-page',
    labels: {
      alertname: 'SLOAvailabilityBurnRatePage',
      severity: 'critical',
      slo: 'availability',
      service: 'inference-gateway',
      team: 'ml-platform',
    },
  },
  {
    name: 'SLO latency page',
    receiver: 'slo-page',
    labels: {
      alertname: 'SLOLatencyBurnRatePage',
      severity: 'critical',
      slo: 'latency',
      service: 'inference-gateway',
      team: 'ml-platform',
    },
  },
  {
    name: 'SLO ticket',
    receiver: 'slo-ticket',
    labels: {
      alertname: 'SLOAvailabilityBurnRateTicket',
      severity: 'warning',
      slo: 'availability',
      service: 'inference-gateway',
      team: 'ml-platform',
    },
  },
  {
    name: 'critical',
    receiver: 'critical',
    labels: {
      alertname: 'ServiceDown',
      severity: 'critical',
      service: 'inference-gateway',
      team: 'ml-platform',
    },
  },
  {
    name: "alert-router's own outage: by email too",
    receiver: `${FALLBACK},critical`,
    labels: { alertname: 'AlertRouterDown', severity: 'critical', service: 'alert-router', team: 'platform' },
  },
  {
    name: 'warning',
    receiver: 'warning',
    labels: { alertname: 'NodeCPUHigh', severity: 'warning', service: 'node-exporter', team: 'platform' },
  },
  {
    name: 'info',
    receiver: 'info',
    labels: {
      alertname: 'AlertRouterDeliveriesRateLimited',
      severity: 'info',
      service: 'alert-router',
      team: 'platform',
    },
  },
  {
    name: 'unknown severity',
    receiver: 'default',
    labels: { alertname: 'Something', severity: 'bogus', service: 'x' },
  },
  { name: 'no severity', receiver: 'default', labels: { alertname: 'Something', service: 'x' } },
];

for (const c of ROUTE_CASES) {
  test(`route: ${c.name} -> ${c.receiver}`, async () => {
    const labels = Object.entries(c.labels).map(([k, v]) => `${k}=${v}`);
    const result = await run('amtool', [
      'config',
      'routes',
      'test',
      `--config.file=${CONFIG}`,
      `--verify.receivers=${c.receiver}`,
      ...labels,
    ]);
    assert.equal(
      result.code,
      0,
      `labels ${labels.join(' ')} routed to ${result.stdout.trim()}, want ${c.receiver}\n${result.stderr}`,
    );
    assert.equal(result.stdout.trim(), c.receiver);
  });
}

interface Route {
  receiver?: string;
  matchers?: string[];
  continue?: boolean;
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  routes?: Route[];
  [key: string]: unknown;
}

interface AmConfig {
  route: Route;
  receivers: Array<{ name: string; [key: string]: unknown }>;
  inhibit_rules: Array<Record<string, unknown>>;
}

const config = (): AmConfig => parse(readFileSync(CONFIG, 'utf8')) as AmConfig;

test('no deprecated match/match_re/source_match/target_match anywhere', () => {
  const text = readFileSync(CONFIG, 'utf8');
  assert.doesNotMatch(
    text,
    /^\s*-?\s*(match|match_re|source_match|source_match_re|target_match|target_match_re):/m,
  );
});

test('root groups by alertname, service, severity; Watchdog route is first and final', () => {
  const { route } = config();
  assert.deepEqual(route.group_by, ['alertname', 'service', 'severity']);
  assert.equal(route.receiver, 'default');
  const first = route.routes?.[0];
  assert.ok(first);
  assert.equal(first.receiver, 'watchdog-heartbeat');
  assert.deepEqual(first.matchers, ['alertname="Watchdog"']);
  assert.equal(first.group_wait, '0s');
  assert.equal(first.group_interval, '1m');
  assert.equal(first.repeat_interval, '1m');
  assert.equal(first.continue, false);
});

test('every receiver but the fallback is the alert-router webhook with bearer credentials_file', () => {
  const { receivers } = config();
  assert.deepEqual(receivers.map((r) => r.name).sort(), [FALLBACK, ...RECEIVERS].sort());
  const fallback = receivers.find((r) => r.name === FALLBACK);
  assert.deepEqual(Object.keys(fallback ?? {}).sort(), ['email_configs', 'name'], 'the fallback needs no alert-router');
  for (const receiver of receivers.filter((r) => r.name !== FALLBACK)) {
    assert.deepEqual(
      Object.keys(receiver).sort(),
      ['name', 'webhook_configs'],
      `${receiver.name}: only webhook_configs allowed`,
    );
    assert.deepEqual(receiver['webhook_configs'], [
      {
        url: WEBHOOK_URL,
        send_resolved: true,
        max_alerts: 0,
        http_config: { authorization: { type: 'Bearer', credentials_file: TOKEN_PATH } },
      },
    ]);
  }
});

test('every receiver is reachable from some route', () => {
  const used = new Set<string>();
  const walk = (r: Route): void => {
    if (r.receiver) used.add(r.receiver);
    for (const child of r.routes ?? []) walk(child);
  };
  walk(config().route);
  assert.deepEqual([...used].sort(), [FALLBACK, ...RECEIVERS].sort());
  // Reachable in practice, not only listed: ROUTE_CASES covers each receiver via amtool.
  assert.deepEqual(
    [...new Set(ROUTE_CASES.flatMap((c) => c.receiver.split(',')))].sort(),
    [FALLBACK, ...RECEIVERS].sort(),
  );
});

test('no inhibition requires equal alertname (the seed rule that could never match)', () => {
  for (const rule of config().inhibit_rules) {
    assert.ok(!((rule['equal'] as string[] | undefined) ?? []).includes('alertname'), JSON.stringify(rule));
    assert.ok(
      Array.isArray(rule['source_matchers']) && Array.isArray(rule['target_matchers']),
      JSON.stringify(rule),
    );
  }
});

// ---------------------------------------------------------------------------------------------
// Inhibitions, proven on a running Alertmanager: post alerts, read their status back.
// ---------------------------------------------------------------------------------------------

interface ApiAlert {
  labels: Record<string, string>;
  status: { state: string; inhibitedBy: string[] };
}

test('inhibitions match on a real Alertmanager', async (t) => {
  const deadPort = await freePort(); // webhook target nobody listens on: deliveries just fail
  const am = await startAlertmanager(
    readFileSync(localConfig, 'utf8').replaceAll('alert-router:8080', `127.0.0.1:${deadPort}`),
  );
  t.after(() => am.close());
  const base = am.url;

  const alert = (labels: Record<string, string>) => ({
    labels,
    annotations: { summary: 'test' },
    startsAt: new Date(Date.now() - 60_000).toISOString(),
    endsAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
  const gw = { service: 'inference-gateway', team: 'ml-platform' };
  // The SLO rule is generic; another service keeps it apart from the ServiceDown case below.
  const api = { service: 'search-api', team: 'search' };
  const node = { service: 'node-exporter', team: 'platform', job: 'node-exporter' };
  const alerts = [
    // SLO page inhibits the ticket of the same SLO, not the other SLO's ticket.
    alert({ alertname: 'SLOAvailabilityBurnRatePage', severity: 'critical', slo: 'availability', ...api }),
    alert({ alertname: 'SLOAvailabilityBurnRateTicket', severity: 'warning', slo: 'availability', ...api }),
    alert({ alertname: 'SLOLatencyBurnRateTicket', severity: 'warning', slo: 'latency', ...api }),
    // ServiceDown inhibits the symptoms of that service only (SLO alerts included).
    alert({ alertname: 'ServiceDown', severity: 'critical', job: 'inference-gateway', ...gw }),
    alert({ alertname: 'SLOLatencyBurnRatePage', severity: 'critical', slo: 'latency', ...gw }),
    alert({ alertname: 'InferenceQueueBackup', severity: 'warning', ...gw }),
    alert({
      alertname: 'AlertRouterQueueBacklog',
      severity: 'warning',
      service: 'alert-router',
      team: 'platform',
      queue: 'deliveries',
    }),
    // NodeDown inhibits the other alerts of that host; FillingUp inhibits SpaceLow.
    alert({ alertname: 'NodeDown', severity: 'critical', instance: 'host-a:9100', ...node }),
    alert({ alertname: 'NodeCPUHigh', severity: 'warning', instance: 'host-a:9100', ...node }),
    alert({ alertname: 'NodeCPUHigh', severity: 'warning', instance: 'host-b:9100', ...node }),
    alert({
      alertname: 'NodeFilesystemFillingUp',
      severity: 'critical',
      instance: 'host-b:9100',
      mountpoint: '/',
      ...node,
    }),
    alert({
      alertname: 'NodeFilesystemSpaceLow',
      severity: 'warning',
      instance: 'host-b:9100',
      mountpoint: '/',
      ...node,
    }),
    alert({
      alertname: 'NodeFilesystemSpaceLow',
      severity: 'warning',
      instance: 'host-b:9100',
      mountpoint: '/data',
      ...node,
    }),
    alert({ alertname: 'Watchdog', severity: 'none', team: 'platform', service: 'alerting-pipeline' }),
  ];
  const post = await fetch(`${base}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alerts),
  });
  assert.equal(post.status, 200, await post.text());

  const key = (a: ApiAlert): string =>
    [a.labels['service'], a.labels['alertname'], a.labels['instance'], a.labels['mountpoint']]
      .filter(Boolean)
      .join('/');
  const expectInhibited = new Set([
    'search-api/SLOAvailabilityBurnRateTicket',
    'inference-gateway/SLOLatencyBurnRatePage',
    'inference-gateway/InferenceQueueBackup',
    'node-exporter/NodeCPUHigh/host-a:9100',
    'node-exporter/NodeFilesystemSpaceLow/host-b:9100//',
  ]);
  // Inhibition sources are cached asynchronously: poll until the state settles.
  let last: Record<string, boolean> = {};
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${base}/api/v2/alerts`);
    const got = (await res.json()) as ApiAlert[];
    last = Object.fromEntries(got.map((a) => [key(a), a.status.inhibitedBy.length > 0]));
    const settled = got.length === alerts.length && [...expectInhibited].every((k) => last[k] === true);
    if (settled) break;
    await sleep(250);
  }
  const expected = Object.fromEntries(Object.keys(last).map((k) => [k, expectInhibited.has(k)]));
  assert.equal(Object.keys(last).length, alerts.length, `alerts read back: ${JSON.stringify(last)}`);
  assert.deepEqual(last, expected);
});
