/**
 * An exporter-backed fault end to end, through real processes:
 *
 *   the ML-platform demo's feature pipeline writing the machine's PostgreSQL (its own schema)
 *     -> the feature-store exporter reading it
 *     -> real `prometheus` scraping it every second with the shipped feature-store job and the
 *        shipped feature-store rules (only `for:` shortened)
 *     -> real `prometheus-alertmanager` with the shipped alertmanager/alertmanager.yml
 *     -> alert-router (config/production.example.yml routes), enriching from the same Prometheus
 *     -> a local Slack Web API.
 *
 * Healthy: nothing fires. Make one feature view stale: FeatureViewStale reaches #alerts-warnings
 * with the runbook's live context (freshness, ttl, rows ingested). Clear it: the message turns
 * RESOLVED in place.
 *
 *   node --import tsx --test test/e2e/exporter-fault.test.ts
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { startMlPlatform, type RunningMlPlatform } from '../../demo/ml-platform.js';
import { startFeatureStoreExporter } from '../../exporters/feature-store/exporter.js';
import type { RunningExporter } from '../../exporters/lib/serve-metrics.js';
import {
  ALERTMANAGER_BIN,
  startAlertmanager,
  type LocalAlertmanager,
} from '../../support/alertmanager-server.js';
import { startFakeSlack, SLACK_CHANNEL_ID, type FakeSlack } from '../../support/fake-slack.js';
import { freePort } from '../../support/free-port.js';
import {
  PROMETHEUS_BIN,
  startPrometheus,
  type LocalPrometheus,
  type PromSample,
} from '../../support/prometheus-server.js';
import { requireBinary } from '../../support/require-binary.js';
import { sleep, waitFor } from '../../support/wait.js';
import {
  REPO,
  shippedAlertmanagerConfig,
  shippedPrometheusConfig,
  shippedRouterConfig,
} from '../helpers/shipped-stack.js';
import { cleanUp } from '../helpers/clean-up.js';
import { dropSchema, TEST_DATABASE_URL } from '../helpers/pg-schema.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';

const DATABASE_URL = TEST_DATABASE_URL;
const SCHEMA = `fs_e2e_${process.pid}_${Date.now() % 100_000}`;
const ALERTNAME = 'FeatureViewStale';
const TOKEN = 'e2e-exporter-webhook-token';
const READ_TOKEN = 'e2e-exporter-read-token';
// A short ttl so "stale" is seconds away; the demo backdates a stale view by ttl + 60 s.
const VIEWS = [
  { name: 'driver_hourly_stats', entity: 'driver', ttlSeconds: 5 },
  { name: 'customer_profile', entity: 'customer', ttlSeconds: 5 },
];

interface Rule {
  alert?: string;
  expr: string;
  for?: string;
}

let dir = '';
let demo: RunningMlPlatform | undefined;
let exporter: RunningExporter | undefined;
let slack: FakeSlack | undefined;
let router: TestRouter | undefined;
let prometheus: LocalPrometheus | undefined;
let alertmanager: LocalAlertmanager | undefined;
let promUrl = '';
let amUrl = '';
let rulesFile = '';

/** The shipped feature-store group, every `for:` cut to 2 s; expressions, labels, annotations as shipped. */
function featureStoreRules(): string {
  const shipped = parse(readFileSync(join(REPO, 'prometheus/rules/ml_platform.rules.yml'), 'utf8')) as {
    groups: Array<{ name: string; rules: Rule[] }>;
  };
  const group = shipped.groups.find((g) => g.name === 'feature-store');
  assert.ok(
    group && group.rules.some((r) => r.alert === ALERTNAME),
    `no ${ALERTNAME} in the feature-store group`,
  );
  return stringify({
    groups: [{ ...group, rules: group.rules.map((r) => (r.for ? { ...r, for: '2s' } : r)) }],
  });
}

const promQuery = (query: string): Promise<PromSample[]> => prometheus!.query(query);

async function explain<T>(
  fn: () => Promise<T> | T,
  what: string,
  timeoutMs: number,
): Promise<NonNullable<T>> {
  try {
    return await waitFor(fn, what, timeoutMs, 100);
  } catch (err) {
    const alerts = await promQuery('ALERTS').catch(() => []);
    const amAlerts = await fetch(`${amUrl}/api/v2/alerts`).then(
      (r) => r.text(),
      (e: Error) => e.message,
    );
    throw new Error(
      [
        (err as Error).message,
        `ALERTS: ${JSON.stringify(alerts.map((a) => [a.metric.alertname, a.metric.feature_view, a.metric.alertstate]))}`,
        `alertmanager: ${amAlerts.slice(0, 1500)}`,
        `slack: ${JSON.stringify(slack?.requests.map((r) => [r.method, r.body.text]))}`,
        `prometheus log: ${prometheus?.process.log.slice(-1000)}`,
      ].join('\n'),
      { cause: err },
    );
  }
}

before(async () => {
  requireBinary(PROMETHEUS_BIN, 'prometheus');
  requireBinary(ALERTMANAGER_BIN, 'prometheus-alertmanager');
  dir = mkdtempSync(join(tmpdir(), 'ar-e2e-exporter-'));
  const [promPort, amPort] = [await freePort(), await freePort()];
  promUrl = `http://127.0.0.1:${promPort}`;
  amUrl = `http://127.0.0.1:${amPort}`;

  demo = await startMlPlatform({
    port: 0,
    databaseUrl: DATABASE_URL,
    schema: SCHEMA,
    views: VIEWS,
    materializeIntervalMs: 500,
  });
  exporter = await startFeatureStoreExporter({ port: 0, databaseUrl: DATABASE_URL, schema: SCHEMA });
  slack = await startFakeSlack();
  router = await startTestRouter(shippedRouterConfig(), {
    SLACK_BOT_TOKEN: 'xoxb-e2e-exporter',
    SLACK_API_URL: slack.url,
    PAGERDUTY_ROUTING_KEY: 'E2EEXPORTERROUTINGKEYE2EEXPORTER',
    WEBHOOK_BEARER_TOKEN: TOKEN,
    READ_BEARER_TOKEN: READ_TOKEN,
    PROMETHEUS_URL: promUrl,
    ALERTMANAGER_URL: amUrl,
    PUBLIC_URL: 'http://alert-router.test',
  });
  const tokenFile = join(dir, 'webhook-token');
  writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
  rulesFile = join(dir, 'feature-store.rules.yml');
  writeFileSync(rulesFile, featureStoreRules());
  alertmanager = await startAlertmanager(shippedAlertmanagerConfig(router.url, tokenFile), { port: amPort });
  prometheus = await startPrometheus({
    config: shippedPrometheusConfig({
      job: 'feature-store',
      target: new URL(exporter.url).host,
      alertmanager: `127.0.0.1:${amPort}`,
      ruleFiles: [rulesFile],
    }),
    port: promPort,
  });
});

after(async () => {
  await cleanUp([
    () => prometheus?.close(),
    () => alertmanager?.close(),
    () => router?.stop(),
    () => slack?.close(),
    () => exporter?.close(),
    () => demo?.stop(),
    () => dropSchema(SCHEMA),
  ]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test(
  'a stale feature view pages #alerts-warnings with live context, and clearing it resolves the message',
  { timeout: 120_000 },
  async () => {
    await explain(
      async () =>
        (
          await promQuery(
            'feature_store_feature_view_freshness_seconds{job="feature-store",service="feature-store"}',
          )
        ).length === 2,
      'Prometheus scraping both views through the shipped relabelling',
      20_000,
    );
    // Healthy: materialised every 0.5 s, far inside the 5 s ttl.
    await sleep(4_000);
    assert.deepEqual(
      await promQuery(`ALERTS{alertname="${ALERTNAME}"}`),
      [],
      'nothing fires while the views are fresh',
    );
    assert.equal(slack!.calls('chat.postMessage').length, 0);

    const inject = await fetch(`${demo!.url}/fault`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ staleFeatureView: 'driver_hourly_stats' }),
    });
    assert.equal(inject.status, 200, await inject.text());
    const faultAt = Date.now();

    const post = await explain(
      () => slack!.calls('chat.postMessage').find((p) => String(p.body.text).includes(ALERTNAME)),
      'the Slack message',
      45_000,
    );
    console.log(`e2e: stale feature view to Slack in ${((post.at - faultAt) / 1000).toFixed(1)} s`);
    assert.equal(post.body.channel, '#alerts-warnings', 'warning route as shipped');
    assert.match(
      String(post.body.text),
      new RegExp(`^FIRING 1/1 \\[WARNING\\] ${ALERTNAME}: Feature view driver_hourly_stats is stale`),
    );
    const blocks = JSON.stringify(post.body.blocks);
    assert.ok(!blocks.includes('customer_profile'), 'only the stale view alerts');
    const section = (post.body.blocks as Array<{ type: string; text?: { text: string } }>).find(
      (b) => b.type === 'section' && b.text?.text.includes('Now:') === true,
    );
    assert.ok(section?.text, `no alert section in ${blocks}`);
    const text = section.text.text;
    console.log(`e2e: the alert as Slack shows it: ${JSON.stringify(text)}`);
    // The alert's own value (freshness, over 65 s) and the runbook's context queries (runbooks/FeatureViewStale.md).
    const now = /\nNow: \*([^*\n]+)\*/.exec(text);
    assert.ok(now, `the enrichment line is missing: ${text}`);
    assert.ok(Number.parseFloat(now[1]!.replace(/[^\d.]/g, '')) >= 60, `freshness now ${now[1]}`);
    for (const name of ['freshness', 'ttl', 'rows_ingested_1h']) {
      const value = new RegExp(`${name}: \\*([^*]+)\\*`).exec(text)?.[1];
      assert.ok(value && value !== 'no data', `runbook context ${name} in: ${text}`);
    }
    assert.match(text, /ttl: \*5(\.0+)?\s*s/, `the view's own ttl: ${text}`);
    assert.ok(blocks.includes('http://alert-router.test/runbooks/FeatureViewStale'), 'links the runbook');
    const runbook = await fetch(`${router!.url}/runbooks/${ALERTNAME}`, {
      headers: { authorization: `Bearer ${READ_TOKEN}` },
    });
    assert.equal(runbook.status, 200);

    // ---- clear ----
    assert.equal((await fetch(`${demo!.url}/fault`, { method: 'DELETE' })).status, 200);
    const clearAt = Date.now();
    const update = await explain(
      () => slack!.calls('chat.update').find((u) => String(u.body.text).startsWith('RESOLVED')),
      'the Slack update to RESOLVED',
      45_000,
    );
    console.log(`e2e: clear to RESOLVED in ${((update.at - clearAt) / 1000).toFixed(1)} s`);
    assert.equal(update.body.channel, SLACK_CHANNEL_ID);
    assert.equal(update.body.ts, slack!.tsOf(post), 'the message is updated in place');
    assert.equal(
      slack!.calls('chat.postMessage').filter((p) => !p.body.thread_ts).length,
      1,
      'one message for the incident',
    );
  },
);
