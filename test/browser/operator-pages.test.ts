/**
 * The operator's pages in headless Chromium, on a phone and a desktop: /failures lists a refused
 * delivery and its Retry button (a plain form, under the pages' CSP) delivers it; /status shows
 * the channel's outcomes.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack.js';
import { fixture } from '../../support/fixtures.js';
import { waitFor } from '../../support/wait.js';
import { ARTIFACTS, launchBrowser } from '../helpers/browser.js';
import { openPage, overflowing } from '../helpers/page-checks.js';
import { postWebhook, settled, uniqueGroup } from '../helpers/webhook-client.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';

describe('failures and status pages in headless Chromium', () => {
  let browser: Browser;
  let slack: FakeSlack;
  let router: TestRouter;

  before(async () => {
    slack = await startFakeSlack();
    router = await startTestRouter(
      {
        channels: { 'slack-critical': { type: 'slack', channel: '#alerts', postIntervalMs: 10 } },
        defaultChannels: ['slack-critical'],
        delivery: { attempts: 2, backoffMs: 100 },
      },
      { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: slack.url, WEBHOOK_BEARER_TOKEN: 't' },
    );
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await router?.stop();
    await slack?.close();
  });

  async function refused(): Promise<void> {
    const before = (await router.queues.deliveries.getJobCounts('failed')).failed ?? 0;
    slack.respondNext('chat.postMessage', { body: { ok: false, error: 'channel_not_found' } });
    const p = uniqueGroup(fixture('firing'));
    p.groupKey = `${p.groupKey}-${'x'.repeat(120)}`; // a long group key must wrap, not widen the page
    await postWebhook(router.url, p);
    await waitFor(async () => (await router.queues.deliveries.getJobCounts('failed')).failed === before + 1, 'refused');
    await settled(router);
  }

  for (const width of [390, 1280])
    it(`/failures lists the refused delivery and its Retry button delivers it, at ${width} px`, async () => {
      await refused();
      const { page, errors, status } = await openPage(browser, `${router.url}/failures`, width);
      assert.equal(status, 200);
      await page.screenshot({ path: join(ARTIFACTS, `failures-${width}.png`), fullPage: true });
      const job = page.locator('.job').first();
      assert.match(await job.innerText(), /HighErrorRate[\s\S]*slack-critical[\s\S]*channel_not_found/);
      assert.deepEqual(await overflowing(page), []);
      const mark = slack.calls('chat.postMessage').length;
      await Promise.all([page.waitForURL(/\/failures\?done=/), job.getByRole('button', { name: 'Retry' }).click()]);
      assert.equal(await page.locator('p.notice').innerText(), 'Retried 1 job.');
      await waitFor(() => slack.calls('chat.postMessage').length > mark, 'the retried post');
      await settled(router);
      assert.equal((await router.queues.deliveries.getJobCounts('failed')).failed, 0);
      await page.reload();
      assert.match(await page.locator('section.panel').first().innerText(), /No failed deliveries/);
      await page.screenshot({ path: join(ARTIFACTS, `failures-retried-${width}.png`), fullPage: true });
      assert.deepEqual(errors, []);
      await page.close();
    });

  for (const width of [390, 1280])
    it(`/status shows readiness, the channel's outcomes and the queues, at ${width} px`, async () => {
      const { page, errors, status } = await openPage(browser, `${router.url}/status`, width);
      assert.equal(status, 200);
      await page.screenshot({ path: join(ARTIFACTS, `status-${width}.png`), fullPage: true });
      assert.match(await page.locator('section', { hasText: 'Health' }).innerText(), /Ready/);
      // Two deliveries per width were retried after the refusal: the failures test ran first.
      const row = await page.locator('.row', { hasText: 'slack-critical' }).innerText();
      assert.match(row, /slack-critical\s+slack[\s\S]*\d+ delivered[\s\S]*\d+ failed/);
      assert.match(await page.locator('section', { hasText: 'Queues' }).innerText(), /deliveries/);
      assert.equal(await page.locator('nav.top a[aria-current]').innerText(), 'Status');
      assert.deepEqual(await overflowing(page), []);
      assert.deepEqual(errors, []);
      await page.close();
    });
});
