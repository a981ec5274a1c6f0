import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningDemo, startDemo } from '../../demo/inference-gateway.js';
import { sleep } from '../../support/wait.js';

// The metric families the alert and recording rules query, with the labels they select on.
const EXPECTED: Record<string, string[]> = {
  http_requests_total: ['service', 'endpoint', 'method', 'status_code'],
  http_request_duration_seconds_bucket: ['service', 'endpoint', 'method', 'le'],
  inference_requests_total: ['service', 'model', 'status'],
  inference_duration_seconds_bucket: ['service', 'model', 'le'],
  inference_confidence_score_bucket: ['service', 'model', 'le'],
  inference_queue_depth: ['service'],
  model_memory_bytes: ['service', 'model'],
};

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Minimal exposition-format parser: enough for the label sets prom-client writes. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[pair[1] ?? ''] = pair[2] ?? '';
    samples.push({ name: match[1] ?? '', labels, value: Number(match[3]) });
  }
  return samples;
}

void describe('demo inference gateway', () => {
  let demo: RunningDemo;
  const scrape = async (): Promise<Sample[]> => {
    const response = await fetch(`${demo.url}/metrics`);
    assert.equal(response.status, 200);
    return parseExposition(await response.text());
  };
  const count5xx = (samples: Sample[]): number =>
    samples
      .filter((s) => s.name === 'http_requests_total' && s.labels.status_code?.startsWith('5'))
      .reduce((sum, s) => sum + s.value, 0);
  const setFault = (method: string, body?: unknown): Promise<Response> =>
    fetch(`${demo.url}/fault`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  before(async () => {
    demo = await startDemo({ port: 0 });
  });
  after(async () => {
    await demo.stop();
  });

  void it('answers /healthz', async () => {
    const response = await fetch(`${demo.url}/healthz`);
    assert.equal(response.status, 200);
  });

  void it('exposes every metric the rules use, with their labels', async () => {
    demo.traffic.tick(1); // do not depend on the timer having fired yet
    const samples = await scrape();
    for (const [name, labels] of Object.entries(EXPECTED)) {
      const series = samples.filter((s) => s.name === name);
      assert.ok(series.length > 0, `${name} is missing`);
      for (const s of series) {
        assert.deepEqual(Object.keys(s.labels).sort(), [...labels].sort(), `${name} labels`);
        assert.equal(s.labels.service, 'inference-gateway');
      }
    }
    // The latency SLI divides the le="0.3" bucket by _count: the boundary must exist.
    assert.ok(
      samples.some((s) => s.name === 'http_request_duration_seconds_bucket' && s.labels.le === '0.3'),
    );
  });

  void it('keeps latency mostly under 0.3 s and errors rare when healthy', async () => {
    demo.traffic.tick(100); // 2000 simulated requests
    const samples = await scrape();
    const bucket = (le: string): number =>
      samples.find((s) => s.name === 'http_request_duration_seconds_bucket' && s.labels.le === le)?.value ??
      0;
    assert.ok(bucket('0.3') / bucket('+Inf') > 0.98, 'at least 98% under 0.3 s');
    const total = samples.filter((s) => s.name === 'http_requests_total').reduce((n, s) => n + s.value, 0);
    assert.ok(count5xx(samples) / total < 0.01, 'baseline error rate under 1%');
    // ModelConfidenceLow fires when 70% or fewer predictions score above 0.7.
    const confidence = (name: string, le?: string): number =>
      samples
        .filter((s) => s.name === name && (le === undefined || s.labels.le === le))
        .reduce((n, s) => n + s.value, 0);
    const high =
      1 -
      confidence('inference_confidence_score_bucket', '0.7') / confidence('inference_confidence_score_count');
    assert.ok(high > 0.75, `high-confidence share ${high} stays above the alert threshold`);
  });

  void it('raises the 5xx counter while a fault is injected, and clears it', async () => {
    const before5xx = count5xx(await scrape());
    const injected = await setFault('POST', { errorRate: 0.5 });
    assert.equal(injected.status, 200);
    assert.deepEqual(await injected.json(), { errorRate: 0.5, latencyMs: 0, active: true, expiresAt: null });

    demo.traffic.tick(10); // 200 requests at 50%: P(fewer than 50 errors) is negligible
    assert.ok(count5xx(await scrape()) - before5xx >= 50, '5xx counter grew under the fault');

    const cleared = await setFault('DELETE');
    assert.equal(((await cleared.json()) as { active: boolean }).active, false);
    const current = (await (await fetch(`${demo.url}/fault`)).json()) as { errorRate: number };
    assert.equal(current.errorRate, 0);
  });

  void it('rejects an invalid fault with every problem listed', async () => {
    const response = await setFault('POST', { errorRate: 2, latency: 5 });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { problems: string[] };
    assert.equal(body.problems.length, 2);
  });

  void it('lets a fault expire after durationSeconds', async () => {
    const response = await setFault('POST', { errorRate: 0.2, durationSeconds: 1 });
    const view = (await response.json()) as { expiresAt: string };
    assert.ok(Date.parse(view.expiresAt) > Date.now());
    await sleep(1100);
    assert.equal(((await (await fetch(`${demo.url}/fault`)).json()) as { active: boolean }).active, false);
  });
});
