import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixture, fixtureText } from '../../support/fixtures.js';
import { startMetricsTarget, type MetricsTarget } from '../helpers/metrics-target.js';
import { startPrometheus, type LocalPrometheus } from '../../support/prometheus-server.js';
import { sleep } from '../../support/wait.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';

const TOKEN = 'preview-test-token';
/** Only links and (on a click) the silence API use it; a preview calls nothing. */
const ALERTMANAGER = 'http://alertmanager.test:9093';

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
    { PROMETHEUS_URL: prom.url, WEBHOOK_BEARER_TOKEN: TOKEN, ALERTMANAGER_URL: ALERTMANAGER },
  );
});
after(async () => {
  clearInterval(ticker);
  await router?.stop();
  await prom?.close();
  await target?.close();
});

const post = (body: string, headers: Record<string, string> = {}, to: TestRouter = router): Promise<Response> =>
  fetch(`${to.url}/api/preview`, {
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

interface Element {
  type: string;
  action_id?: string;
  url?: string;
  text?: { text: string };
  placeholder?: { text: string };
  options?: Array<{ text: { text: string }; value: string }>;
}
type Block = { type: string; block_id?: string; elements?: Element[] };

/** Every element of the preview's Slack actions blocks. */
async function actionElements(to: TestRouter): Promise<Element[]> {
  const res = await post(fixtureText('firing'), {}, to);
  assert.equal(res.status, 200);
  const out = (await res.json()) as { slack: { blocks: Block[] } };
  return out.slack.blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
}

describe('POST /api/preview and Slack actions (SLACK_SIGNING_SECRET)', () => {
  let interactive: TestRouter;
  before(async () => {
    interactive = await startTestRouter(
      { channels: { outbox: { type: 'outbox' } }, defaultChannels: ['outbox'] },
      { WEBHOOK_BEARER_TOKEN: TOKEN, ALERTMANAGER_URL: ALERTMANAGER, SLACK_SIGNING_SECRET: 'preview-signing-secret' },
    );
  });
  after(async () => {
    await interactive?.stop();
  });

  it('shows the controls Slack would: Acknowledge and the Silence menu, and no Silence link', async () => {
    const elements = await actionElements(interactive);
    const ack = elements.find((el) => el.action_id === 'ar-acknowledge');
    assert.deepEqual(
      ack && { type: ack.type, text: ack.text?.text, url: ack.url },
      { type: 'button', text: 'Acknowledge', url: undefined },
    );
    const silence = elements.find((el) => el.action_id === 'ar-silence');
    assert.ok(silence);
    assert.equal(silence.type, 'static_select');
    assert.equal(silence.placeholder?.text, 'Silence…');
    assert.deepEqual(
      silence.options?.map((o) => [o.text.text, o.value]),
      [
        ['Silence 1h', '1h'],
        ['Silence 4h', '4h'],
        ['Silence 24h', '24h'],
      ],
    );
    assert.deepEqual(elements.slice(0, 2).map((el) => el.action_id), ['ar-acknowledge', 'ar-silence'], 'the controls come first');
    assert.equal(elements.filter((el) => el.url?.startsWith(`${ALERTMANAGER}/#/silences`)).length, 0, 'no Silence link');
    assert.ok(elements.some((el) => el.text?.text === 'Runbook' && el.url), 'the links stay');
  });

  it('without the secret, has no controls and keeps the Silence link', async () => {
    const elements = await actionElements(router);
    assert.deepEqual(elements.filter((el) => el.action_id?.startsWith('ar-') || el.type !== 'button'), []);
    const silence = elements.filter((el) => el.text?.text === 'Silence');
    assert.equal(silence.length, 1);
    assert.match(silence[0]!.url ?? '', /^http:\/\/alertmanager\.test:9093\/#\/silences\/new\?filter=/);
  });
});
