import assert from 'node:assert/strict';
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { WebhookPayload } from '../../src/alert/webhook-payload.js';
import { createEnricher } from '../../src/enrichment/enrich-notification.js';
import { createLiveContext } from '../../src/enrichment/live-context-adapter.js';
import { createPrometheusClient } from '../../src/enrichment/prometheus-client.js';
import { PrometheusError } from '../../src/enrichment/prometheus-error.js';
import { PromqlEscapeError } from '../../src/enrichment/promql-escape.js';
import { QueryCache } from '../../src/enrichment/query-cache.js';
import { renderQuery } from '../../src/enrichment/render-query.js';
import type { Runbook } from '../../src/runbooks/runbook.js';
import { parse as parseYaml } from 'yaml';
import { fixture } from '../../support/fixtures.js';
import { backfillText, startMetricsTarget, type MetricsTarget } from '../helpers/metrics-target.js';
import { freePort } from '../../support/free-port.js';
import { startCountingProxy } from '../helpers/counting-proxy.js';
import { startPrometheus, type LocalPrometheus } from '../../support/prometheus-server.js';
import { startTestRouter } from '../helpers/start-test-router.js';
import { waitFor } from '../../support/wait.js';

const HOSTILE = ['a"b', 'back\\slash', 'line\nbreak', '"} or vector(1) or up{a="', 'ünïcødé ✓ 🚀', 'clean'];
const genUrl = (expr: string): string =>
  `http://prometheus.elsewhere.invalid:9090/graph?g0.expr=${encodeURIComponent(expr)}&g0.tab=1`;

const runbook: Runbook = {
  name: 'CheckoutTrend',
  file: 'CheckoutTrend.md',
  title: 'Checkout trend',
  alerts: ['CheckoutTrend'],
  summary: 'Checkout is trending up.',
  links: [],
  dashboards: [],
  context: [
    { name: 'latency', query: 'demo_latency_seconds{service="{{ service }}"}', unit: 'seconds' },
    { name: 'needs a missing label', query: 'demo_latency_seconds{pod="{{ pod }}"}' },
  ],
  firstSteps: ['Look at the dashboard', 'Roll back'],
  body: '',
};
const runbooks = { forAlert: (n: string) => (n === 'CheckoutTrend' ? runbook : undefined) };

/** The `expr` of one alerting rule as shipped in prometheus/rules. */
function shippedExpression(file: string, alert: string): string {
  const rules = parseYaml(
    readFileSync(new URL(`../../prometheus/rules/${file}`, import.meta.url), 'utf8'),
  ) as {
    groups: Array<{ rules: Array<{ alert?: string; expr: string }> }>;
  };
  const expr = rules.groups.flatMap((g) => g.rules).find((r) => r.alert === alert)?.expr;
  assert.ok(expr, `${alert} in ${file}`);
  return expr;
}
const BURN = { slo: 'availability', service: 'inference-gateway' };
const BURN_RATES = { '5m': 16.2, '1h': 15, '30m': 3, '6h': 2 };

function payload(
  alerts: Array<{ labels: Record<string, string>; expr: string; fp: string }>,
): WebhookPayload {
  return {
    version: '4',
    groupKey: '{}:{alertname="CheckoutTrend"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'alert-router',
    groupLabels: {},
    commonLabels: { alertname: 'CheckoutTrend' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: alerts.map((a) => ({
      status: 'firing',
      labels: { alertname: 'CheckoutTrend', ...a.labels },
      annotations: { summary: 'checkout trend' },
      startsAt: new Date().toISOString(),
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: genUrl(a.expr),
      fingerprint: a.fp,
    })),
  };
}

let target: MetricsTarget;
let prom: LocalPrometheus;

before(async () => {
  target = await startMetricsTarget([
    {
      name: 'demo_latency_seconds',
      labels: { service: 'checkout', job: 'demo', instance: 'i1' },
      value: 0.0123,
    },
    ...HOSTILE.map((v, i) => ({ name: 'demo_hostile', labels: { v }, value: i + 1 })),
    ...Object.entries(BURN_RATES).map(([w, value]) => ({ name: `slo:burn_rate:${w}`, labels: BURN, value })),
  ]);
  prom = await startPrometheus({
    targets: [target.address],
    backfill: [backfillText('demo_trend', { service: 'checkout' }, (ago) => 60 - ago)],
  });
  await prom.waitFor('demo_hostile', HOSTILE.length);
  await prom.waitFor('{__name__=~"slo:burn_rate:.*"}', Object.keys(BURN_RATES).length);
});
after(async () => {
  await prom?.close();
  await target?.close();
});

describe('escaping against a real Prometheus', () => {
  const client = (): ReturnType<typeof createPrometheusClient> => createPrometheusClient({ url: prom.url });
  for (const [i, v] of HOSTILE.entries()) {
    it(`label value ${JSON.stringify(v)} reaches Prometheus as one literal`, async () => {
      for (const template of [
        'demo_hostile{v="{{ v }}"}',
        'demo_hostile{v={{v}}}',
        'demo_hostile{v=~"{{ v }}"}',
      ]) {
        const q = renderQuery(template, { v })!;
        const r = await client().query(q, { signal: AbortSignal.timeout(5000) });
        assert.equal(r.series.length, 1, `${template} -> ${q}`);
        assert.equal(r.series[0]!.labels.v, v);
        assert.equal(r.series[0]!.value, String(i + 1));
      }
    });
  }
  it('an injection attempt finds no series instead of vector(1)', async () => {
    const q = renderQuery('up{job="{{ job }}"}', { job: 'nope"} or vector(1) or up{a="' })!;
    const r = await client().query(q, { signal: AbortSignal.timeout(5000) });
    assert.deepEqual(r.series, []);
  });
  it('a lone surrogate is rejected before any request', () => {
    assert.throws(() => renderQuery('demo_hostile{v="{{ v }}"}', { v: 'x\uD800' }), PromqlEscapeError);
  });
  it('Prometheus errors become typed errors', async () => {
    await assert.rejects(client().query('sum(', { signal: AbortSignal.timeout(5000) }), (e: unknown) => {
      assert.ok(e instanceof PrometheusError);
      assert.equal(e.kind, 'bad_request');
      assert.equal(e.status, 400);
      return true;
    });
  });
});

describe('enrichNotification against a real Prometheus', () => {
  it('adds the current value, threshold, trend, context values and runbook; asks only PROMETHEUS_URL', async () => {
    const proxy = await startCountingProxy(prom.url);
    try {
      const enrich = createEnricher({
        client: createPrometheusClient({ url: proxy.url }),
        cache: new QueryCache(),
        runbooks,
        budgetMs: 3000,
      });
      const labels = { service: 'checkout', job: 'demo', instance: 'i1' };
      const ctx = await enrich(payload([{ labels, expr: 'demo_trend{service="checkout"} > 10', fp: 'f1' }]));
      assert.equal(ctx.available, true, ctx.reason);
      const a = ctx.alerts.f1!;
      assert.equal(a.value, '59');
      assert.equal(a.threshold, '> 10');
      assert.ok(a.sparkline && a.sparkline.includes('▁') && a.sparkline.includes('█'), a.sparkline);
      assert.deepEqual(a.values, [{ name: 'latency', value: '12.3', unit: 'ms' }]);
      assert.deepEqual(ctx.runbooks.CheckoutTrend, {
        summary: 'Checkout is trending up.',
        firstSteps: ['Look at the dashboard', 'Roll back'],
      });
      // Three distinct queries (now, trend, one context query); the one needing `pod` was skipped.
      assert.deepEqual(proxy.requests.map((r) => r.path).sort(), [
        '/api/v1/query',
        '/api/v1/query',
        '/api/v1/query_range',
      ]);
      assert.ok(proxy.requests.every((r) => !r.query.includes('elsewhere')));
    } finally {
      await proxy.close();
    }
  });

  it('a multi-window burn-rate alert (as shipped) shows each window against its threshold', async () => {
    const enrich = createEnricher({
      client: createPrometheusClient({ url: prom.url }),
      cache: new QueryCache(),
      budgetMs: 3000,
    });
    const expr = shippedExpression('slo_alerts.rules.yml', 'SLOAvailabilityBurnRatePage');
    // The alert carries the labels of the series that fired (scraped here, so with job and instance).
    const labels = { ...BURN, job: 'target', instance: target.address, severity: 'critical' };
    const ctx = await enrich(payload([{ labels, expr, fp: 'burn' }]));
    assert.equal(ctx.available, true, ctx.reason);
    const a = ctx.alerts.burn!;
    assert.equal(a.value, '16.2× budget burn rate', 'the whole expression: the 5m burn rate, left of `and`');
    assert.equal(a.threshold, undefined, 'no single threshold for the whole expression');
    assert.deepEqual(a.values, [
      { name: 'slo:burn_rate:5m', value: '16.2', unit: '× budget burn rate', threshold: '> 14.4×' },
      { name: 'slo:burn_rate:1h', value: '15', unit: '× budget burn rate', threshold: '> 14.4×' },
      { name: 'slo:burn_rate:30m', value: '3', unit: '× budget burn rate', threshold: '> 6×' },
      { name: 'slo:burn_rate:6h', value: '2', unit: '× budget burn rate', threshold: '> 6×' },
    ]);
  });

  it('coalesces a 1,000-alert storm: requests equal distinct queries, however many notifications', async () => {
    const proxy = await startCountingProxy(prom.url);
    try {
      const enrich = createEnricher({
        client: createPrometheusClient({ url: proxy.url }),
        cache: new QueryCache(),
        budgetMs: 3000,
      });
      const storm = fixture('group-1000');
      const distinct = enrich.plan(storm).queries.size;
      assert.equal(distinct, 2); // one rule: its value now and its trend
      const results = await Promise.all(Array.from({ length: 5 }, () => enrich(storm)));
      assert.ok(results.every((r) => r.available));
      assert.equal(proxy.requests.length, distinct);
    } finally {
      await proxy.close();
    }
  });
});

describe('LiveContext for the runbook pages', () => {
  it('answers context values and a chart from the same client and cache', async () => {
    const live = createLiveContext(createPrometheusClient({ url: prom.url }), new QueryCache(), {
      timeoutMs: 3000,
    });
    const values = await live.queryValues(runbook, { service: 'checkout' });
    assert.deepEqual(values, [{ name: 'latency', value: '0.0123', unit: 'seconds' }]);
    const samples = await live.queryRange('demo_trend{service="checkout"}', 1, AbortSignal.timeout(3000));
    assert.ok(samples.length > 20, `${samples.length} samples`);
    assert.ok(samples.every(([t, v]) => t > 0 && v >= 0 && v <= 60));
    await assert.rejects(
      createLiveContext(createPrometheusClient({ url: prom.url }), new QueryCache(), {
        timeoutMs: 3000,
      }).queryRange('sum(', 1),
    );
  });
});

describe('coalescing, counted on a fake Prometheus', () => {
  it('1,000 callers needing one query send exactly one request', async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits++;
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            status: 'success',
            data: { resultType: 'vector', result: [{ metric: {}, value: [0, '1'] }] },
          }),
        );
      }, 100);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const client = createPrometheusClient({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      });
      const cache = new QueryCache();
      const signal = AbortSignal.timeout(5000);
      setMaxListeners(1100, signal);
      const answers = await Promise.all(
        Array.from({ length: 1000 }, () =>
          cache.get('instant:up', () => client.query('up', { signal }), signal),
        ),
      );
      assert.equal(answers.length, 1000);
      assert.equal(hits, 1);
      await cache.get('instant:up', () => client.query('up', { signal }), signal); // served from cache
      assert.equal(hits, 1);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('concurrency, counted on a local Prometheus', () => {
  it('two notifications at once never have more than `concurrency` requests in flight', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let hits = 0;
    const server = createServer((_req, res) => {
      hits++;
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }));
      }, 20);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const enrich = createEnricher({
        client: createPrometheusClient({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
        cache: new QueryCache(),
        budgetMs: 10_000,
        concurrency: 2,
      });
      // Distinct expressions, so nothing coalesces: every alert needs its own queries.
      const notification = (tag: string): WebhookPayload => {
        const p = fixture('firing');
        p.alerts = Array.from({ length: 5 }, (_, i) => ({
          ...p.alerts[0]!,
          fingerprint: `${tag}${i}`,
          generatorURL: genUrl(`rate(requests_${tag}_${i}_total[5m]) > 1`),
        }));
        return p;
      };
      const [a, b] = await Promise.all([enrich(notification('a')), enrich(notification('b'))]);
      assert.ok(a.available && b.available, JSON.stringify([a.reason, b.reason]));
      assert.equal(hits, 20, 'an instant and a range query per alert');
      assert.equal(maxInFlight, 2);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('delivery when Prometheus is down, slow or erroring', () => {
  const BUDGET = 800;
  const SLACK = 2500;
  const servers: Server[] = [];
  const serve = async (handler: Parameters<typeof createServer>[1]): Promise<string> => {
    const s = createServer(handler);
    servers.push(s);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  };
  after(async () => {
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  });

  const cases: Array<[string, () => Promise<string>, RegExp]> = [
    ['down (closed port)', async () => `http://127.0.0.1:${await freePort()}`, /unreachable/],
    ['slow (never answers)', () => serve(() => undefined), /did not answer within/],
    [
      'erroring (503)',
      () =>
        serve((_q, s) =>
          s
            .writeHead(503, { 'content-type': 'application/json' })
            .end('{"status":"error","errorType":"timeout","error":"query timed out"}'),
        ),
      /unavailable \(HTTP 503\)/,
    ],
    [
      'erroring (422)',
      () =>
        serve((_q, s) =>
          s
            .writeHead(422, { 'content-type': 'application/json' })
            .end('{"status":"error","errorType":"execution","error":"boom"}'),
        ),
      /rejected the query \(HTTP 422\)/,
    ],
  ];
  for (const [name, url, reason] of cases) {
    it(`${name}: delivered within budget + slack, marked "live context unavailable"`, async () => {
      const router = await startTestRouter(
        {
          channels: { outbox: { type: 'outbox' } },
          defaultChannels: ['outbox'],
          enrichment: { budgetMs: BUDGET },
        },
        { PROMETHEUS_URL: await url() },
      );
      try {
        const body = fixture('firing');
        const started = Date.now();
        const res = await fetch(`${router.url}/webhook/alertmanager`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        assert.equal(res.status, 200);
        const entry = await waitFor(
          async () => {
            const r = (await (await fetch(`${router.url}/api/outbox`)).json()) as {
              entries: Array<{ rendered: { slack: { blocks: unknown[] }; email: { text: string } } }>;
            };
            return r.entries[0];
          },
          'the outbox delivery',
          BUDGET + SLACK + 2000,
          25,
        );
        const took = Date.now() - started;
        assert.ok(took <= BUDGET + SLACK, `delivered after ${took} ms`);
        const slack = JSON.stringify(entry.rendered.slack.blocks);
        assert.match(slack, /live context unavailable/);
        assert.match(slack, reason);
        assert.match(entry.rendered.email.text, /Live context unavailable/);
        // The runbook comes from memory, not Prometheus: its summary and filled steps stay.
        assert.match(slack, /One instance of a service answered more than 5 %/);
        assert.match(entry.rendered.email.text, /\.run\/logs\/inference-gateway\.log/);
        // Counted as sent without context, its time and its queries visible to the operator.
        const metrics = await (await fetch(`${router.url}/metrics`)).text();
        assert.match(metrics, /^alert_router_enrichments_total\{outcome="unavailable"\} 1$/m);
        assert.match(metrics, /^alert_router_enrichments_total\{outcome="full"\} 0$/m);
        assert.match(metrics, /^alert_router_enrichment_duration_seconds_count 1$/m);
        assert.match(metrics, /^alert_router_enrichment_cache_lookups_total\{result="miss"\} [1-9]/m);
      } finally {
        await router.stop();
      }
    });
  }
});
