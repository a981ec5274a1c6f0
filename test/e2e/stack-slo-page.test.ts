/**
 * End to end through real processes (the native runner's pieces):
 *
 *   demo inference-gateway (in-process, fault control over HTTP)
 *     -> real `prometheus` scraping it every second and evaluating a test-only copy of the SLO page
 *        alert with scaled-down windows (test/e2e/fixtures/slo-page.e2e.rules.yml)
 *     -> real `prometheus-alertmanager` with the shipped alertmanager/alertmanager.yml (routes,
 *        receivers, inhibitions as shipped; only URL, credentials_file and timers rewritten)
 *     -> alert-router in-process (routes like config/production.example.yml, PROMETHEUS_URL set so
 *        the enrichment stage queries the same Prometheus)
 *     -> local Slack Web API and local HTTPS PagerDuty Events API.
 *
 * Healthy baseline: nothing pages. Inject errorRate 0.5: one PagerDuty trigger and one Slack
 * message, both enriched. Clear the fault: the same incident resolves and the Slack message is
 * updated to RESOLVED. Missing binaries fail the suite; it is never skipped.
 *
 *   node --import tsx --test test/e2e/stack-slo-page.test.ts
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { startDemo, type RunningDemo } from '../../demo/inference-gateway.js';
import { startFakePagerDuty, type FakePagerDuty, type PagerDutyRequest } from '../helpers/fake-pagerduty.js';
import { startFakeSlack, SLACK_CHANNEL_ID, type FakeSlack } from '../../support/fake-slack.js';
import { freePort } from '../../support/free-port.js';
import {
  ALERTMANAGER_BIN,
  startAlertmanager,
  type LocalAlertmanager,
} from '../../support/alertmanager-server.js';
import {
  PROMETHEUS_BIN,
  startPrometheus,
  type LocalPrometheus,
  type PromSample,
} from '../../support/prometheus-server.js';
import { requireBinary } from '../../support/require-binary.js';
import { sleep, waitFor } from '../../support/wait.js';
import { cleanUp } from '../helpers/clean-up.js';
import {
  shippedAlertmanagerConfig,
  shippedPrometheusConfig,
  shippedRouterConfig,
} from '../helpers/shipped-stack.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURE_RULES = join(REPO, 'test/e2e/fixtures/slo-page.e2e.rules.yml');
const SHIPPED_ALERTS = join(REPO, 'prometheus/rules/slo_alerts.rules.yml');
const SHIPPED_RECORDING = join(REPO, 'prometheus/rules/slo_recording.rules.yml');
const ALERTNAME = 'SLOAvailabilityBurnRatePage';
/** Fixture window -> the shipped window it stands for. */
const WINDOWS: Readonly<Record<string, string>> = { '10s': '5m', '15s': '30m', '30s': '1h', '60s': '6h' };

const TOKEN = 'e2e-stack-webhook-token';
const READ_TOKEN = 'e2e-read-token';
const PD_KEY = 'E2ESTACKROUTINGKEYE2ESTACKROUT32';
const PUBLIC_URL = 'http://alert-router.test';
const BASELINE_MS = 5_000;
const PAGE_TIMEOUT_MS = 45_000;
const RESOLVE_TIMEOUT_MS = 45_000;

// ---------------------------------------------------------------------------------------------
// Rule files
// ---------------------------------------------------------------------------------------------

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleFile {
  groups: Array<{ name: string; rules: Rule[] }>;
}

const readRules = (path: string): Rule[] =>
  (parse(readFileSync(path, 'utf8')) as RuleFile).groups.flatMap((g) => g.rules);
const squash = (expr: string): string => expr.replace(/\s+/g, ' ').trim();
/** Rewrites the fixture's windows into the shipped ones (`burn_rate:10s`, `ratio_rate10s`, `[10s]`). */
const toShippedWindows = (expr: string): string =>
  expr.replace(
    /(burn_rate:|ratio_rate|\[)(10s|15s|30s|60s)\b/g,
    (_m, prefix: string, w: string) => `${prefix}${WINDOWS[w]}`,
  );

// ---------------------------------------------------------------------------------------------
// Suite state
// ---------------------------------------------------------------------------------------------

let dir = '';
let demo: RunningDemo | undefined;
let slack: FakeSlack | undefined;
let pd: FakePagerDuty | undefined;
let router: TestRouter | undefined;
let prometheus: LocalPrometheus | undefined;
let alertmanager: LocalAlertmanager | undefined;
let promUrl = '';
let amUrl = '';

const promQuery = (query: string): Promise<PromSample[]> => prometheus!.query(query);

/** State of every stage, appended to timeout messages so a failure says where the page got stuck. */
async function diagnostics(): Promise<string> {
  const safe = async (f: () => Promise<unknown>): Promise<string> => {
    try {
      return JSON.stringify(await f());
    } catch (err) {
      return `(${(err as Error).message})`;
    }
  };
  const burn = await safe(() =>
    promQuery('{__name__=~"slo:burn_rate:.*"}').then((r) => r.map((s) => [s.metric.__name__, s.value[1]])),
  );
  const alerts = await safe(() =>
    promQuery('ALERTS').then((r) => r.map((s) => [s.metric.alertname, s.metric.alertstate])),
  );
  const amAlerts = await safe(async () => (await fetch(`${amUrl}/api/v2/alerts`)).json());
  const received = await safe(async () =>
    (await (await fetch(`${router!.url}/metrics`)).text())
      .split('\n')
      .filter(
        (l) =>
          l.startsWith('alert_router_notifications_received_total') ||
          l.startsWith('alert_router_deliveries_total'),
      ),
  );
  return [
    `burn rates: ${burn}`,
    `ALERTS: ${alerts}`,
    `alertmanager alerts: ${amAlerts.slice(0, 2000)}`,
    `router: ${received}`,
    `pagerduty events: ${JSON.stringify(pd?.requests.map((r) => [r.body.event_action, r.status]))}`,
    `slack calls: ${JSON.stringify(slack?.requests.map((r) => [r.method, r.body.text]))}`,
    `prometheus log: ${prometheus?.process.log.slice(-1500)}`,
    `alertmanager log: ${alertmanager?.process.log.slice(-1500)}`,
  ].join('\n');
}

async function waitOrExplain<T>(
  fn: () => Promise<T> | T,
  what: string,
  timeoutMs: number,
): Promise<NonNullable<T>> {
  try {
    return await waitFor(fn, what, timeoutMs, 50);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${await diagnostics()}`, { cause: err });
  }
}

before(async () => {
  // Fail loudly, never skip: a skipped end-to-end test proves nothing.
  requireBinary(PROMETHEUS_BIN, 'prometheus');
  requireBinary(ALERTMANAGER_BIN, 'prometheus-alertmanager');
  dir = mkdtempSync(join(tmpdir(), 'ar-e2e-stack-'));
  const [promPort, amPort] = [await freePort(), await freePort()];
  promUrl = `http://127.0.0.1:${promPort}`;
  amUrl = `http://127.0.0.1:${amPort}`;

  demo = await startDemo({ port: 0 });
  slack = await startFakeSlack();
  pd = await startFakePagerDuty();
  router = await startTestRouter(
    shippedRouterConfig(),
    {
      SLACK_BOT_TOKEN: 'xoxb-e2e-stack',
      SLACK_API_URL: slack.url,
      PAGERDUTY_ROUTING_KEY: PD_KEY,
      PAGERDUTY_EVENTS_URL: pd.eventsUrl,
      WEBHOOK_BEARER_TOKEN: TOKEN,
      // The production example requires read protection (http.readAuth.required).
      READ_BEARER_TOKEN: READ_TOKEN,
      PROMETHEUS_URL: promUrl,
      ALERTMANAGER_URL: amUrl,
      PUBLIC_URL,
    },
    { pagerdutyAgent: pd.agent },
  );

  const tokenFile = join(dir, 'webhook-token');
  writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
  alertmanager = await startAlertmanager(shippedAlertmanagerConfig(router.url, tokenFile), { port: amPort });
  prometheus = await startPrometheus({
    config: shippedPrometheusConfig({
      job: 'inference-gateway',
      target: new URL(demo.url).host,
      alertmanager: `127.0.0.1:${amPort}`,
      // The test-only page alert, plus the shipped SLO recording rules (recording only: the
      // shipped alert of the same name would be a duplicate) so the runbook's live-context queries
      // (slo:burn_rate:1h, budget) have data.
      ruleFiles: [FIXTURE_RULES, SHIPPED_RECORDING],
    }),
    port: promPort,
  });
});

after(async () => {
  // Each step on its own, so one failure does not leave the rest running.
  await cleanUp([
    () => prometheus?.close(),
    () => alertmanager?.close(),
    () => router?.stop(),
    () => slack?.close(),
    () => pd?.close(),
    () => demo?.stop(),
  ]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

test('the test-only rule file mirrors the shipped SLO page alert (windows and for: aside)', () => {
  const check = spawnSync('promtool', ['check', 'rules', FIXTURE_RULES], { encoding: 'utf8' });
  assert.equal(
    check.status,
    0,
    `promtool check rules ${FIXTURE_RULES}: ${check.stdout}${check.stderr}${check.error?.message ?? ''}`,
  );

  const fixture = readRules(FIXTURE_RULES);
  const alerts = fixture.filter((r) => r.alert);
  assert.deepEqual(
    alerts.map((r) => r.alert),
    [ALERTNAME],
    'the fixture holds exactly the page alert',
  );
  const mine = alerts[0]!;
  const shipped = readRules(SHIPPED_ALERTS).find((r) => r.alert === mine.alert);
  assert.ok(shipped, `${mine.alert} is not an alert of ${SHIPPED_ALERTS}`);
  assert.equal(squash(toShippedWindows(mine.expr)), squash(shipped.expr), 'same expression, windows aside');
  assert.deepEqual(mine.labels, shipped.labels, 'same labels (routing)');
  assert.deepEqual(
    mine.annotations,
    shipped.annotations,
    'same annotations (summary, description, runbook_url)',
  );
  assert.ok(
    mine.for && /^\d+s$/.test(mine.for) && Number.parseInt(mine.for, 10) <= 10,
    `for: ${mine.for} is short`,
  );

  // Every recording rule is the shipped one of the matching window.
  const shippedRecords = readRules(SHIPPED_RECORDING).filter((r) => r.record);
  const records = fixture.filter((r) => r.record);
  assert.equal(records.length, Object.keys(WINDOWS).length * 2);
  for (const r of records) {
    const name = toShippedWindows(r.record!);
    assert.notEqual(name, r.record, `${r.record} does not name a scaled window`);
    const twin = shippedRecords.find((s) => s.record === name && s.labels?.slo === r.labels?.slo);
    assert.ok(twin, `${r.record} has no shipped counterpart ${name}`);
    assert.equal(squash(toShippedWindows(r.expr)), squash(twin.expr), `${r.record} mirrors ${name}`);
    assert.deepEqual(r.labels, twin.labels);
  }
});

test(
  'injected errors page through Prometheus, Alertmanager and alert-router, enriched; clearing resolves',
  { timeout: 150_000 },
  async () => {
    const t0 = Date.now();
    const pdCalls = (action: string): PagerDutyRequest[] =>
      pd!.requests.filter((r) => r.body.event_action === action);

    // The short windows need a few scrapes before the burn rates exist.
    await waitOrExplain(
      async () => (await promQuery('up{job="inference-gateway"} == 1')).length === 1,
      'Prometheus scraping the demo',
      15_000,
    );
    await waitOrExplain(
      async () =>
        (await promQuery('slo:burn_rate:30s{slo="availability",service="inference-gateway"}')).length === 1,
      'the 30s burn rate to be recorded',
      20_000,
    );

    // Healthy baseline: the demo's 0.1 % background errors must not page.
    await sleep(BASELINE_MS);
    assert.deepEqual(await promQuery(`ALERTS{alertname="${ALERTNAME}"}`), [], 'no page while healthy');
    assert.equal(pd!.requests.length, 0, 'no PagerDuty event while healthy');
    assert.equal(slack!.requests.length, 0, 'no Slack message while healthy');
    const healthyBurn = Number(
      (await promQuery('slo:burn_rate:10s{slo="availability"}'))[0]?.value[1] ?? NaN,
    );

    // ---- fault ----
    const inject = await fetch(`${demo!.url}/fault`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errorRate: 0.5 }),
    });
    assert.equal(inject.status, 200, await inject.text());
    const faultAt = Date.now();

    const trigger = await waitOrExplain(
      () => pdCalls('trigger')[0],
      'the PagerDuty trigger',
      PAGE_TIMEOUT_MS,
    );
    const post = await waitOrExplain(() => slack!.calls('chat.postMessage')[0], 'the Slack message', 10_000);
    // Prometheus >= 2.42 sends the time the alert started *firing* (after for:) as startsAt.
    const firedAt = Date.parse(String((trigger.body.payload as { timestamp?: string }).timestamp));
    const faultToPage = (trigger.at - faultAt) / 1000;
    console.log(
      `e2e: fault to page ${faultToPage.toFixed(1)} s (alert startsAt ${((firedAt - faultAt) / 1000).toFixed(1)} s after the fault, ` +
        `Slack after ${((post.at - faultAt) / 1000).toFixed(1)} s; healthy burn ${healthyBurn.toFixed(2)})`,
    );

    // PagerDuty: a critical trigger for the SLO page alert, with the runbook link and live context.
    assert.equal(trigger.status, 202, JSON.stringify(trigger.body));
    assert.equal(trigger.body.routing_key, PD_KEY);
    const payload = trigger.body.payload as {
      summary: string;
      severity: string;
      class: string;
      component?: string;
      group?: string;
      custom_details: {
        common_labels: Record<string, string>;
        common_annotations: Record<string, string>;
        live_context?: string;
        alerts: Array<{
          labels: Record<string, string>;
          live?: {
            value?: string;
            sparkline?: string;
            values?: Array<{ name: string; value: string; unit?: string }>;
          };
        }>;
      };
    };
    assert.equal(payload.class, ALERTNAME);
    assert.equal(payload.severity, 'critical');
    assert.equal(payload.component, 'inference-gateway');
    assert.equal(payload.group, 'ml-platform');
    assert.equal(
      payload.summary,
      `[1] ${ALERTNAME}: inference-gateway availability SLO: error budget burning fast`,
    );
    assert.equal(payload.custom_details.common_labels.slo, 'availability');
    assert.equal(
      payload.custom_details.common_labels.replica,
      undefined,
      'alert_relabel_configs drops replica',
    );
    assert.equal(
      payload.custom_details.common_annotations.runbook_url,
      `http://localhost:8080/runbooks/${ALERTNAME}`,
      'the rule annotation travels with the page',
    );
    const links = trigger.body.links as Array<{ href: string; text: string }>;
    assert.ok(
      links.some((l) => l.text === 'Runbook' && l.href === `${PUBLIC_URL}/runbooks/${ALERTNAME}`),
      `runbook link in ${JSON.stringify(links)}`,
    );
    assert.ok(
      links.some(
        (l) => l.text === 'Silence in Alertmanager' && l.href.startsWith(`${amUrl}/#/silences/new?filter=`),
      ),
    );
    assert.equal(
      payload.custom_details.live_context,
      undefined,
      `live context unavailable: ${payload.custom_details.live_context}`,
    );
    const live = payload.custom_details.alerts[0]?.live;
    assert.ok(
      live?.value,
      `PagerDuty event carries the live value: ${JSON.stringify(payload.custom_details.alerts[0])}`,
    );
    // The live value is the alert expression's current value: the short-window burn rate, far above 14.4 at 50 % errors.
    const liveBurn = Number(live.value.replace(/[^\d.]/g, ''));
    assert.ok(liveBurn > 14.4, `live burn rate ${live.value} should be above 14.4`);
    console.log(`e2e: live context on the page: value ${live.value}, sparkline "${live.sparkline ?? ''}"`);

    // Slack: the critical channel, the alert, and the enrichment line ("Now: *<value>*  <sparkline>").
    assert.equal(post.headers.authorization, 'Bearer xoxb-e2e-stack');
    assert.equal(post.body.channel, '#alerts-critical');
    assert.equal((post.response?.body as { channel?: string }).channel, SLACK_CHANNEL_ID);
    assert.match(String(post.body.text), new RegExp(`^FIRING 1/1 \\[CRITICAL\\] ${ALERTNAME}: `));
    const blocksText = JSON.stringify(post.body.blocks);
    assert.ok(!blocksText.includes('live context unavailable'), `Slack shows no live context: ${blocksText}`);
    const section = (post.body.blocks as Array<{ type: string; text?: { text: string } }>).find(
      (b) => b.type === 'section' && b.text?.text.includes(':fire:'),
    );
    assert.ok(section?.text, `no alert section in ${blocksText}`);
    assert.match(section.text.text, /inference-gateway availability SLO: error budget burning fast/);
    assert.match(
      section.text.text,
      /\nNow: \*[^*\n]+\*/,
      `the enrichment line is missing: ${section.text.text}`,
    );
    if (live.sparkline)
      assert.ok(section.text.text.includes(live.sparkline), 'Slack shows the same sparkline');
    // The runbook's context queries (runbooks/SLOAvailabilityBurnRatePage.md), answered by the shipped recording rules.
    const contextValues = live.values ?? [];
    assert.ok(contextValues.length > 0, `no runbook context values in ${JSON.stringify(live)}`);
    for (const v of contextValues) {
      assert.notEqual(v.value, 'no data', `runbook context ${v.name} has no data`);
      assert.ok(section.text.text.includes(`${v.name}: *${v.value}`), `Slack shows ${v.name}`);
    }
    console.log(
      `e2e: runbook context: ${contextValues.map((v) => `${v.name}=${v.value}${v.unit ? ` ${v.unit}` : ''}`).join(', ')}`,
    );
    // The runbook link leads to a page alert-router actually serves.
    // (A reader signs in: the production example protects the pages.)
    assert.equal((await fetch(`${router!.url}/runbooks/${ALERTNAME}`)).status, 401);
    const runbookPage = await fetch(`${router!.url}/runbooks/${ALERTNAME}`, {
      headers: { authorization: `Bearer ${READ_TOKEN}` },
    });
    assert.equal(runbookPage.status, 200, `GET /runbooks/${ALERTNAME}`);
    assert.match(await runbookPage.text(), /availability SLO/i);
    assert.ok(blocksText.includes(`${PUBLIC_URL}/runbooks/${ALERTNAME}`), 'Slack links the runbook');

    // Alertmanager routed it as shipped: the SLO page receiver, not the generic critical one.
    const metrics = await (await fetch(`${router!.url}/metrics`)).text();
    assert.match(
      metrics,
      /^alert_router_notifications_received_total\{receiver="slo-page",status="firing",outcome="queued"\} \d+$/m,
    );
    assert.doesNotMatch(metrics, /receiver="critical"/);

    // ---- clear ----
    const clear = await fetch(`${demo!.url}/fault`, { method: 'DELETE' });
    assert.equal(clear.status, 200, await clear.text());
    const clearAt = Date.now();
    const resolved = await waitOrExplain(
      () => pdCalls('resolve')[0],
      'the PagerDuty resolve',
      RESOLVE_TIMEOUT_MS,
    );
    const update = await waitOrExplain(
      () => slack!.calls('chat.update').find((u) => String(u.body.text).startsWith('RESOLVED')),
      'the Slack update to RESOLVED',
      10_000,
    );
    console.log(
      `e2e: clear to resolve ${((resolved.at - clearAt) / 1000).toFixed(1)} s (Slack updated after ${((update.at - clearAt) / 1000).toFixed(1)} s); ` +
        `whole test ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    assert.equal(resolved.status, 202, JSON.stringify(resolved.body));
    assert.equal(resolved.body.dedup_key, trigger.body.dedup_key, 'the same PagerDuty incident resolves');
    assert.equal(update.body.channel, SLACK_CHANNEL_ID);
    assert.equal(update.body.ts, slack!.tsOf(post), 'the original message is updated in place');
    assert.match(String(update.body.text), new RegExp(`^RESOLVED \\[CRITICAL\\] ${ALERTNAME}`));
    assert.deepEqual(
      pd!.requests.map((r) => r.body.event_action),
      ['trigger', 'resolve'],
      'one page, one resolve',
    );
    assert.equal(
      slack!.calls('chat.postMessage').filter((p) => !p.body.thread_ts).length,
      1,
      'one Slack message per incident',
    );
  },
);
