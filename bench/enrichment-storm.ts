// Storm benchmark: a 1,000-alert notification through enrichment against a real Prometheus.
// Run alone with `npx tsx bench/enrichment-storm.ts`, or as part of `npm run bench`.
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createEnricher } from '../src/enrichment/enrich-notification.js';
import { createPrometheusClient } from '../src/enrichment/prometheus-client.js';
import { QueryCache } from '../src/enrichment/query-cache.js';
import type { Runbook } from '../src/runbooks/runbook.js';
import { fixture } from '../support/fixtures.js';
import { startPrometheus } from '../support/prometheus-server.js';

const RUNS = 20;
const BUDGET_MS = 2000;

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

/** Writes OpenMetrics for `up` of the fixture's 1,000 instances over the last hour (up, then down 10 min ago). */
async function writeBackfill(path: string, instances: readonly string[], nowSeconds: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('# TYPE up gauge\n');
  for (const instance of instances) {
    let chunk = '';
    for (let ago = 3600; ago >= 60; ago -= 60)
      chunk += `up{job="embedding-worker",instance="${instance}"} ${ago > 600 ? 1 : 0} ${nowSeconds - ago}\n`;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end('# EOF\n');
  await once(out, 'finish');
}

const runbook: Runbook = {
  name: 'InstanceDown',
  file: 'InstanceDown.md',
  title: 'Instance down',
  alerts: ['InstanceDown'],
  summary: 'A scrape target stopped answering.',
  links: [],
  dashboards: [],
  context: [
    { name: 'instances down', query: 'count(up{job="{{ job }}"} == 0)' },
    {
      name: 'availability 1h',
      query: 'avg_over_time(up{job="{{ job }}",instance="{{ instance }}"}[1h])',
      unit: 'ratio',
    },
  ],
  firstSteps: ['Check the pod status'],
  body: '',
};

/**
 * Query requests Prometheus itself has served (its own prometheus_http_requests_total), so the
 * count is what reached Prometheus, with no proxy in this process to skew time or memory.
 */
async function servedQueries(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let n = 0;
  for (const m of text.matchAll(
    /^prometheus_http_requests_total\{[^}]*handler="\/api\/v1\/query(?:_range)?"[^}]*\} (\d+)/gm,
  ))
    n += Number(m[1]);
  return n;
}

/**
 * Enriches test/fixtures/group-1000.json 20 times, each a cold storm (cache cleared), against a
 * real Prometheus holding an hour of `up` for the 1,000 instances, counting the query requests
 * Prometheus served.
 */
export async function runEnrichmentStorm(): Promise<Record<string, number | string>> {
  const rssStart = process.memoryUsage().rss;
  const storm = fixture('group-1000');
  const instances = [...new Set(storm.alerts.map((a) => a.labels.instance!))];
  const tmp = mkdtempSync(join(tmpdir(), 'ar-storm-'));
  await writeBackfill(join(tmp, 'up.om'), instances, Math.floor(Date.now() / 1000));
  const prom = await startPrometheus({ backfillFile: join(tmp, 'up.om') });
  try {
    await prom.waitFor('up{job="embedding-worker"}', instances.length, 30_000);
    const cache = new QueryCache();
    const enrich = createEnricher({
      client: createPrometheusClient({ url: prom.url }),
      cache,
      runbooks: { forAlert: (n) => (n === 'InstanceDown' ? runbook : undefined) },
      budgetMs: BUDGET_MS,
    });
    const distinct = enrich.plan(storm).queries.size;
    await enrich(storm); // warm-up: JIT, keep-alive connection
    const rssBefore = process.memoryUsage().rss;
    const times: number[] = [];
    const requests: number[] = [];
    let unavailable = 0;
    for (let i = 0; i < RUNS; i++) {
      cache.clear();
      const before = await servedQueries(prom.url);
      const t0 = performance.now();
      const ctx = await enrich(storm);
      times.push(performance.now() - t0);
      requests.push((await servedQueries(prom.url)) - before);
      if (!ctx.available || ctx.reason) unavailable++;
    }
    // A storm of notifications at once (Alertmanager resending the group): still one request per query.
    cache.clear();
    const before = await servedQueries(prom.url);
    await Promise.all(Array.from({ length: 10 }, () => enrich(storm)));
    const concurrentRequests = (await servedQueries(prom.url)) - before;
    const sorted = [...times].sort((a, b) => a - b);
    return {
      alerts: storm.alerts.length,
      runs: RUNS,
      budget_ms: BUDGET_MS,
      distinct_queries: distinct,
      prometheus_requests_per_run_max: Math.max(...requests),
      prometheus_requests_10_concurrent_notifications: concurrentRequests,
      enrich_p50_ms: Math.round(percentile(sorted, 50) * 10) / 10,
      enrich_p99_ms: Math.round(percentile(sorted, 99) * 10) / 10,
      runs_without_full_context: unavailable,
      rss_at_start_mb: Math.round(rssStart / 2 ** 20),
      rss_after_warmup_mb: Math.round(rssBefore / 2 ** 20),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      heap_used_mb: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
    };
  } finally {
    await prom.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runEnrichmentStorm();
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
