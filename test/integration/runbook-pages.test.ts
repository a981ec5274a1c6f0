import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { createApp } from '../../src/http/create-app.js';
import { loadRunbookStore } from '../../src/runbooks/runbook-store.js';
import type { LiveContext, LiveValue } from '../../src/enrichment/live-context.js';
import type { ContextQuery } from '../../src/runbooks/runbook.js';
import { runbookRoutes, RUNBOOK_CSP } from '../../src/runbooks-web/runbook-routes.js';
import { startAlertmanager } from '../../support/alertmanager-server.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';

/** Markup that could execute: a script/iframe/img element, an on* attribute, a javascript: URL. */
export const EXECUTABLE = /<script|<iframe|<img|<[^>]+\son\w+\s*=|href\s*=\s*["']?\s*javascript:/i;
export const HOSTILE_LABEL = `</span><script>window.__pwned=1</script>"><img src=x onerror="window.__pwned=1">'"\\\n☃`;

export const hostileRunbook = (title: string): string => `---
title: ${title}
alerts: [NodeDown]
severity: critical
team: platform
summary: "The host <b>is</b> down & unreachable"
context:
  - name: up
    query: 'up{job="node-exporter",instance="{{ instance }}"}'
---
# Host unreachable

<script>window.__pwned = 1</script>

<img src="x" onerror="window.__pwned = 1">

<a href="javascript:window.__pwned=1">click me</a>

A [markdown link](javascript:window.__pwned=1) and <b onclick="window.__pwned=1">bold</b>.

<iframe src="https://evil.example/"></iframe>

<p onmouseover="window.__pwned=1">hover</p>

## Diagnosis

1. Ping the host.
2. Check \`up{job="node-exporter"}\`.
3. SSH in.
`;

/** A temp runbooks dir with hostile markdown, a symlink out of the dir, and a file to swap later. */
export function hostileRunbooksDir(): { dir: string; outside: string } {
  const root = mkdtempSync(join(tmpdir(), 'rb-pages-'));
  const dir = join(root, 'runbooks');
  mkdirSync(dir);
  writeFileSync(join(dir, 'NodeDown.md'), hostileRunbook('Host unreachable'));
  const outside = join(root, 'Outside.md');
  writeFileSync(outside, hostileRunbook('OUTSIDE-SECRET').replace('alerts: [NodeDown]', 'alerts: [Escape]'));
  symlinkSync(outside, join(dir, 'Escape.md'));
  writeFileSync(
    join(dir, 'Swapped.md'),
    hostileRunbook('Swapped').replace('alerts: [NodeDown]', 'alerts: [Swapped]'),
  );
  return { dir, outside };
}

export interface RealAlertmanager {
  readonly url: string;
  post(
    alerts: Array<{ labels: Record<string, string>; annotations?: Record<string, string> }>,
  ): Promise<void>;
  stop(): Promise<void>;
}

/** A real Alertmanager whose alerts have been firing for 42 minutes (the pages show durations). */
export async function startFiringAlertmanager(): Promise<RealAlertmanager> {
  const am = await startAlertmanager('route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n');
  return {
    url: am.url,
    post: (alerts) =>
      am.postAlerts(
        alerts.map((a) => ({
          ...a,
          startsAt: new Date(Date.now() - 42 * 60_000).toISOString(),
          endsAt: new Date(Date.now() + 3600_000).toISOString(),
          generatorURL: 'http://prometheus.test/graph?g0.expr=up',
        })),
      ),
    stop: () => am.close(),
  };
}

/** A raw GET: node:http sends the path exactly as given (fetch would normalise `..` and `%2e`). */
export const rawGet = (
  base: string,
  path: string,
  accept = 'text/html',
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> =>
  new Promise((resolve, reject) => {
    const u = new URL(base);
    const req = request({ host: u.hostname, port: u.port, path, headers: { accept } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });

describe('runbook pages against a real Alertmanager', () => {
  let am: RealAlertmanager;
  let router: TestRouter;
  let base: string;
  const { dir, outside } = hostileRunbooksDir();

  before(async () => {
    am = await startFiringAlertmanager();
    await am.post([
      {
        labels: {
          alertname: 'NodeDown',
          instance: 'host-1:9100',
          job: 'node-exporter',
          severity: 'critical',
        },
      },
      {
        labels: {
          alertname: 'NodeDown',
          instance: HOSTILE_LABEL,
          job: 'node-exporter',
          severity: 'critical',
        },
      },
      { labels: { alertname: 'NoRunbookForThis', severity: 'warning' } },
    ]);
    router = await startTestRouter(
      { channels: { outbox: { type: 'outbox' } }, defaultChannels: ['outbox'] },
      { RUNBOOKS_DIR: dir, ALERTMANAGER_URL: am.url },
    );
    base = router.url!;
    // The page re-checks the file at request time: swap a loaded runbook for a symlink out.
    renameSync(join(dir, 'Swapped.md'), join(dir, 'Swapped.old'));
    symlinkSync(outside, join(dir, 'Swapped.md'));
  });
  after(async () => {
    await router?.stop();
    await am?.stop();
  });

  it('lists the firing instances with labels and durations, escaped', async () => {
    const r = await rawGet(base, '/runbooks/NodeDown');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-security-policy'], RUNBOOK_CSP);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.match(r.body, /Firing now · 2 instances/);
    assert.match(r.body, /host-1:9100/);
    assert.match(r.body, /firing 4[12]m/);
    assert.match(r.body, /&lt;\/span&gt;&lt;script&gt;window.__pwned=1&lt;\/script&gt;&quot;&gt;&lt;img/);
    assert.match(r.body, /#\/silences\/new\?filter=/);
    assert.match(r.body, /live context unavailable/);
    assert.doesNotMatch(r.body, EXECUTABLE);
    assert.match(r.body, /The host &lt;b&gt;is&lt;\/b&gt; down &amp; unreachable/);
    assert.match(r.body, /<ol class="steps"><li>Ping the host.<\/li>/);
  });

  it('answers the same data as JSON with Accept: application/json', async () => {
    const r = await rawGet(base, '/runbooks/NodeDown', 'application/json');
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /application\/json/);
    const data = JSON.parse(r.body) as {
      alert: string;
      runbook: { title: string; bodyHtml: string; firstSteps: string[] };
      firing: {
        available: boolean;
        total: number;
        instances: Array<{ labels: Record<string, string>; firingForSeconds: number }>;
      };
      live: { available: boolean; reason: string };
    };
    assert.equal(data.alert, 'NodeDown');
    assert.equal(data.firing.available, true);
    assert.equal(data.firing.total, 2);
    assert.ok(
      data.firing.instances.some((i) => i.labels.instance === HOSTILE_LABEL),
      'label value intact in JSON',
    );
    assert.ok(data.firing.instances.every((i) => i.firingForSeconds > 40 * 60));
    assert.equal(data.live.available, false);
    assert.doesNotMatch(data.runbook.bodyHtml, EXECUTABLE);
    assert.match(data.runbook.bodyHtml, /<a rel="noopener noreferrer">markdown link<\/a>/);
  });

  it('the index shows firing runbooks and firing alerts without a runbook', async () => {
    const html = await rawGet(base, '/runbooks');
    assert.equal(html.status, 200);
    assert.match(html.body, /NodeDown · 2 firing/);
    assert.match(html.body, /Firing without a runbook[\s\S]*NoRunbookForThis/);
    assert.match(html.body, /Escape\.md: symlink resolves outside the runbooks directory/);
    const json = JSON.parse((await rawGet(base, '/runbooks', 'application/json')).body) as {
      withoutRunbook: unknown;
    };
    assert.deepEqual(json.withoutRunbook, [{ alertname: 'NoRunbookForThis', firing: 1 }]);
  });

  it('answers 404 to every traversal attempt and never serves a file outside runbooks/', async () => {
    for (const path of [
      '/runbooks/..%2f..%2fpackage.json',
      '/runbooks/..%2F..%2Fetc%2Fpasswd',
      '/runbooks/%2e%2e',
      '/runbooks/%2e%2e%2fOutside',
      '/runbooks/NodeDown%2f..%2f..%2fOutside',
      '/runbooks/..%5cOutside',
      '/runbooks/NodeDown%00',
      '/runbooks/NodeDown%00.md',
      '/runbooks/../Outside',
      '/runbooks/..',
      '/runbooks/NodeDown.md',
      '/runbooks/Escape',
      '/runbooks/Swapped',
      '/runbooks/%E0%A4%A',
      `/runbooks/${'A'.repeat(129)}`,
    ]) {
      for (const accept of ['text/html', 'application/json']) {
        const r = await rawGet(base, path, accept);
        assert.equal(r.status, 404, `${path} (${accept}) -> ${r.status}`);
        assert.doesNotMatch(r.body, /OUTSIDE-SECRET/, path);
      }
    }
  });

  it('suggests close names for an unknown alert', async () => {
    const r = await rawGet(base, '/runbooks/NodeDwn');
    assert.equal(r.status, 404);
    assert.match(r.body, /Did you mean[\s\S]*href="\/runbooks\/NodeDown"/);
    const j = JSON.parse((await rawGet(base, '/runbooks/nodedown', 'application/json')).body) as {
      suggestions: string[];
    };
    assert.deepEqual(j.suggestions, ['NodeDown']);
  });
});

describe('runbook pages with live context (in-process app)', () => {
  const { dir } = hostileRunbooksDir();
  const logger = pino({ level: 'silent' });
  const store = loadRunbookStore(dir, logger);
  const firing = {
    async active() {
      return [
        {
          fingerprint: 'f1',
          labels: { alertname: 'NodeDown', instance: HOSTILE_LABEL },
          annotations: {},
          startsAt: new Date(Date.now() - 3600_000).toISOString(),
        },
      ];
    },
  };
  const servers: Server[] = [];
  const serve = async (live: LiveContext | undefined, budgetMs = 300, source = firing): Promise<string> => {
    const app = createApp({
      logger,
      routers: [
        runbookRoutes({
          store,
          runbooksDir: dir,
          logger,
          firing: source,
          budgetMs,
          prometheusUrl: 'http://prom:9090',
          ...(live ? { live } : {}),
        }),
      ],
    });
    const s = createServer(app);
    servers.push(s);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  };
  after(() => {
    for (const s of servers) s.close();
    store.close();
  });

  it('renders values and the chart, and passes the alert labels to the LiveContext', async () => {
    let seen: Record<string, string> | undefined;
    let rangeQuery = '';
    const base = await serve({
      async queryValues(_rb, labels) {
        seen = { ...labels };
        return [
          { name: 'up', value: '0' },
          { name: 'weird', value: '+Inf' },
        ];
      },
      queryExpressions: () => Promise.resolve([]),
      async queryRange(query) {
        rangeQuery = query;
        return Array.from({ length: 40 }, (_, i) => [1_700_000_000 + i * 60, i % 7] as const);
      },
    });
    const r = await rawGet(base, '/runbooks/NodeDown');
    assert.equal(r.status, 200);
    assert.equal(seen?.instance, HOSTILE_LABEL);
    // The label reached the query as one escaped string literal.
    assert.ok(rangeQuery.startsWith('up{job="node-exporter",instance="</span><script>'), rangeQuery);
    assert.ok(rangeQuery.includes('\\"><img src=x onerror=\\"window.__pwned=1\\">'), rangeQuery);
    assert.match(r.body, /<svg class="chart"/);
    assert.match(r.body, /\+Inf/);
    assert.match(r.body, /Open in Prometheus/);
    assert.doesNotMatch(r.body, EXECUTABLE);
  });

  it('says "live context unavailable" within the budget when Prometheus is slow or failing', async () => {
    const slow = await serve({
      queryValues: () => new Promise(() => undefined),
      queryExpressions: () => new Promise(() => undefined),
      queryRange: () => new Promise(() => undefined),
    });
    const t0 = Date.now();
    const r = await rawGet(slow, '/runbooks/NodeDown');
    assert.ok(Date.now() - t0 < 2000, 'answered within the budget');
    assert.match(r.body, /live context unavailable: live context took longer than 300 ms/);
    const failing = await serve({
      queryValues: () => Promise.reject(new Error('Prometheus answered 503')),
      queryExpressions: () => Promise.reject(new Error('Prometheus answered 503')),
      queryRange: () => Promise.resolve([]),
    });
    assert.match(
      (await rawGet(failing, '/runbooks/NodeDown')).body,
      /live context unavailable: Prometheus answered 503/,
    );
  });

  it("shows each condition of the alert's expression against its threshold (burn-rate windows)", async () => {
    const expr = '(burn:5m{instance="a"} > 14.4 and burn:1h > 14.4) or (burn:30m > 6 and burn:6h > 6)';
    const burning = {
      async active() {
        const [alert] = await firing.active();
        return [{ ...alert!, generatorURL: `http://prom:9090/graph?g0.expr=${encodeURIComponent(expr)}` }];
      },
    };
    const asked: string[] = [];
    const answers: Record<string, string> = {
      'burn:5m{instance="a"}': '16.2',
      'burn:1h': '15',
      'burn:30m': '3',
    };
    const answer = async (queries: readonly ContextQuery[]): Promise<LiveValue[]> => {
      asked.push(...queries.map((q) => q.query));
      return queries.map((q) => ({ name: q.name, value: answers[q.query] ?? '2' }));
    };
    const base = await serve(
      {
        queryValues: (rb) => answer(rb.context),
        queryExpressions: answer,
        queryRange: () => Promise.resolve([]),
      },
      300,
      burning,
    );
    const body = (await rawGet(base, '/runbooks/NodeDown')).body;
    assert.ok(asked.includes('burn:5m{instance="a"}') && asked.includes('burn:6h'), asked.join(', '));
    assert.match(body, /<span>burn:5m<\/span><b>16\.2<\/b><span>fires when &gt; 14\.4<\/span>/);
    assert.match(body, /<span>burn:6h<\/span><b>2<\/b><span>fires when &gt; 6<\/span>/);
  });
});
