import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import type {
  StormGroupEntry,
  StormReader,
  StormSummary,
  StormView,
} from '../../src/channels/slack/storm-types.js';
import { createApp } from '../../src/http/create-app.js';
import { pageCsp } from '../../src/lib/html-page.js';
import { stormRoutes } from '../../src/storms-web/storm-routes.js';
import { ARTIFACTS, launchBrowser } from '../helpers/browser.js';
import { linksOf, openPage, overflowing } from '../helpers/page-checks.js';

const HOSTILE = `"><script>window.__pwned=1</script><img src=x onerror="window.__pwned=1;alert(1)">`;
const NAMES = [
  'HighLatency',
  'PodCrashLooping',
  'KubeDeploymentReplicasMismatch',
  'TargetDown',
  'NodeFilesystemSpaceFillingUp',
];
const SEVERITIES = ['critical', 'warning', 'warning', 'info', ''];
const SEVERITY_ORDER = ['critical', 'warning', 'info', ''];

/** A payments outage: 300 groups over three hours, a fifth already resolved, one with hostile labels. */
function stormView(now: number): StormView {
  const groups = Array.from({ length: 300 }, (_, i): StormGroupEntry => {
    const alertname = NAMES[i % NAMES.length] ?? 'X';
    const severity = SEVERITIES[(i * 7) % SEVERITIES.length] ?? '';
    const service = `checkout-${String(i).padStart(3, '0')}`;
    const labels: Record<string, string> = {
      alertname,
      ...(severity ? { severity } : {}),
      namespace: 'payments',
      service,
      cluster: 'eu-west-1',
      ...(i % 3 === 0 ? { pod: `${service}-7d9f8b6c4-x${i}q`, container: 'app' } : {}),
    };
    if (i === 7) labels.instance = HOSTILE;
    const resolved = i % 5 === 4;
    return {
      group: `g${String(i).padStart(3, '0')}`,
      groupKey: `{}:{alertname="${alertname}",service="${service}"}`,
      title: i === 7 ? `${alertname} ${HOSTILE}` : `${alertname} · ${service}`,
      status: resolved ? 'resolved' : 'firing',
      severity,
      alertnames: [alertname],
      labels,
      firingAlerts: resolved ? 0 : 1 + (i % 4),
      resolvedAlerts: resolved ? 2 : i % 7 === 0 ? 1 : 0,
      // Spread over three hours, in no particular order.
      firingSince: now - ((i * 37) % 180) * 60_000 - 30_000,
      runbookUrl: i === 7 ? 'javascript:window.__pwned=1' : `http://alert-router.test/runbooks/${alertname}`,
      ...(i % 11 === 10
        ? {}
        : {
            silenceUrl: `http://alertmanager.test:9093/#/silences/new?filter=${encodeURIComponent(`{alertname="${alertname}",service="${service}"}`)}`,
          }),
      joinedAt: now - 3 * 60_000,
      receivedAt: now - 60_000,
    };
  });
  return {
    id: 'payments-20261125-1242',
    channel: 'payments-alerts',
    startedAt: now - 40 * 60_000,
    lastJoinAt: now - 90_000,
    groups,
  };
}

describe('storm pages in headless Chromium', () => {
  const now = Date.now();
  const view = stormView(now);
  const older: StormSummary = {
    id: 'infra-20261124-0310',
    channel: 'infra',
    startedAt: now - 86_400_000,
    lastJoinAt: now - 86_000_000,
    endedAt: now - 85_000_000,
    groups: 41,
    firing: 0,
  };
  const reader: StormReader = {
    async storm(id) {
      if (id === 'broken') throw new Error('Connection is closed.');
      return id === view.id ? view : undefined;
    },
    async recent(limit) {
      assert.equal(limit, 50);
      return [
        {
          id: view.id,
          channel: view.channel,
          startedAt: view.startedAt,
          lastJoinAt: view.lastJoinAt,
          groups: 300,
          firing: 240,
        },
        older,
      ];
    },
  };
  let browser: Browser;
  let server: Server;
  let base: string;

  before(async () => {
    const logger = pino({ level: 'silent' });
    server = createServer(createApp({ logger, routers: [stormRoutes({ reader, logger })] }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  /** Each row's title and severity badge, top to bottom. */
  const rows = (page: Page): Promise<Array<{ title: string; severity: string; status: string }>> =>
    page
      .locator('ol.groups > li')
      .evaluateAll(
        (
          lis: Array<{ className: string; querySelector(s: string): { textContent: string | null } | null }>,
        ) =>
          lis.map((li) => ({
            title: li.querySelector('.n')?.textContent ?? '',
            severity: li.querySelector('.h .badge + .badge')?.textContent ?? '',
            status: li.className,
          })),
      );

  it('sends the pages with the shared CSP, gzipped, and the same data as JSON', async () => {
    const res = await fetch(`${base}/storms/${view.id}`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-security-policy'), pageCsp());
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('content-encoding'), 'gzip');
    assert.match(res.headers.get('vary') ?? '', /Accept.*Accept-Encoding/);
    const html = await res.text();
    assert.doesNotMatch(html, /<script|javascript:/);
    const asks: Array<{ path: string; headers: Record<string, string> }> = [
      { path: `/storms/${view.id}`, headers: { accept: 'application/json' } },
      { path: `/storms/${view.id}?format=json`, headers: {} },
    ];
    for (const ask of asks) {
      const j = await fetch(`${base}${ask.path}`, { headers: ask.headers });
      assert.match(j.headers.get('content-type') ?? '', /^application\/json/);
      const body = (await j.json()) as StormView & {
        counts: { groups: number; firing: number; resolved: number };
      };
      assert.deepEqual(body.groups, view.groups, 'the view as the store has it');
      assert.deepEqual([body.counts.groups, body.counts.firing, body.counts.resolved], [300, 240, 60]);
    }
    const list = await fetch(`${base}/storms`, { headers: { accept: 'application/json' } });
    assert.deepEqual(
      ((await list.json()) as { storms: StormSummary[] }).storms.map((s) => s.id),
      [view.id, older.id],
    );
  });

  it('answers 404 for unknown or malformed ids and 503 when the store fails', async () => {
    for (const path of [
      '/storms/nope-1',
      '/storms/Bad_Id',
      `/storms/${'a'.repeat(122)}`,
      '/storms/a/b',
      '/storms/%E0%A4%A',
      '/storms/..%2f..%2fetc',
    ]) {
      const page = await fetch(`${base}${path}`);
      assert.equal(page.status, 404, path);
      assert.equal(page.headers.get('content-security-policy'), pageCsp(), path);
      assert.match(await page.text(), /No storm/, path);
      const json = await fetch(`${base}${path}`, { headers: { accept: 'application/json' } });
      assert.deepEqual(
        [json.status, await json.json()],
        [404, { error: 'not_found', message: 'no such storm' }],
        path,
      );
    }
    const down = await fetch(`${base}/storms/broken`);
    assert.equal(down.status, 503);
    assert.match(await down.text(), /Storms unavailable/);
  });

  it('lists every group, most severe first, fits 390 px, and runs nothing; screenshots kept', async () => {
    const { page, errors, dialogs, status } = await openPage(browser, `${base}/storms/${view.id}`, 390);
    assert.equal(status, 200);
    await page.screenshot({ path: join(ARTIFACTS, 'storm-page-phone.png') });
    await page.screenshot({
      path: join(ARTIFACTS, 'storm-page-second-screen.png'),
      fullPage: true,
      clip: { x: 0, y: 844, width: 390, height: 844 },
    });
    const shown = await rows(page);
    assert.equal(shown.length, 300);
    const ranks = shown.map((r) => SEVERITY_ORDER.indexOf(r.severity === 'no severity' ? '' : r.severity));
    assert.ok(!ranks.includes(-1), 'every row has its severity badge');
    assert.deepEqual(
      ranks,
      [...ranks].sort((a, b) => a - b),
      'most severe first',
    );
    assert.equal(shown[0]?.status, 'f', 'firing before resolved within a severity');
    assert.match(await page.locator('h1').innerText(), /payments-alerts/);
    assert.match(await page.locator('.totals').innerText(), /groups\s*300\s*firing\s*240\s*resolved\s*60/i);
    assert.equal(await page.locator('nav.ctl a[aria-current]').count(), 2);
    // The hostile row: shown as text, nothing ran, and its javascript: runbook is not a link.
    const hostile = page.locator('ol.groups > li', { hasText: '__pwned' });
    assert.equal(await hostile.count(), 1);
    await hostile.screenshot({ path: join(ARTIFACTS, 'storm-page-hostile-row.png') });
    assert.match(await hostile.innerText(), /instance="><script>window.__pwned=1<\/script>/);
    assert.equal(
      await hostile.locator('a').count(),
      1,
      'its javascript: runbook is not a link, its silence is',
    );
    assert.equal(await page.evaluate('window.__pwned'), undefined);
    assert.deepEqual(dialogs, []);
    const hrefs = (await linksOf(page.locator('a'))).map(([, href]) => href ?? '');
    assert.ok(
      hrefs.every((h) => /^(\/|\?|#|https?:)/.test(h)),
      'only our paths and http(s) links',
    );
    assert.equal(hrefs.filter((h) => h.startsWith('http://alert-router.test/runbooks/')).length, 299);
    assert.deepEqual(await overflowing(page), []);
    assert.equal(
      await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'),
      true,
      'no horizontal scroll',
    );
    // The header answers "how bad" and the first group's status, severity and title still show.
    const title = page.locator('ol.groups > li .n').first();
    const bottom = await title.evaluate(
      (el: { getBoundingClientRect(): { bottom: number } }) => el.getBoundingClientRect().bottom,
    );
    assert.ok(bottom <= 844, `the first group's title is on the first screen (bottom ${bottom})`);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('reorders and filters with plain links', async () => {
    const { page, errors } = await openPage(browser, `${base}/storms/${view.id}`, 390);
    const shownBefore = await rows(page);
    await Promise.all([
      page.waitForURL(/sort=since/),
      page.locator('nav.ctl a', { hasText: 'since' }).click(),
    ]);
    assert.equal(await page.locator('nav.ctl a[aria-current]').first().innerText(), 'since');
    const since = new Map(view.groups.map((g) => [g.title, g.firingSince ?? 0]));
    const starts = (shown: Array<{ title: string }>): number[] => shown.map((r) => since.get(r.title) ?? NaN);
    const bySince = starts(await rows(page));
    assert.equal(bySince.length, 300);
    assert.deepEqual(
      bySince,
      [...bySince].sort((a, b) => a - b),
      'firing longest first',
    );
    assert.notDeepEqual(bySince, starts(shownBefore), 'the order changed');

    await Promise.all([
      page.waitForURL(/status=firing/),
      page.locator('nav.ctl a', { hasText: /^firing/ }).click(),
    ]);
    assert.match(page.url(), /sort=since/, 'the sort is kept');
    const firing = await rows(page);
    assert.equal(firing.length, 240);
    assert.ok(firing.every((r) => r.status === 'f'));
    assert.deepEqual(
      starts(firing),
      [...starts(firing)].sort((a, b) => a - b),
    );

    await Promise.all([page.waitForURL(/sort=name/), page.locator('nav.ctl a', { hasText: 'name' }).click()]);
    const titles = (await rows(page)).map((r) => r.title);
    assert.deepEqual(
      titles,
      [...titles].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('reads on a desktop and lists recent storms; screenshots kept', async () => {
    const wide = await openPage(browser, `${base}/storms/${view.id}?sort=status`, 1280);
    await wide.page.screenshot({ path: join(ARTIFACTS, 'storm-page-1280.png') });
    assert.equal(await wide.page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true);
    assert.deepEqual(wide.errors, []);
    await wide.page.close();

    const { page, errors, status } = await openPage(browser, `${base}/storms`, 390);
    assert.equal(status, 200);
    await page.screenshot({ path: join(ARTIFACTS, 'storm-index-phone.png'), fullPage: true });
    assert.deepEqual(
      (await linksOf(page.locator('ul.cards a.title'))).map(([, href]) => href),
      [`/storms/${view.id}`, `/storms/${older.id}`],
    );
    assert.equal(await page.locator('nav.top a[aria-current]').innerText(), 'Storms');
    assert.deepEqual(await overflowing(page), []);
    await Promise.all([
      page.waitForURL(`${base}/storms/${view.id}`),
      page.locator('ul.cards a.title').first().click(),
    ]);
    assert.match(await page.locator('h1').innerText(), /Storm · payments-alerts/);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
