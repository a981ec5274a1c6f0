/**
 * What Slack receives, through the whole pipeline against a real Prometheus only seconds old (the
 * first hour of a new user): a 30-day error budget says how little history it rests on, a burn
 * rate reads as a factor, a trend of one sample is not drawn, times are Slack date tokens, and a
 * resolved message says how long the alert fired and its peak, without the steps, the silence
 * button or the value against its threshold.
 *
 *   node --import tsx --test test/integration/figures-in-slack.test.ts
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { WebhookPayload } from '../../src/alert/webhook-payload.js';
import { formatDuration } from '../../src/alert/format-duration.js';
import { createLiveContext } from '../../src/enrichment/live-context-adapter.js';
import { createPrometheusClient } from '../../src/enrichment/prometheus-client.js';
import { QueryCache } from '../../src/enrichment/query-cache.js';
import { parseRunbook } from '../../src/runbooks/parse-runbook.js';
import { startFakeSlack, type FakeSlack, type SlackRequest } from '../../support/fake-slack.js';
import { startMetricsTarget, type MetricsTarget, type TargetSeries } from '../helpers/metrics-target.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';
import { postWebhook, settled } from '../helpers/webhook-client.js';
import { startPrometheus, type LocalPrometheus } from '../../support/prometheus-server.js';
import { waitFor } from '../../support/wait.js';
import { blockKitProblems } from '../helpers/block-kit-limits.js';

const LABELS = { service: 'checkout', slo: 'availability' };
const EXPR =
  'slo:burn_rate:5m{service="checkout"} > 14.4 and slo:burn_rate:1h{service="checkout"} > 14.4';
const RUNBOOK = `---
title: Checkout budget burn
alerts: [CheckoutBudgetBurn]
summary: Checkout spends its error budget too fast.
context:
  - name: budget_remaining
    query: 'test:error_budget_remaining{service="{{ service }}"}'
    unit: ratio
  - name: error_ratio
    query: 'demo_error_ratio{service="{{ service }}"}'
    unit: ratio
  - name: budget_all
    query: 'test:error_budget_remaining'
    unit: ratio
first_steps:
  - Look at the checkout dashboard
  - Roll back the last deploy
---
# Checkout budget burn
`;
// A 30-day budget as the shipped rules compute it (prometheus/rules/slo_recording.rules.yml),
// behind two recording rules, so its window is visible only through the rules.
const RULES = `groups:
  - name: budget
    interval: 1s
    rules:
      - record: test:error_ratio:ratio_rate30d
        expr: sum by (service) (sum_over_time(demo_error_ratio[30d])) / sum by (service) (count_over_time(demo_error_ratio[30d]))
      - record: test:error_budget_remaining
        expr: 1 - test:error_ratio:ratio_rate30d / (1 - 0.995)
`;

const series = (burn5m: number): TargetSeries[] => [
  { name: 'slo:burn_rate:5m', labels: LABELS, value: burn5m },
  { name: 'slo:burn_rate:1h', labels: LABELS, value: 20 },
  { name: 'demo_error_ratio', labels: { service: 'checkout' }, value: 0.12 },
];

const textOf = (r: SlackRequest): string => JSON.stringify(r.body.blocks);
const sectionsOf = (r: SlackRequest): string =>
  (r.body.blocks as Array<{ type: string; text?: { text: string } }>)
    .filter((b) => b.type === 'section')
    .map((b) => b.text?.text ?? '')
    .join('\n');
const DATE = /<!date\^(\d+)\^\{date_short_pretty\} \{time\}\|(\d{4}-\d\d-\d\d \d\d:\d\d) UTC>/;

function payload(status: 'firing' | 'resolved', startsAt: string, endsAt: string, groupKey: string): WebhookPayload {
  // As Prometheus fires it: the series' own labels, job and instance of the scrape included.
  const labels = {
    alertname: 'CheckoutBudgetBurn',
    severity: 'critical',
    ...LABELS,
    job: 'target',
    instance: target.address,
  };
  return {
    version: '4',
    groupKey,
    truncatedAlerts: 0,
    status,
    receiver: 'alert-router',
    groupLabels: { alertname: 'CheckoutBudgetBurn' },
    commonLabels: labels,
    commonAnnotations: { summary: 'Checkout burns its error budget' },
    externalURL: 'http://alertmanager:9093',
    alerts: [
      {
        status,
        labels,
        annotations: { summary: 'Checkout burns its error budget' },
        startsAt,
        endsAt,
        generatorURL: `http://prometheus.elsewhere.invalid/graph?g0.expr=${encodeURIComponent(EXPR)}&g0.tab=1`,
        fingerprint: 'f1c0ffee00000001',
      },
    ],
  };
}

let dir: string;
let target: MetricsTarget;
let prom: LocalPrometheus;
let slack: FakeSlack;
let router: TestRouter;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ar-figures-'));
  writeFileSync(join(dir, 'CheckoutBudgetBurn.md'), RUNBOOK);
  writeFileSync(join(dir, 'rules.yml'), RULES);
  target = await startMetricsTarget(series(30));
  prom = await startPrometheus({
    config: [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      `rule_files: [${JSON.stringify(join(dir, 'rules.yml'))}]`,
      'scrape_configs:',
      '  - job_name: target',
      '    honor_labels: true',
      '    static_configs:',
      `      - targets: [${JSON.stringify(target.address)}]`,
    ].join('\n'),
  });
  await prom.waitFor('test:error_budget_remaining');
  await prom.waitFor('slo:burn_rate:5m > 14.4');
  slack = await startFakeSlack();
  router = await startTestRouter(
    {
      channels: { slack: { type: 'slack', channel: '#alerts' } },
      defaultChannels: ['slack'],
      enrichment: { budgetMs: 5000 },
    },
    {
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_API_URL: slack.url,
      WEBHOOK_BEARER_TOKEN: 't',
      PROMETHEUS_URL: prom.url,
      RUNBOOKS_DIR: dir,
    },
  );
});
after(async () => {
  await router?.stop();
  await slack?.close();
  await prom?.close();
  await target?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('figures in Slack from a Prometheus seconds old', () => {
  const groupKey = `{}:{alertname="CheckoutBudgetBurn"}/${randomUUID()}`;
  let startsAt: string;
  let ts: string;

  test('firing: the budget says how little history it rests on, the burn rate is a factor, no one-sample trend, a date token', async () => {
    startsAt = new Date(Date.now() - 2000).toISOString();
    const mark = slack.calls('chat.postMessage').length;
    await postWebhook(router.url, payload('firing', startsAt, '0001-01-01T00:00:00Z', groupKey));
    await waitFor(() => slack.calls('chat.postMessage').length > mark, 'chat.postMessage', 20_000);
    await settled(router);
    const post = slack.calls('chat.postMessage')[mark]!;
    ts = slack.tsOf(post);
    assert.deepEqual(blockKitProblems(post.body), []);
    const text = sectionsOf(post);
    assert.match(text, /Now: \*30× budget burn rate\*\n/);
    assert.match(text, /slo:burn_rate:5m: \*30× budget burn rate\* \(fires when &gt; 14\.4×\)/);
    // 1 - 0.12 / 0.005 = -23: true of the data there is, which is seconds, not 30 days.
    assert.match(text, /budget_remaining: \*-2300 %\* over the last \d+ s of data \(window 30 d\)/);
    assert.match(text, /error_ratio: \*12 %\*\n/, 'a 0-range figure carries no history note');
    assert.doesNotMatch(text, /[▁▂▃▄▅▆▇█]/, 'one sample is no trend');
    assert.match(text, /1\. Look at the checkout dashboard/);
    const since = new RegExp(`since ${DATE.source}`).exec(text);
    assert.ok(since, text);
    assert.equal(Number(since[1]), Math.floor(Date.parse(startsAt) / 1000));
    assert.equal(`${since[2]}`, startsAt.slice(0, 16).replace('T', ' '));
  });

  test('resolved: how long it fired and its peak; no steps, silence button or value against the threshold', async () => {
    target.set(series(1));
    await prom.waitFor('slo:burn_rate:5m < 2');
    const endsAt = new Date().toISOString();
    const mark = slack.requests.length;
    await postWebhook(router.url, payload('resolved', startsAt, endsAt, groupKey));
    await waitFor(() => slack.requests.length >= mark + 2, 'chat.update and the thread reply', 20_000);
    await settled(router);
    const [update, reply] = slack.requests.slice(mark);
    assert.equal(update!.method, 'chat.update');
    assert.equal(update!.body.ts, ts);
    assert.deepEqual(blockKitProblems(update!.body), []);
    const text = sectionsOf(update!);
    const firedFor = formatDuration(Math.round((Date.parse(endsAt) - Date.parse(startsAt)) / 1000));
    assert.match(text, new RegExp(`Fired for \\*${firedFor}\\*, peak \\*30× budget burn rate\\*`));
    assert.doesNotMatch(text, /Now:|fires when|Look at the checkout dashboard|budget_remaining/);
    assert.match(text, new RegExp(`fired ${DATE.source}, resolved ${DATE.source}`));
    assert.doesNotMatch(textOf(update!), /"action_id":"silence"/);
    assert.match(textOf(update!), /"action_id":"runbook"/);

    assert.equal(reply!.method, 'chat.postMessage');
    assert.equal(reply!.body.thread_ts, ts);
    assert.match(
      String(reply!.body.text),
      new RegExp(`All alerts in this group are resolved at ${DATE.source}\\. Fired for \\*${firedFor}\\*, peak \\*30× budget burn rate\\*\\.`),
    );
  });

  test('the runbook page figures: the budget carries its history too', async () => {
    const live = createLiveContext(createPrometheusClient({ url: prom.url }), new QueryCache(), {
      timeoutMs: 5000,
    });
    const rb = parseRunbook('CheckoutBudgetBurn.md', RUNBOOK);
    const values = await live.queryValues(rb, LABELS, AbortSignal.timeout(5000));
    const budget = values.find((v) => v.name === 'budget_remaining');
    assert.ok(budget?.history, JSON.stringify(values));
    assert.equal(budget.history.windowSeconds, 30 * 86400);
    assert.ok(budget.history.dataSeconds < 600, `${budget.history.dataSeconds} s`);
    assert.equal(values.find((v) => v.name === 'error_ratio')?.history, undefined);
  });

  test('the runbook page shows the history note, and no one-dot chart', async () => {
    // Without Alertmanager no instance fills {{ service }}: the label-free figure is shown and charted.
    const res = await fetch(`${router.url}/runbooks/CheckoutBudgetBurn`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<span>budget_all<\/span><b>-2300 %<\/b><span>over the last \d+ s of data \(window 30 d\)<\/span>/);
    assert.match(html, /\d+ samples? so far: too few for a trend \(5 needed\)/);
    assert.doesNotMatch(html, /<polyline/);
  });
});
