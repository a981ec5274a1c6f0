import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { Browser } from 'playwright-core';
import { pino } from 'pino';
import { OutboxStore } from '../../src/channels/outbox/outbox-store.js';
import { createApp } from '../../src/http/create-app.js';
import { outboxRoutes } from '../../src/http/outbox-routes.js';
import { deletePrefix } from '../../support/delete-prefix.js';
import { ARTIFACTS, launchBrowser } from '../helpers/browser.js';
import { linksOf, openPage, overflowing } from '../helpers/page-checks.js';

describe('the index page in headless Chromium', () => {
  const prefix = `test-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  let browser: Browser;
  let server: Server;
  let base: string;

  before(async () => {
    const app = createApp({
      logger: pino({ level: 'silent' }),
      routers: [outboxRoutes(new OutboxStore(redis, prefix), 'http://alert-router.test')],
      index: { channels: [{ name: 'outbox', kind: 'outbox' }, { name: 'critical-pager', kind: 'pagerduty' }] },
    });
    server = createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    server?.close();
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  for (const width of [390, 1280])
    it(`links every page and endpoint, and fits ${width} px`, async () => {
      const { page, errors, status } = await openPage(browser, `${base}/`, width);
      assert.equal(status, 200);
      await page.screenshot({ path: join(ARTIFACTS, `index-${width}.png`), fullPage: true });
      assert.deepEqual(await linksOf(page.locator('ul.links a.title')), [
        ['Outbox', '/outbox'],
        ['Runbooks', '/runbooks'],
        ["Dead man's switch", '/runbooks#deadman'],
        ['Status', '/status'],
        ['Failures', '/failures'],
        ['Metrics', '/metrics'],
        ['Readiness', '/readyz'],
      ]);
      assert.deepEqual((await linksOf(page.locator('nav.top a'))).map(([, href]) => href), ['/', '/outbox', '/runbooks', '/storms', '/failures', '/status']);
      assert.match(await page.locator('section', { hasText: 'Channels' }).innerText(), /critical-pager · pagerduty/);
      assert.deepEqual(await overflowing(page), []);
      assert.equal(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true);
      await Promise.all([page.waitForURL(`${base}/outbox`), page.locator('ul.links a.title', { hasText: 'Outbox' }).click()]);
      assert.match(await page.locator('h1').innerText(), /Outbox/);
      assert.deepEqual(errors, []);
      await page.close();
    });
});
