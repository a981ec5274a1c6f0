import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { Browser } from 'playwright-core';
import { pino } from 'pino';
import type { NotificationContext } from '../../src/alert/notification-context.js';
import { OutboxChannel } from '../../src/channels/outbox/outbox-channel.js';
import { OutboxStore } from '../../src/channels/outbox/outbox-store.js';
import { renderAll } from '../../src/channels/render-all.js';
import { formatSlackMessage } from '../../src/channels/slack/format-slack-message.js';
import { withControls } from '../../src/channels/slack/message-controls.js';
import { createApp } from '../../src/http/create-app.js';
import { outboxRoutes } from '../../src/http/outbox-routes.js';
import { deletePrefix } from '../../support/delete-prefix.js';
import { fixture } from '../../support/fixtures.js';
import { ARTIFACTS, launchBrowser } from '../helpers/browser.js';
import { frameOf, linksOf, openPage, overflowing } from '../helpers/page-checks.js';

const HOSTILE = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">`;

describe('the outbox page in headless Chromium', () => {
  const prefix = `test-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const store = new OutboxStore(redis, prefix);
  let browser: Browser;
  let server: Server;
  let base: string;

  /** Three deliveries: a warning group with live values and steps, a resolved page, then the newest, a critical page. */
  async function fill(): Promise<void> {
    const outbox = new OutboxChannel('outbox', store, { publicUrl: 'http://ar.test', alertmanagerUrl: 'http://am.test:9093', maxAlertsShown: 5 });
    const grouped = fixture('grouped');
    grouped.alerts[0]!.labels.pod = HOSTILE;
    const context: NotificationContext = {
      available: true,
      alerts: { [grouped.alerts[0]!.fingerprint]: { value: '2.31 s', threshold: '> 2', sparkline: '▁▂▃▅▇' } },
      runbooks: { HighRequestLatency: { summary: 'Latency SLO at risk', firstSteps: ['Check `kubectl top pods -n ml`', 'Look at the queue depth'] } },
    };
    await outbox.deliver({ key: 'k1', receivedAt: Date.now(), channel: 'outbox', payload: grouped, context });
    await outbox.deliver({ key: 'k2', receivedAt: Date.now(), channel: 'outbox', payload: fixture('resolved') });
    // The shipped burn-rate page's name: one unbroken word wider than a phone in the card's title.
    const p = fixture('firing');
    p.commonLabels.alertname = 'SLOAvailabilityBurnRatePage';
    await outbox.deliver({ key: 'k3', receivedAt: Date.now(), channel: 'outbox', payload: p });
  }

  before(async () => {
    server = createServer(createApp({ logger: pino({ level: 'silent' }), routers: [outboxRoutes(store, 'http://alert-router.test')] }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await fill();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    server?.close();
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  for (const width of [390, 1280]) {
    it(`shows Slack, email and PagerDuty as their readers see them, newest first, at ${width} px`, async () => {
      const { page, errors, dialogs, status } = await openPage(browser, `${base}/outbox`, width);
      assert.equal(status, 200);
      // Open every view of every entry, so the screenshot and the overflow check cover them all.
      await page.evaluate(`document.querySelectorAll('details.view').forEach((d) => { d.open = true })`);
      // A frame off screen is painted only once it has been scrolled to.
      for (const f of await page.locator('iframe.email').all()) {
        await f.scrollIntoViewIfNeeded();
        await (await frameOf(f)).locator('h1').waitFor();
      }
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: join(ARTIFACTS, `outbox-${width}.png`), fullPage: true });
      await page.screenshot({ path: join(ARTIFACTS, `outbox-${width}-first-screen.png`) });
      assert.deepEqual(await page.locator('article.entry h2').allInnerTexts(), [
        'firing SLOAvailabilityBurnRatePage',
        'resolved HighErrorRate',
        'firing HighRequestLatency',
      ], 'newest first');
      assert.deepEqual(await overflowing(page), [], 'no element wider than the screen, or overflowing its own box');
      assert.equal(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true, 'no horizontal page scroll');

      // Slack: the Block Kit header, mrkdwn as formatting (not asterisks), buttons that are links.
      const slack = page.locator('article.entry').nth(2).locator('.slack');
      assert.match(await slack.locator('.sl-header').innerText(), /^FIRING 2\/3 \[WARNING\] HighRequestLatency$/);
      assert.equal(await slack.locator('.sl-section b', { hasText: 'p99 latency above 2s on inference-gateway' }).count() > 0, true);
      assert.doesNotMatch(await slack.innerText(), /\*p99|&amp;|&lt;/, 'mrkdwn rendered and unescaped once');
      assert.match(await slack.innerText(), /<script>window.__pwned=1<\/script>/, 'a hostile label is shown as text');
      const buttons = await linksOf(slack.locator('.sl-actions a.sl-btn'));
      assert.deepEqual(buttons.map(([t]) => t), ['Runbook', 'Silence', 'Source']);
      assert.equal(buttons[0]![1], 'http://ar.test/runbooks/HighRequestLatency');
      assert.match(buttons[1]?.[1] ?? '', /^http:\/\/am\.test:9093\/#\/silences\/new\?filter=/);
      assert.match(buttons[2]?.[1] ?? '', /^http:\/\/prometheus:9090\/graph\?g0\.expr=/);
      assert.equal(await slack.locator('a[href="http://ar.test/runbooks/HighRequestLatency"]', { hasText: 'runbook' }).count() > 0, true, 'mrkdwn <url|text> links work');

      // Email: its own HTML in a sandboxed frame, with its buttons.
      const iframe = page.locator('article.entry').nth(2).locator('iframe.email');
      assert.equal(await iframe.getAttribute('sandbox'), 'allow-popups allow-popups-to-escape-sandbox');
      const mail = await frameOf(iframe);
      assert.match(await mail.locator('h1').innerText(), /HighRequestLatency \(inference-gateway\)/);
      assert.deepEqual(await mail.locator('a').allInnerTexts(), ['Runbook', 'Silence', 'Source']);
      assert.equal(await mail.locator('a').first().getAttribute('href'), 'http://ar.test/runbooks/HighRequestLatency');
      assert.deepEqual(await overflowing(mail), [], 'the email fits its frame');
      const resolvedMail = await frameOf(page.locator('article.entry').nth(1).locator('iframe.email'));
      assert.deepEqual(await resolvedMail.locator('a').allInnerTexts(), ['Runbook', 'Source'], 'no Silence once resolved');

      // PagerDuty: the event's action, severity, summary and custom details.
      const pd = page.locator('article.entry').first().locator('.pd');
      assert.match(await pd.locator('.meta').innerText(), /trigger\s+critical/i);
      assert.match(await pd.locator('.pd-summary').innerText(), /High 5xx error rate/);
      assert.match(await pd.locator('.pd-details').innerText(), /firing/);
      assert.equal(await page.locator('article.entry').nth(1).locator('.pd .meta').innerText().then((t) => /resolve/i.test(t)), true);

      assert.equal(await page.evaluate('typeof window.__pwned'), 'undefined');
      assert.deepEqual([errors, dialogs], [[], []], 'no console error (a CSP violation would be one), no dialog');
      await page.close();
    });
  }

  it('the Clear button empties the outbox', async () => {
    const { page, errors } = await openPage(browser, `${base}/outbox`, 390);
    assert.equal(await page.locator('article.entry').count(), 3);
    await Promise.all([page.waitForURL(`${base}/outbox`), page.locator('form[action="/outbox/clear"] button').click()]);
    await page.locator('text=The outbox is empty').waitFor({ timeout: 5000 }).catch(async (err: unknown) => {
      await page.screenshot({ path: join(ARTIFACTS, 'outbox-clear-failed.png') });
      throw new Error(`not emptied: ${errors.join('; ')}`, { cause: err });
    });
    assert.equal(await page.locator('article.entry').count(), 0);
    assert.deepEqual(await store.list(), []);
    await page.screenshot({ path: join(ARTIFACTS, 'outbox-empty-390.png') });
    assert.deepEqual(errors, []);
    await page.close();
    await fill();
  });
});

describe('the outbox page with Slack actions on, in headless Chromium', () => {
  const prefix = `test-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const store = new OutboxStore(redis, prefix);
  const opts = { publicUrl: 'http://ar.test', alertmanagerUrl: 'http://am.test:9093', maxAlertsShown: 5, interactive: true };
  let browser: Browser;
  let server: Server;
  let base: string;

  before(async () => {
    // The older entry: a message someone acknowledged and silenced, as the action worker redraws it
    // (the outbox itself never stores one: its controls cannot be clicked).
    const now = Date.now();
    const firing = fixture('firing');
    const rendered = renderAll(firing, undefined, { ...opts, key: 'k1' });
    await store.push({
      at: new Date(now).toISOString(),
      channel: 'outbox',
      key: 'k1',
      status: 'firing',
      alertname: 'HighErrorRate',
      alerts: firing.alerts.length,
      rendered: {
        ...rendered,
        slack: withControls(formatSlackMessage(firing, undefined, opts), {
          ref: 'ar1:preview',
          resolved: false,
          now,
          ack: { userId: 'U1', name: 'jane', at: now - 60_000 },
          silence: { id: 's1', userId: 'U2', name: HOSTILE, until: now + 4 * 3600_000, hours: 4 },
        }),
      },
    });
    // The newest: what the outbox channel stores with actions on, for a group with a hostile label.
    const grouped = fixture('grouped');
    grouped.alerts[0]!.labels.pod = HOSTILE;
    await new OutboxChannel('outbox', store, opts).deliver({ key: 'k2', receivedAt: now, channel: 'outbox', payload: grouped });
    server = createServer(createApp({ logger: pino({ level: 'silent' }), routers: [outboxRoutes(store, 'http://alert-router.test')] }));
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

  for (const width of [390, 1280]) {
    it(`shows Acknowledge and the Silence menu on the card, inert, at ${width} px`, async () => {
      const { page, errors, dialogs, status } = await openPage(browser, `${base}/outbox`, width);
      assert.equal(status, 200);
      await page.screenshot({ path: join(ARTIFACTS, `outbox-actions-${width}.png`), fullPage: true });
      const [fresh, handled] = [page.locator('article.entry').nth(0).locator('.slack'), page.locator('article.entry').nth(1).locator('.slack')];

      // The newest card: Acknowledge (a button, not a link), the Silence menu, then the links without Silence.
      const ack = fresh.getByRole('button', { name: 'Acknowledge' });
      assert.equal(await ack.isVisible(), true);
      assert.equal(await page.evaluate(`getComputedStyle(document.querySelector('article.entry .slack button.sl-btn.primary')).backgroundColor`), 'rgb(0, 122, 90)', 'primary style');
      const select = fresh.locator('.sl-actions details.sl-select');
      assert.equal(await select.locator('summary').innerText(), 'Silence…');
      assert.equal(await select.locator('.sl-menu').isVisible(), false, 'the options are shown on a tap');
      assert.deepEqual((await linksOf(fresh.locator('.sl-actions a.sl-btn'))).map(([t]) => t), ['Runbook', 'Source']);
      assert.equal(await fresh.getByText('These controls act in Slack').count(), 1);
      assert.match(await fresh.innerText(), /<script>window.__pwned=1<\/script>/, 'a hostile label is shown as text');

      // Clicking Acknowledge goes nowhere; opening the menu shows its options, within the screen.
      assert.equal(await ack.isDisabled(), true, 'aria-disabled: a screen reader hears it does nothing here');
      await ack.click({ force: true });
      assert.equal(page.url(), `${base}/outbox`);
      await select.locator('summary').click();
      assert.deepEqual(await select.locator('.sl-menu li').allInnerTexts(), ['Silence 1h', 'Silence 4h', 'Silence 24h']);
      assert.equal(await select.locator('.sl-menu li').first().isVisible(), true);
      await select.scrollIntoViewIfNeeded();
      await page.evaluate('window.scrollBy(0, -120)');
      await page.screenshot({ path: join(ARTIFACTS, `outbox-actions-${width}-menu-open.png`) });
      const [menu, card] = await Promise.all([select.locator('.sl-menu').boundingBox(), fresh.boundingBox()]);
      assert.ok(menu && card && menu.x >= card.x && menu.x + menu.width <= card.x + card.width, 'the menu stays within the card');
      assert.deepEqual(await overflowing(page), [], 'no element wider than the screen, or overflowing its own box');
      assert.equal(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true, 'no horizontal page scroll');

      // The older card: who acknowledged and silenced it, and Unsilence in place of both controls.
      await handled.screenshot({ path: join(ARTIFACTS, `outbox-actions-${width}-handled.png`) });
      assert.match(await handled.locator('.sl-context', { hasText: 'Acknowledged by' }).innerText(), /Acknowledged by @jane .+ · .*Silenced for 4h by @<script>window.__pwned=1<\/script>/);
      assert.equal(await handled.getByRole('button', { name: 'Unsilence' }).isVisible(), true);
      assert.equal(await handled.getByRole('button', { name: 'Acknowledge' }).count(), 0);
      assert.equal(await handled.locator('.sl-select').count(), 0);

      assert.equal(await page.evaluate('typeof window.__pwned'), 'undefined');
      assert.deepEqual([errors, dialogs], [[], []], 'no console error (a CSP violation would be one), no dialog');
      await page.close();
    });
  }
});
