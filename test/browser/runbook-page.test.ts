import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import { createApp } from '../../src/http/create-app.js';
import { loadRunbookStore, type ReloadableRunbookStore } from '../../src/runbooks/runbook-store.js';
import type { FiringAlert, FiringAlertSource } from '../../src/runbooks-web/firing-alerts.js';
import type { LiveContext } from '../../src/enrichment/live-context.js';
import { runbookRoutes } from '../../src/runbooks-web/runbook-routes.js';
import { ARTIFACTS, launchBrowser } from '../helpers/browser.js';
import { openPage } from '../helpers/page-checks.js';

const HOSTILE = `"><script>window.__pwned=1</script><img src=x onerror="window.__pwned=1;alert(1)">`;
const minutesAgo = (m: number): string => new Date(Date.now() - m * 60_000).toISOString();

const hostileMarkdown = `---
title: Hostile <script>window.__pwned=1</script>
alerts: [Hostile]
summary: "<img src=x onerror=alert(1)>"
---
# Hostile

<script>window.__pwned = 1; alert(1)</script>

<img src="x" onerror="window.__pwned = 1; alert(1)">

<a id="js" href="javascript:window.__pwned=1;alert(1)">click me</a> [md](javascript:alert(1))

<p id="hover" onmouseover="window.__pwned=1">hover me</p>

<iframe src="javascript:alert(1)"></iframe>

## Diagnosis

1. One.
`;

/** A realistic night: the latency SLO burning, with a chart that climbs over the last 3 hours. */
const firing: FiringAlertSource = {
  async active(): Promise<FiringAlert[]> {
    const at = { service: 'inference-gateway', severity: 'critical', slo: 'latency', team: 'ml-platform' };
    return [
      { fingerprint: 'a1', labels: { alertname: 'SLOLatencyBurnRatePage', ...at }, annotations: {}, startsAt: minutesAgo(47) },
      { fingerprint: 'b2', labels: { alertname: 'NodeFilesystemFillingUp', instance: 'node-1:9100', mountpoint: '/var/lib/docker', device: '/dev/sda1', fstype: 'ext4', severity: 'critical' }, annotations: {}, startsAt: minutesAgo(130) },
      { fingerprint: 'c3', labels: { alertname: 'Hostile', instance: HOSTILE }, annotations: {}, startsAt: minutesAgo(3) },
      { fingerprint: 'd4', labels: { alertname: 'NoRunbookYet', severity: 'warning' }, annotations: {}, startsAt: minutesAgo(9) },
    ];
  },
};
const live: LiveContext = {
  queryExpressions: () => Promise.resolve([]),
  async queryValues(rb) {
    const fake: Record<string, string> = { p99_latency: '0.612', p95_latency: '0.341', burn_rate_1h: '18.7', budget_remaining: '0.43' };
    return rb.context.map((q) => ({ name: q.name, value: fake[q.name] ?? '1', ...(q.unit ? { unit: q.unit } : {}) }));
  },
  async queryRange(_q, hours) {
    const now = Math.floor(Date.now() / 1000);
    const n = 120;
    return Array.from({ length: n }, (_, i) => {
      const t = now - hours * 3600 + (i * hours * 3600) / n;
      const v = i < 70 ? 0.18 + 0.02 * Math.sin(i / 4) : 0.18 + (i - 70) * 0.009 + 0.03 * Math.sin(i / 3);
      return [t, i === 55 ? NaN : v] as const;
    });
  },
};

describe('runbook pages in headless Chromium', () => {
  let browser: Browser;
  let server: Server;
  let base: string;
  let store: ReloadableRunbookStore;

  before(async () => {
    // The shipped runbooks plus one hostile file, in a temp copy.
    const dir = mkdtempSync(join(tmpdir(), 'rb-browser-'));
    for (const rb of loadRunbookStore('runbooks', pino({ level: 'silent' })).list())
      writeFileSync(join(dir, `${rb.name}.md`), readFileSync(rb.file));
    writeFileSync(join(dir, 'Hostile.md'), hostileMarkdown);
    const logger = pino({ level: 'silent' });
    store = loadRunbookStore(dir, logger);
    assert.deepEqual(store.problems(), []);
    const app = createApp({
      logger,
      routers: [runbookRoutes({ store, runbooksDir: dir, logger, firing, live, alertmanagerUrl: 'http://alertmanager.test:9093', prometheusUrl: 'http://prometheus.test:9090' })],
    });
    server = createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    server?.close();
    store?.close();
  });

  /** A phone-sized page that records console errors, page errors and dialogs. */
  async function open(path: string): Promise<{ page: Page; errors: string[]; dialogs: string[] }> {
    const { page, errors, dialogs, status } = await openPage(browser, `${base}${path}`, 390);
    assert.equal(status, 200, path);
    return { page, errors, dialogs };
  }

  it('renders a runbook page without console errors; screenshot kept', async () => {
    const { page, errors } = await open('/runbooks/SLOLatencyBurnRatePage');
    assert.match(await page.title(), /SLOLatencyBurnRatePage/);
    assert.equal(await page.locator('svg.chart polyline').count() > 0, true, 'chart drawn');
    assert.match(await page.locator('.panel.alarm').innerText(), /FIRING NOW · 1 INSTANCE/i);
    assert.match(await page.locator('.values').innerText(), /612 ms/);
    await page.screenshot({ path: join(ARTIFACTS, 'runbook-page.png'), fullPage: true });
    // What the on-call sees first on a phone, without scrolling.
    await page.screenshot({ path: join(ARTIFACTS, 'runbook-page-phone.png') });
    await page.screenshot({ path: join(ARTIFACTS, 'runbook-page-second-screen.png'), fullPage: true, clip: { x: 0, y: 844, width: 390, height: 844 } });
    const wide = await page.evaluate(`[...document.querySelectorAll('body *')].filter((e) => !e.closest('pre, table') && e.getBoundingClientRect().right > window.innerWidth + 1).map((e) => e.tagName + '.' + e.className + ':' + e.textContent.slice(0, 40)).slice(0, 5)`);
    assert.deepEqual(wide, [], 'no element wider than a phone (code blocks scroll inside themselves)');
    assert.equal(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true, 'no horizontal page scroll');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('puts the firing summary and the live values on the first screen of a phone', async () => {
    const { page, errors } = await open('/runbooks/SLOLatencyBurnRatePage');
    const bottom = (sel: string): Promise<number> => page.locator(sel).first().evaluate((el: { getBoundingClientRect(): { bottom: number } }) => el.getBoundingClientRect().bottom);
    assert.match(await page.locator('p.status').innerText(), /critical\s*firing\s*1 instance · for 4\dm/);
    assert.ok((await bottom('p.status')) <= 844, 'the firing summary is above the fold');
    assert.ok((await bottom('.values')) <= 844, `the live values are above the fold (bottom ${await bottom('.values')})`);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('sizes the chart labels like the page text at phone and desktop width', async () => {
    const sizes: number[] = [];
    for (const width of [390, 1280]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(`${base}/runbooks/SLOLatencyBurnRatePage`);
      if (width === 1280) await page.screenshot({ path: join(ARTIFACTS, 'runbook-page-1280.png'), fullPage: true });
      // The rendered height of a label, after any scaling of the drawing, against the body's font size.
      const [label, body] = await page.evaluate<[number, number]>(
        `[document.querySelector('svg.chart text').getBoundingClientRect().height, parseFloat(getComputedStyle(document.body).fontSize)]`,
      );
      assert.ok(label / body > 0.75 && label / body < 1.25, `at ${width} px a chart label is ${label} px high, the body text ${body} px`);
      sizes.push(label);
      assert.equal(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true);
      await page.close();
    }
    assert.ok(Math.abs(sizes[0]! - sizes[1]!) < 1, `the same at both widths: ${sizes.join(' vs ')}`);
  });

  it('renders the index without console errors', async () => {
    const { page, errors } = await open('/runbooks');
    assert.match(await page.locator('h1').innerText(), /Runbooks/);
    assert.match(await page.content(), /NoRunbookYet/);
    await page.screenshot({ path: join(ARTIFACTS, 'runbook-index.png'), fullPage: false });
    assert.equal(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true, 'no horizontal page scroll');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('hostile markdown and labels do not execute script', async () => {
    for (const path of ['/runbooks/Hostile', '/runbooks']) {
      const { page, dialogs } = await open(path);
      if (path === '/runbooks/Hostile') {
        await page.locator('#hover').hover().catch(() => undefined);
        await page.locator('a', { hasText: 'click me' }).click({ timeout: 2000 }).catch(() => undefined);
        assert.equal(await page.locator('script, iframe, img, [onerror], [onmouseover], a[href^="javascript:"]').count(), 0);
        assert.match(await page.locator('.labels').first().innerText(), /<script>window.__pwned=1<\/script>/, 'label shown as text');
      }
      assert.equal(await page.evaluate('typeof window.__pwned'), 'undefined', path);
      assert.deepEqual(dialogs, [], path);
      await page.close();
    }
  });
});
