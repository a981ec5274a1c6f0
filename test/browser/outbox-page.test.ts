import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { Browser } from 'playwright-core';
import { pino } from 'pino';
import { OutboxChannel } from '../../src/channels/outbox/outbox-channel.js';
import { OutboxStore } from '../../src/channels/outbox/outbox-store.js';
import { createApp } from '../../src/http/create-app.js';
import { outboxRoutes } from '../../src/http/outbox-routes.js';
import { deletePrefix } from '../../support/delete-prefix.js';
import { fixture } from '../../support/fixtures.js';
import { ARTIFACTS, launchBrowser } from '../helpers/browser.js';


describe('the outbox page in headless Chromium', () => {
  const prefix = `test-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  let browser: Browser;
  let server: Server;
  let base: string;

  before(async () => {
    const store = new OutboxStore(redis, prefix);
    server = createServer(createApp({ logger: pino({ level: 'silent' }), routers: [outboxRoutes(store)] }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The shipped burn-rate page's name: one unbroken word wider than a phone in the card's title.
    const p = fixture('firing');
    p.commonLabels.alertname = 'SLOAvailabilityBurnRatePage';
    const outbox = new OutboxChannel('outbox', store, { publicUrl: 'http://ar.test', alertmanagerUrl: undefined, maxAlertsShown: 5 });
    await outbox.deliver({ key: 'k', receivedAt: Date.now(), channel: 'outbox', payload: p });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    server?.close();
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  it('fits a phone: every card, its title included, stays inside the screen', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await page.goto(`${base}/outbox`);
    await page.screenshot({ path: join(ARTIFACTS, 'outbox-phone.png') });
    const wide = await page.evaluate(
      `[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 || e.scrollWidth > e.clientWidth + 1).map((e) => e.tagName + ':' + e.textContent.slice(0, 40)).slice(0, 5)`,
    );
    assert.deepEqual(wide, [], 'no element wider than a phone, or overflowing its own box');
    await page.close();
  });
});
