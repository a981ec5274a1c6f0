import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { WebhookPayload } from '../../src/alert/webhook-payload.js';
import { startFakeSlack, type FakeSlack, type SlackRequest } from '../../support/fake-slack.js';
import { linksIn } from '../helpers/links-in.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';
import { postWebhook as post, settled, uniqueGroup } from '../helpers/webhook-client.js';
import { fixture } from '../../support/fixtures.js';
import { waitFor } from '../../support/wait.js';

// What a reader sees in Slack: the links of the actions block, and the text of every section.
const PUBLIC_URL = 'http://alert-router.test';
const GRAFANA_URL = 'https://grafana.example:3000';

const CHECKOUT_RUNBOOK = `---
title: Checkout is failing
summary: The checkout service answers with errors.
dashboards:
  - title: Service health
    uid: service-health
first_steps:
  - 'Read the errors: \`grep ERROR .run/logs/<service>.log\` on {{ $labels.instance }}'
  - 'Ask the owner of <host> (not a label: stays as written)'
---
# Checkout
`;

type Button = { action_id: string; url: string; text: { text: string } };

const buttonsOf = (r: SlackRequest): Button[] =>
  (r.body.blocks as Array<{ type: string; elements?: Button[] }>).find((b) => b.type === 'actions')
    ?.elements ?? [];
const textOf = (r: SlackRequest): string =>
  (r.body.blocks as Array<{ text?: { text?: string } }>).map((b) => b.text?.text ?? '').join('\n');

function checkoutAlert(
  labels: Record<string, string>,
  annotations: Record<string, string> = {},
): WebhookPayload {
  const p = uniqueGroup(fixture('firing'));
  const all = { ...p.alerts[0]!.labels, ...labels };
  const notes = { summary: 'checkout errors', ...annotations };
  return {
    ...p,
    alerts: [{ ...p.alerts[0]!, labels: all, annotations: notes }],
    commonLabels: all,
    commonAnnotations: notes,
    groupLabels: { alertname: all.alertname! },
  };
}

let slack: FakeSlack;
let runbooksDir: string;
before(async () => {
  slack = await startFakeSlack();
  runbooksDir = mkdtempSync(join(tmpdir(), 'ar-links-'));
  writeFileSync(join(runbooksDir, 'CheckoutErrors.md'), CHECKOUT_RUNBOOK);
});
after(async () => {
  await slack.close();
  rmSync(runbooksDir, { recursive: true, force: true });
});

async function startRouter(env: Record<string, string>): Promise<TestRouter> {
  return startTestRouter(
    { channels: { slack: { type: 'slack', channel: '#alerts' } }, defaultChannels: ['slack'] },
    {
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_API_URL: slack.url,
      WEBHOOK_BEARER_TOKEN: 't',
      PUBLIC_URL,
      RUNBOOKS_DIR: runbooksDir,
      ...env,
    },
  );
}

async function slackReceives(router: TestRouter, p: WebhookPayload): Promise<SlackRequest> {
  const mark = slack.calls('chat.postMessage').length;
  await post(router.url, p);
  await waitFor(() => slack.calls('chat.postMessage').length > mark, 'chat.postMessage');
  await settled(router);
  return slack.calls('chat.postMessage')[mark]!;
}

describe('links and steps Slack receives, without ALERTMANAGER_URL or GRAFANA_URL', () => {
  let router: TestRouter;
  before(async () => {
    router = await startRouter({});
  });
  after(async () => {
    await router.stop();
  });

  test('no Silence button that points at alert-router itself', async () => {
    const p = checkoutAlert({ alertname: 'CheckoutErrors' });
    p.externalURL = `${PUBLIC_URL}/`;
    const req = await slackReceives(router, p);
    assert.deepEqual(
      buttonsOf(req).map((b) => b.action_id),
      ['runbook', 'source'],
    );
    for (const link of linksIn(req.body)) assert.doesNotMatch(link, /silences/, link);
  });

  test("an Alertmanager's own http(s) externalURL still gives the Silence button", async () => {
    const p = checkoutAlert({ alertname: 'CheckoutErrors' });
    p.externalURL = 'http://alertmanager.internal:9093';
    const req = await slackReceives(router, p);
    const silence = buttonsOf(req).find((b) => b.action_id === 'silence');
    assert.match(silence?.url ?? '', /^http:\/\/alertmanager\.internal:9093\/#\/silences\/new\?filter=/);
  });

  test('no dashboard link without GRAFANA_URL', async () => {
    const req = await slackReceives(router, checkoutAlert({ alertname: 'CheckoutErrors' }));
    for (const link of linksIn(req.body)) assert.doesNotMatch(link, /\/d\/service-health/, link);
  });

  test("fills the runbook's placeholders from the group's labels; unknown ones and hostile values stay placeholders", async () => {
    const req = await slackReceives(
      router,
      checkoutAlert({ alertname: 'CheckoutErrors', service: 'checkout', instance: 'co-1 <!channel>' }),
    );
    const text = textOf(req);
    assert.ok(
      text.includes('1. Read the errors: `grep ERROR .run/logs/checkout.log` on {{ $labels.instance }}'),
      text,
    );
    assert.ok(text.includes('2. Ask the owner of &lt;host&gt; (not a label: stays as written)'), text);
    assert.doesNotMatch(JSON.stringify(req.body), /<!channel>/);
  });

  test('an alert without a runbook here links the runbook_url it carries, and nothing of ours', async () => {
    const req = await slackReceives(
      router,
      checkoutAlert(
        { alertname: 'KubePodCrashLooping' },
        { runbook_url: 'https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubepodcrashlooping' },
      ),
    );
    const runbooks = buttonsOf(req).filter((b) => b.action_id.startsWith('runbook'));
    assert.deepEqual(
      runbooks.map((b) => [b.text.text, b.url]),
      [['Runbook', 'https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubepodcrashlooping']],
    );
    for (const link of linksIn(req.body)) assert.ok(!link.startsWith(`${PUBLIC_URL}/runbooks/`), link);
  });

  test('an alert with a runbook here and its own runbook_url links both, ours first, told apart', async () => {
    const req = await slackReceives(
      router,
      checkoutAlert(
        { alertname: 'CheckoutErrors' },
        { runbook_url: 'https://wiki.example/checkout', dashboard_url: 'https://grafana.other/d/abc' },
      ),
    );
    assert.deepEqual(
      buttonsOf(req)
        .map((b) => [b.text.text, b.url])
        .slice(0, 3),
      [
        ['Runbook', `${PUBLIC_URL}/runbooks/CheckoutErrors`],
        ["Alert's runbook", 'https://wiki.example/checkout'],
        ['Dashboard', 'https://grafana.other/d/abc'],
      ],
    );
  });

  test('a dashboard annotation that is not http(s) is no link', async () => {
    const req = await slackReceives(
      router,
      checkoutAlert(
        { alertname: 'CheckoutErrors' },
        { dashboard_url: 'javascript:alert(1)', grafana_url: 'x' },
      ),
    );
    assert.doesNotMatch(JSON.stringify(req.body), /javascript:/);
    assert.ok(!buttonsOf(req).some((b) => b.action_id.startsWith('dashboard')));
  });
});

describe('links Slack receives with GRAFANA_URL', () => {
  let router: TestRouter;
  before(async () => {
    router = await startRouter({ GRAFANA_URL: `${GRAFANA_URL}/` });
  });
  after(async () => {
    await router.stop();
  });

  test("the runbook's dashboards link into that Grafana by uid", async () => {
    const req = await slackReceives(router, checkoutAlert({ alertname: 'CheckoutErrors' }));
    assert.deepEqual(
      buttonsOf(req).find((b) => b.action_id === 'dashboard'),
      {
        type: 'button',
        action_id: 'dashboard',
        text: { type: 'plain_text', text: 'Service health' },
        url: `${GRAFANA_URL}/d/service-health`,
      },
    );
  });
});

describe('what the outbox shows of the captured HighErrorRate alert with the shipped runbooks', () => {
  let router: TestRouter;
  before(async () => {
    router = await startTestRouter(
      { channels: { outbox: { type: 'outbox' } }, defaultChannels: ['outbox'] },
      { WEBHOOK_BEARER_TOKEN: 't', PUBLIC_URL, GRAFANA_URL },
    );
  });
  after(async () => {
    await router.stop();
  });

  test('PagerDuty links and the email and PagerDuty steps are filled for inference-gateway', async () => {
    const p = uniqueGroup(fixture('firing'));
    await post(router.url, p);
    await settled(router);
    type Entry = {
      rendered: {
        pagerduty: {
          links: Array<{ text: string; href: string }>;
          payload: { custom_details: { runbook?: { firstSteps: string[] } } };
        };
        email: { text: string };
      };
    };
    const { entries } = (await (await fetch(`${router.url}/api/outbox`)).json()) as { entries: Entry[] };
    const { pagerduty, email } = entries[0]!.rendered;
    assert.deepEqual(
      pagerduty.links.map((l) => [l.text, l.href.split('?')[0]]),
      [
        // The alert's runbook_url (http://localhost:8080/runbooks/HighErrorRate) is this same page.
        ['Runbook', `${PUBLIC_URL}/runbooks/HighErrorRate`],
        ['Service health dashboard', `${GRAFANA_URL}/d/service-health`],
        ['Silence in Alertmanager', 'http://alertmanager:9093/#/silences/new'],
        ['Source graph', 'http://prometheus:9090/graph'],
      ],
    );
    const steps = pagerduty.payload.custom_details.runbook?.firstSteps ?? [];
    assert.match(steps[0] ?? '', /http_requests_total\{service="inference-gateway",status_code=~"5\.\."\}/);
    assert.match(steps[1] ?? '', /instance="inference-gateway-0:8080"/);
    assert.match(
      steps[2] ?? '',
      /docker compose logs --since 15m inference-gateway .*\.run\/logs\/inference-gateway\.log/,
    );
    assert.match(
      email.text,
      /^ {2}3\. Read its errors: `docker compose logs --since 15m inference-gateway /m,
    );
    assert.doesNotMatch(JSON.stringify(entries[0]), /<service>|<instance>/);
  });
});
