import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { WebhookPayload } from '../../src/alert/webhook-payload.js';
import { fixture } from '../../support/fixtures.js';
import { waitFor } from '../../support/wait.js';
import { ARTIFACTS, launchBrowser } from '../helpers/browser.js';
import { linksOf, overflowing } from '../helpers/page-checks.js';
import { startSmtpSink, type SinkMessage, type SmtpSink } from '../helpers/smtp-sink.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';
import { postWebhook, settled, uniqueGroup } from '../helpers/webhook-client.js';

/** The shipped latency page (it has a runbook with first steps), firing on two instances, one resolved. */
function latencyGroup(): WebhookPayload {
  const p = uniqueGroup(fixture('grouped'));
  for (const a of [p.alerts, [{ labels: p.commonLabels }], [{ labels: p.groupLabels }]].flat())
    a.labels.alertname = 'SLOLatencyBurnRatePage';
  p.commonLabels.severity = 'critical';
  for (const a of p.alerts) a.labels.severity = 'critical';
  // The captured annotation names the captured alert's runbook, which alert-router does not have.
  for (const annotations of [p.commonAnnotations, ...p.alerts.map((a) => a.annotations)]) delete annotations.runbook_url;
  // A label value wider than a phone, unbroken: it must wrap, not widen the mail.
  p.alerts[0]!.labels.pod = `inference-gateway-${'7f9c4d'.repeat(12)}`;
  return p;
}

describe('the email as a mail client shows it (SMTP, then headless Chromium)', () => {
  let sink: SmtpSink;
  let router: TestRouter;
  let browser: Browser;
  const received: Record<'firing' | 'resolved', SinkMessage | undefined> = { firing: undefined, resolved: undefined };

  before(async () => {
    sink = await startSmtpSink();
    router = await startTestRouter(
      { channels: { mail: { type: 'email', to: ['oncall@example.com'] } }, defaultChannels: ['mail'] },
      { SMTP_URL: sink.url, EMAIL_FROM: 'alert-router@example.com', WEBHOOK_BEARER_TOKEN: 't', ALERTMANAGER_URL: 'http://alertmanager.test:9093' },
    );
    const firing = latencyGroup();
    await postWebhook(router.url, firing);
    received.firing = await waitFor(() => sink.messages.find((m) => m.subject.startsWith('[FIRING:2]')), 'the firing email');
    const resolved: WebhookPayload = { ...firing, status: 'resolved', alerts: firing.alerts.map((a) => ({ ...a, status: 'resolved', endsAt: '2026-11-25T13:30:05.917Z' })) };
    await postWebhook(router.url, resolved);
    received.resolved = await waitFor(() => sink.messages.find((m) => m.subject.startsWith('[RESOLVED]')), 'the resolved email');
    await settled(router);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await router?.stop();
    await sink?.stop();
  });

  const part = (m: SinkMessage | undefined, type: string): string => m!.parts.find((p) => p.contentType.startsWith(type))!.body;

  for (const kind of ['firing', 'resolved'] as const)
    for (const width of [390, 1280])
      it(`the ${kind} email fits ${width} px, its buttons link where they should`, async () => {
        const page = await browser.newPage({ viewport: { width, height: 844 }, deviceScaleFactor: width < 600 ? 2 : 1 });
        const errors: string[] = [];
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        await page.setContent(part(received[kind], 'text/html'), { waitUntil: 'load' });
        await page.screenshot({ path: join(ARTIFACTS, `email-${kind}-${width}.png`), fullPage: true });
        assert.deepEqual(await overflowing(page), [], 'nothing wider than the screen');
        assert.equal(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true, 'no horizontal scroll');
        const header = page.locator('h1');
        assert.equal(await header.innerText(), 'SLOLatencyBurnRatePage (inference-gateway)');
        const colour = await page.evaluate(`getComputedStyle(document.querySelector('h1').parentElement).backgroundColor`);
        assert.equal(colour, kind === 'firing' ? 'rgb(180, 35, 24)' : 'rgb(6, 118, 71)', 'red while firing, green once resolved');
        const links = await linksOf(page.locator('a'));
        assert.deepEqual(links.map(([t]) => t), kind === 'firing' ? ['Runbook', 'Silence', 'Source'] : ['Runbook', 'Source']);
        assert.equal(links[0]?.[1], 'http://alert-router.test/runbooks/SLOLatencyBurnRatePage');
        if (kind === 'firing') assert.match(links[1]?.[1] ?? '', /^http:\/\/alertmanager\.test:9093\/#\/silences\/new\?filter=/);
        const body = await page.locator('body').innerText();
        if (kind === 'firing') {
          assert.match(body, /FIRST STEPS · RUNBOOK SLOLatencyBurnRatePage/);
          assert.match(body, /Firing since 25 Nov 12:54 UTC \(\d+ d(?: \d+ h)?\) · 2 of 3 alerts firing/);
        } else {
          assert.match(body, /Resolved at 25 Nov 13:30 UTC after firing for 35 min \(from 25 Nov 12:54 UTC\)/);
          assert.doesNotMatch(body, /FIRST STEPS|Silence/);
        }
        assert.deepEqual(errors, []);
        await page.close();
      });

  it('the text part says the same: status, times, labels once, the varying ones per alert, steps, links', () => {
    const text = part(received.firing, 'text/plain');
    assert.match(text, /^FIRING · CRITICAL · SLOLatencyBurnRatePage \(inference-gateway\)$/m);
    assert.match(text, /^Firing since 25 Nov 12:54 UTC \(\d+ d(?: \d+ h)?\) · 2 of 3 alerts firing$/m);
    assert.match(text, /^team: ml-platform$/m);
    assert.equal(text.replace(/https?:\/\/\S+/g, '').match(/ml-platform/g)?.length, 1, 'shared labels once (links aside)');
    assert.match(text, /^\* \[firing\] instance=inference-gateway-0:8080, pod=inference-gateway-7f9c4d/m);
    assert.match(text, /^First steps \(runbook SLOLatencyBurnRatePage\)/m);
    assert.match(text, /^Runbook: http:\/\/alert-router\.test\/runbooks\/SLOLatencyBurnRatePage$/m);
    assert.match(text, /^Silence: http:\/\/alertmanager\.test:9093\//m);
    const resolved = part(received.resolved, 'text/plain');
    assert.match(resolved, /^RESOLVED · CRITICAL · SLOLatencyBurnRatePage/m);
    assert.doesNotMatch(resolved, /Silence|First steps/);
  });
});
