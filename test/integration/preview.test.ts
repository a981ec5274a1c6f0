import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixture, fixtureText } from '../../support/fixtures.js';
import { startMetricsTarget, type MetricsTarget } from '../helpers/metrics-target.js';
import { startPrometheus, type LocalPrometheus } from '../../support/prometheus-server.js';
import { sleep } from '../../support/wait.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';

const TOKEN = 'preview-test-token';

let target: MetricsTarget;
let prom: LocalPrometheus;
let router: TestRouter;

let ticker: NodeJS.Timeout | undefined;

before(async () => {
  // The fixture's rule is an error ratio of http_requests_total: serve growing counters for it.
  const labels = {
    service: 'inference-gateway',
    instance: 'inference-gateway-0:8080',
    job: 'inference-gateway',
  };
  let n = 0;
  const series = (): Parameters<MetricsTarget['set']>[0] => [
    { name: 'http_requests_total', labels: { ...labels, code: '200' }, value: n * 90 },
    { name: 'http_requests_total', labels: { ...labels, code: '503' }, value: n * 10 },
  ];
  target = await startMetricsTarget(series());
  ticker = setInterval(() => {
    n++;
    target.set(series());
  }, 200);
  prom = await startPrometheus({ targets: [target.address] });
  await prom.waitFor('rate(http_requests_total{code="503"}[5m]) > 0');
  router = await startTestRouter(
    {
      channels: { outbox: { type: 'outbox' }, ops: { type: 'outbox' } },
      routes: [{ matchers: ['severity="critical"'], channels: ['ops'], continue: true }],
      defaultChannels: ['outbox'],
    },
    { PROMETHEUS_URL: prom.url, WEBHOOK_BEARER_TOKEN: TOKEN },
  );
});
after(async () => {
  clearInterval(ticker);
  await router?.stop();
  await prom?.close();
  await target?.close();
});

const post = (body: string, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${router.url}/api/preview`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers },
    body,
  });

describe('POST /api/preview', () => {
  it('returns every channel rendering, enriched, and sends nothing', async () => {
    const res = await post(fixtureText('firing'));
    assert.equal(res.status, 200);
    const out = (await res.json()) as {
      channels: string[];
      slack: { text: string; blocks: Array<{ type: string }> };
      pagerduty: { event_action: string; dedup_key: string; routing_key?: string; links: unknown[] };
      email: { subject: string; text: string; html: string };
      context: { available: boolean; alerts: Record<string, { value?: string }> };
    };
    assert.ok(out.channels.length >= 1);
    assert.ok(out.slack.text.length > 0);
    assert.equal(out.slack.blocks[0]!.type, 'header');
    assert.equal(out.pagerduty.event_action, 'trigger');
    assert.equal(out.pagerduty.routing_key, undefined);
    assert.match(out.email.subject, /FIRING/);
    assert.match(out.email.html, /^<!doctype html>/);
    assert.equal(out.context.available, true);
    assert.ok(Object.keys(out.context.alerts).length > 0, JSON.stringify(out.context));
    const live = Object.values(out.context.alerts)[0]!;
    assert.equal(live.value, '0.1', JSON.stringify(live)); // 10 errors in 100 requests
    assert.match(JSON.stringify(out.slack.blocks), /Now: \*0\.1\* \(fires when &gt; 0\.05\)/);
    assert.match(out.email.text, /now: 0\.1 \(fires when > 0\.05\)/);
    assert.match(out.email.html, />now<\/td>\s*<td[^>]*><b>0\.1<\/b> <span[^>]*>fires when &gt; 0\.05<\/span>/);

    await sleep(300);
    const counts = await router.queues.notifications.getJobCounts();
    const deliveries = await router.queues.deliveries.getJobCounts();
    assert.equal(
      Object.values(counts).reduce((a, b) => a + b, 0),
      0,
    );
    assert.equal(
      Object.values(deliveries).reduce((a, b) => a + b, 0),
      0,
    );
    const outbox = (await (await fetch(`${router.url}/api/outbox`)).json()) as { entries: unknown[] };
    assert.deepEqual(outbox.entries, []);
  });

  it('routes like the worker (receiver and matchers)', async () => {
    const body = fixture('firing');
    assert.equal(body.commonLabels.severity, 'critical');
    const critical = (await (await post(JSON.stringify(body))).json()) as { channels: string[] };
    assert.deepEqual(critical.channels, ['ops']);
    body.commonLabels.severity = 'warning';
    const warning = (await (await post(JSON.stringify(body))).json()) as { channels: string[] };
    assert.deepEqual(warning.channels, ['outbox']);
  });

  it('says 401 without or with wrong credentials', async () => {
    const none = await fetch(`${router.url}/api/preview`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: fixtureText('firing'),
    });
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /Bearer/);
    assert.equal((await post(fixtureText('firing'), { authorization: 'Bearer wrong' })).status, 401);
  });

  it('says 400 on bad input, with what is wrong', async () => {
    const malformed = await post('{"version":');
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as { error: string }).error, 'malformed_json');
    const invalid = await post(JSON.stringify({ version: '4', alerts: [] }));
    assert.equal(invalid.status, 400);
    const body = (await invalid.json()) as { error: string; details: unknown[] };
    assert.equal(body.error, 'invalid_payload');
    assert.ok(body.details.length > 0);
    assert.equal((await post(fixtureText('firing'), { 'content-type': 'text/plain' })).status, 400);
  });

  it("takes a 1,000-alert group (over express.json's 100 KB default)", async () => {
    const res = await post(fixtureText('group-1000'));
    assert.equal(res.status, 200);
    const out = (await res.json()) as { slack: { blocks: unknown[] } };
    assert.ok(out.slack.blocks.length <= 50);
  });
});
