import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startAlertmanager, type LocalAlertmanager } from '../../support/alertmanager-server.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';

// As in runbook-pages.test.ts: markup that could execute, and a label value that tries to.
const EXECUTABLE = /<script|<iframe|<img|<[^>]+\son\w+\s*=|href\s*=\s*["']?\s*javascript:/i;
const HOSTILE_LABEL = `</span><script>window.__pwned=1</script>"><img src=x onerror="window.__pwned=1">`;

const get = async (
  base: string,
  path: string,
  accept = 'text/html',
): Promise<{ status: number; body: string }> => {
  const res = await fetch(`${base}${path}`, { headers: { accept } });
  return { status: res.status, body: await res.text() };
};

const RUNBOOK = `---
title: Checkout is failing
summary: The checkout service answers with errors.
links:
  - title: Checkout docs
    url: https://docs.example/checkout
dashboards:
  - title: Service health
    uid: service-health
first_steps:
  - 'Read the errors: \`grep ERROR .run/logs/<service>.log\` (team <team>)'
  - 'Which instance: <instance>'
---
# Checkout
`;

/** The page of a runbook whose alert fires twice (two instances, one service, a hostile team). */
describe('the runbook page of a firing alert: steps and dashboard links', () => {
  let am: LocalAlertmanager;
  let dir: string;
  let withGrafana: TestRouter;
  let without: TestRouter;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rb-links-'));
    writeFileSync(join(dir, 'CheckoutErrors.md'), RUNBOOK);
    am = await startAlertmanager('route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n');
    const labels = { alertname: 'CheckoutErrors', service: 'checkout', team: HOSTILE_LABEL };
    const startsAt = new Date(Date.now() - 60_000).toISOString();
    const endsAt = new Date(Date.now() + 3600_000).toISOString();
    await am.postAlerts(
      ['co-1:8080', 'co-2:8080'].map((instance) => ({ labels: { ...labels, instance }, startsAt, endsAt })),
    );
    const config = { channels: { outbox: { type: 'outbox' } }, defaultChannels: ['outbox'] };
    const env = { RUNBOOKS_DIR: dir, ALERTMANAGER_URL: am.url };
    withGrafana = await startTestRouter(config, { ...env, GRAFANA_URL: 'https://grafana.test/' });
    without = await startTestRouter(config, env);
  });
  after(async () => {
    await withGrafana?.stop();
    await without?.stop();
    await am?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("fills the steps from the firing instances' common labels; a hostile value or an unshared label stays a placeholder", async () => {
    const r = await get(withGrafana.url, '/runbooks/CheckoutErrors');
    assert.equal(r.status, 200);
    assert.match(r.body, /Firing now · 2 instances/);
    const steps = /<ol class="steps">([\s\S]*?)<\/ol>/.exec(r.body)?.[1] ?? '';
    assert.match(
      steps,
      /<li>Read the errors: <code>grep ERROR \.run\/logs\/checkout\.log<\/code> \(team &lt;team&gt;\)<\/li>/,
    );
    assert.match(steps, /<li>Which instance: &lt;instance&gt;<\/li>/);
    assert.doesNotMatch(r.body, EXECUTABLE);
    const json = JSON.parse(
      (await get(withGrafana.url, '/runbooks/CheckoutErrors', 'application/json')).body,
    ) as {
      runbook: { firstSteps: string[]; links: Array<{ title: string; url: string }> };
    };
    assert.equal(
      json.runbook.firstSteps[0],
      'Read the errors: `grep ERROR .run/logs/checkout.log` (team <team>)',
    );
  });

  it('links the dashboards into GRAFANA_URL by uid, and only where it is set', async () => {
    const links = async (router: TestRouter): Promise<string[]> => {
      const body = (await get(router.url, '/runbooks/CheckoutErrors')).body;
      return [...body.matchAll(/<a class="btn" href="([^"]*)"[^>]*>([^<]*)<\/a>/g)]
        .filter((m) => !m[1]!.includes('silences'))
        .map((m) => `${m[2]} ${m[1]}`);
    };
    assert.deepEqual(await links(withGrafana), [
      'Checkout docs https://docs.example/checkout',
      'Service health https://grafana.test/d/service-health',
    ]);
    assert.deepEqual(await links(without), ['Checkout docs https://docs.example/checkout']);
  });
});
