import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  routerWebhookConfig,
  startAlertmanager,
  type LocalAlertmanager,
  type PostedAlert,
} from '../../support/alertmanager-server.js';
import { freePort } from '../../support/free-port.js';
import { sleep, waitFor } from '../../support/wait.js';
import { startFakePagerDuty, type FakePagerDuty } from '../helpers/fake-pagerduty.js';
import { startFakeSlack, type FakeSlack, type SlackRequest } from '../../support/fake-slack.js';
import { click, control, currentBlocks, TEST_TEAM, type ClickOptions } from '../../support/slack-click.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';

// Slack, as the issue describes it: a real Alertmanager 0.25 notifies alert-router, which posts to
// a local Slack Web API and PagerDuty; clicks come signed as Slack signs them. Every assertion is
// on what Alertmanager, PagerDuty or Slack ended up with.

const SECRET = 'test-signing-secret-8f3a1c';
const TOKEN = 'slack-actions-webhook-token';
const PD_KEY = 'R0UT1NGKEYR0UT1NGKEYR0UT1NGKEY12';
const ONCALL_GROUP = 'S0ONCALL';
const GROUP_MEMBER = { id: 'U0GROUPMEMBER', username: 'sam' };
const STRANGER = { id: 'U0STRANGER', username: 'mallory' };

let slack: FakeSlack;
let pd: FakePagerDuty;
let router: TestRouter;
let am: LocalAlertmanager;
let clickOpts: ClickOptions;

interface Silence {
  id: string;
  status: { state: string };
  createdBy: string;
  comment: string;
  startsAt: string;
  endsAt: string;
  matchers: Array<{ name: string; value: string; isRegex: boolean; isEqual: boolean }>;
}

const silences = async (): Promise<Silence[]> =>
  (await (await fetch(`${am.url}/api/v2/silences`)).json()) as Silence[];
const activeSilences = async (): Promise<Silence[]> =>
  (await silences()).filter((s) => s.status.state === 'active');

const alert = (alertname: string, instance: string, extra: Partial<PostedAlert> = {}): PostedAlert => ({
  labels: { alertname, service: 'checkout', severity: 'critical', instance },
  annotations: { summary: `${alertname} on ${instance}` },
  startsAt: new Date().toISOString(),
  generatorURL: 'http://prometheus.test:9090/graph?g0.expr=up',
  ...extra,
});

/** The top-level post (not a thread reply) alert-router made for an alert name, once it exists. */
async function postFor(alertname: string, after = 0): Promise<SlackRequest> {
  return waitFor(
    () =>
      slack
        .calls('chat.postMessage')
        .slice(after)
        .find((r) => r.body.thread_ts === undefined && String(r.body.text).includes(alertname) && r.response),
    `a Slack message for ${alertname}`,
    20_000,
  );
}

const threadReplies = (post: SlackRequest): string[] =>
  slack
    .calls('chat.postMessage')
    .filter((r) => r.body.thread_ts === slack.tsOf(post))
    .map((r) => String(r.body.text));

const blocksText = (post: SlackRequest): string => JSON.stringify(currentBlocks(slack, post));

const notices = (responseId: string): string[] =>
  slack.responses.filter((r) => r.id === responseId).map((r) => String(r.body.text));

before(async () => {
  slack = await startFakeSlack();
  slack.setUserGroup(ONCALL_GROUP, [GROUP_MEMBER.id]);
  pd = await startFakePagerDuty();
  const amPort = await freePort();
  router = await startTestRouter(
    {
      channels: {
        'slack-alerts': {
          type: 'slack',
          channel: '#alerts',
          postIntervalMs: 10,
          silenceAllowed: { users: ['U0TESTUSER'], userGroups: [ONCALL_GROUP] },
        },
        pager: { type: 'pagerduty', routingKeyEnv: 'PD_KEY' },
      },
      defaultChannels: ['slack-alerts', 'pager'],
      delivery: { attempts: 4, backoffMs: 100 },
      slack: { actions: { attempts: 6, backoffMs: 300 } },
    },
    {
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_API_URL: slack.url,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_TEAM_ID: TEST_TEAM,
      ALERTMANAGER_URL: `http://127.0.0.1:${amPort}`,
      WEBHOOK_BEARER_TOKEN: TOKEN,
      PD_KEY,
      PAGERDUTY_EVENTS_URL: pd.eventsUrl,
    },
    { pagerdutyAgent: pd.agent },
  );
  am = await startAlertmanager(routerWebhookConfig(`${router.url}/webhook/alertmanager`, TOKEN), {
    port: amPort,
  });
  clickOpts = { secret: SECRET, routerUrl: router.url };
});

after(async () => {
  await am?.close();
  await router?.stop();
  await pd?.close();
  await slack?.close();
});

describe('silence from Slack', { timeout: 120_000 }, () => {
  let post: SlackRequest;

  test('a firing message carries Acknowledge and a 1h/4h/24h Silence menu instead of the Silence link', async () => {
    await am.postAlerts([alert('CheckoutErrors', 'web-0')]);
    post = await postFor('CheckoutErrors');
    const blocks = currentBlocks(slack, post);
    assert.ok(control(blocks, 'ar-acknowledge'), 'Acknowledge button');
    const menu = control(blocks, 'ar-silence')!;
    assert.equal(menu.element.type, 'static_select');
    assert.deepEqual(
      (menu.element.options as Array<{ value: string }>).map((o) => o.value),
      ['1h', '4h', '24h'],
    );
    assert.ok(!blocksText(post).includes('#/silences/new'), 'no URL button to the silence form');
    assert.ok(control(blocks, 'source'), 'the Source link stays');
  });

  test('Silence 4h creates the exact silence in Alertmanager, which then stops notifying the group', async () => {
    const res = await click(slack, post, 'ar-silence', clickOpts, '4h');
    assert.equal(res.status, 200);
    assert.ok(res.ms < 3000, `answered in ${res.ms} ms`);
    const [silence] = await waitFor(async () => {
      const s = await activeSilences();
      return s.length > 0 ? s : undefined;
    }, 'the silence in Alertmanager');
    assert.deepEqual(
      silence!.matchers.map((m) => ({ ...m })).sort((a, b) => a.name.localeCompare(b.name)),
      [
        { name: 'alertname', value: 'CheckoutErrors', isRegex: false, isEqual: true },
        { name: 'service', value: 'checkout', isRegex: false, isEqual: true },
      ],
    );
    assert.equal(silence!.createdBy, 'jane (U0TESTUSER)');
    assert.match(silence!.comment, /Silenced from Slack for 4h: alert group .*CheckoutErrors/);
    const hours = (Date.parse(silence!.endsAt) - Date.now()) / 3600_000;
    assert.ok(hours > 3.9 && hours <= 4, `endsAt ${silence!.endsAt} is 4h away`);

    await waitFor(
      () => blocksText(post).includes('Silenced for 4h by @jane'),
      'the message shows the silence',
    );
    assert.ok(control(currentBlocks(slack, post), 'ar-unsilence'), 'Unsilence replaces the menu');
    await waitFor(
      () => threadReplies(post).some((t) => t.includes('@jane silenced this alert group for 4h')),
      'a thread reply naming who silenced',
    );

    // A new alert of the silenced group: Alertmanager marks it silenced and sends nothing.
    const updatesBefore = slack.calls('chat.update').length;
    const postsBefore = slack.calls('chat.postMessage').length;
    await am.postAlerts([alert('CheckoutErrors', 'web-1')]);
    await waitFor(async () => {
      const alerts = (await (
        await fetch(`${am.url}/api/v2/alerts?filter=${encodeURIComponent('instance="web-1"')}`)
      ).json()) as Array<{ status: { silencedBy: string[] } }>;
      return alerts[0]?.status.silencedBy.includes(silence!.id);
    }, 'Alertmanager to mark the new alert silenced by our silence');
    await sleep(3000); // three group_intervals: a notification would have come by now
    assert.equal(
      slack.calls('chat.update').length,
      updatesBefore,
      'no message update for the silenced group',
    );
    assert.equal(slack.calls('chat.postMessage').length, postsBefore, 'no new message or reply');
  });

  test('the same click delivered twice (a Slack retry) and a double tap create one silence', async () => {
    const before = (await silences()).length;
    const retry = { ...clickOpts, actionTs: '1764000000.123456' };
    const first = await click(slack, post, 'ar-silence', { ...retry, responseId: 'retry-a' }, '4h');
    const second = await click(slack, post, 'ar-silence', { ...retry, responseId: 'retry-b' }, '4h');
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    // The first copy runs and finds the group already silenced for 4h; the second never runs.
    await waitFor(() => notices('retry-a').length > 0, 'a notice for the click');
    assert.match(notices('retry-a')[0]!, /Already silenced by @jane/);
    await sleep(500);
    assert.deepEqual(notices('retry-b'), [], 'the retried copy was not carried out again');
    assert.equal((await silences()).length, before, 'no second silence');
    const counted = await router.metrics.registry.getSingleMetricAsString(
      'alert_router_slack_action_requests_total',
    );
    assert.match(counted, /result="duplicate"\} 1/);
  });

  test('Unsilence expires the silence and brings the menu back', async () => {
    const [silence] = await activeSilences();
    const res = await click(slack, post, 'ar-unsilence', clickOpts);
    assert.equal(res.status, 200);
    await waitFor(async () => (await activeSilences()).length === 0, 'the silence expired');
    const expired = (await silences()).find((s) => s.id === silence!.id);
    assert.equal(expired?.status.state, 'expired');
    await waitFor(() => control(currentBlocks(slack, post), 'ar-silence'), 'the Silence menu again');
    assert.ok(!blocksText(post).includes('Silenced for'), 'the silence line is gone');
    await waitFor(
      () => threadReplies(post).some((t) => t.includes('@jane removed the silence')),
      'a thread reply for the unsilence',
    );
  });
});

describe('acknowledge from Slack', { timeout: 120_000 }, () => {
  let post: SlackRequest;
  let trigger: Record<string, unknown>;

  test('Acknowledge updates the message, replies in the thread and acknowledges the PagerDuty incident', async () => {
    await am.postAlerts([alert('PaymentsDown', 'pay-0')]);
    post = await postFor('PaymentsDown');
    trigger = await waitFor(
      () => pd.events.find((e) => e.event_action === 'trigger' && JSON.stringify(e).includes('PaymentsDown')),
      'the PagerDuty trigger',
    );
    const res = await click(slack, post, 'ar-acknowledge', { ...clickOpts, user: GROUP_MEMBER });
    assert.equal(res.status, 200);
    assert.ok(res.ms < 3000);
    const ack = await waitFor(
      () => pd.events.find((e) => e.event_action === 'acknowledge'),
      'the PagerDuty acknowledge',
    );
    assert.equal(ack.dedup_key, trigger.dedup_key);
    assert.equal(ack.routing_key, PD_KEY);
    await waitFor(
      () => blocksText(post).includes('Acknowledged by @sam'),
      'the acknowledgement on the message',
    );
    assert.equal(control(currentBlocks(slack, post), 'ar-acknowledge'), undefined, 'no second Acknowledge');
    await waitFor(
      () => threadReplies(post).some((t) => t.includes('@sam acknowledged this alert group')),
      'a thread reply naming who acknowledged',
    );
  });

  test('the acknowledgement survives the next update of the group', async () => {
    const updates = slack.calls('chat.update').length;
    await am.postAlerts([alert('PaymentsDown', 'pay-1')]);
    await waitFor(
      () =>
        slack
          .calls('chat.update')
          .slice(updates)
          .some(
            (r) => r.body.ts === slack.tsOf(post) && JSON.stringify(r.body.blocks).includes('FIRING 2/2'),
          ),
      'the message updated for the grown group',
    );
    assert.match(blocksText(post), /FIRING 2\/2/);
    assert.match(blocksText(post), /Acknowledged by @sam/);
  });

  test('a resolved message keeps who acknowledged, loses the controls; a new episode starts unacknowledged', async () => {
    // The same episodes, ended, as Prometheus resolves them: with the startsAt Alertmanager holds
    // (a resolution of another startsAt is late news of an older episode, and is dropped).
    const held = (await (
      await fetch(`${am.url}/api/v2/alerts?filter=${encodeURIComponent('alertname="PaymentsDown"')}`)
    ).json()) as Array<{ labels: Record<string, string>; startsAt: string }>;
    assert.equal(held.length, 2);
    const endsAt = new Date().toISOString();
    await am.postAlerts(held.map((a) => ({ labels: a.labels, startsAt: a.startsAt, endsAt })));
    await waitFor(() => blocksText(post).includes('RESOLVED'), 'the resolved message', 20_000);
    const blocks = currentBlocks(slack, post);
    assert.equal(control(blocks, 'ar-acknowledge'), undefined);
    assert.equal(control(blocks, 'ar-silence'), undefined);
    assert.match(blocksText(post), /Acknowledged by @sam/);

    const posts = slack.calls('chat.postMessage').length;
    await am.postAlerts([alert('PaymentsDown', 'pay-0', { startsAt: new Date().toISOString() })]);
    const again = await postFor('PaymentsDown', posts);
    assert.notEqual(slack.tsOf(again), slack.tsOf(post), 'a new message for the new episode');
    assert.ok(control(currentBlocks(slack, again), 'ar-acknowledge'), 'Acknowledge again');
    assert.ok(!blocksText(again).includes('Acknowledged by'), 'no acknowledgement carried over');
  });
});

describe('refused clicks change nothing', { timeout: 120_000 }, () => {
  let post: SlackRequest;
  let before: { silences: number; acks: number };

  const unchanged = async (): Promise<void> => {
    assert.equal((await silences()).length, before.silences, 'no silence created');
    assert.equal(
      pd.events.filter((e) => e.event_action === 'acknowledge').length,
      before.acks,
      'no acknowledge sent',
    );
  };

  test('setup: a firing group', async () => {
    await am.postAlerts([alert('InventoryLag', 'inv-0')]);
    post = await postFor('InventoryLag');
    before = {
      silences: (await silences()).length,
      acks: pd.events.filter((e) => e.event_action === 'acknowledge').length,
    };
  });

  test('bad signature, replayed timestamp and altered body: 401', async () => {
    const bad = await click(
      slack,
      post,
      'ar-silence',
      { ...clickOpts, signature: `v0=${'0'.repeat(64)}` },
      '4h',
    );
    assert.equal(bad.status, 401);
    const wrongSecret = await click(
      slack,
      post,
      'ar-silence',
      { ...clickOpts, secret: 'not-the-secret' },
      '4h',
    );
    assert.equal(wrongSecret.status, 401);
    const old = await click(
      slack,
      post,
      'ar-silence',
      { ...clickOpts, timestamp: Math.floor(Date.now() / 1000) - 6 * 60 },
      '4h',
    );
    assert.equal(old.status, 401);
    assert.match(old.body, /5 minutes/);
    const altered = await click(slack, post, 'ar-acknowledge', {
      ...clickOpts,
      tamper: (b) => b.replace('jane', 'joan'),
    });
    assert.equal(altered.status, 401);
    await sleep(500);
    await unchanged();
  });

  test('another workspace: 403', async () => {
    const res = await click(slack, post, 'ar-acknowledge', { ...clickOpts, teamId: 'T0OTHERTEAM' });
    assert.equal(res.status, 403);
    await sleep(300);
    await unchanged();
  });

  test('a user not on the allow-list is refused politely, and may still acknowledge', async () => {
    const res = await click(
      slack,
      post,
      'ar-silence',
      { ...clickOpts, user: STRANGER, responseId: 'stranger' },
      '1h',
    );
    assert.equal(res.status, 200);
    await waitFor(() => notices('stranger').length > 0, 'the refusal');
    assert.match(notices('stranger')[0]!, /not on the list of people who may silence/);
    const notice = slack.responses.find((r) => r.id === 'stranger')!.body;
    assert.equal(notice.response_type, 'ephemeral');
    assert.equal(notice.replace_original, false);
    await unchanged();
  });

  test('an unknown or forged group id is refused', async () => {
    const forged = await click(
      slack,
      post,
      'ar-silence',
      { ...clickOpts, blockId: `ar1:slack-alerts:${'0'.repeat(64)}`, responseId: 'forged' },
      '24h',
    );
    assert.equal(forged.status, 200);
    const junk = await click(slack, post, 'ar-acknowledge', {
      ...clickOpts,
      blockId: 'alertname="x"',
      responseId: 'junk',
    });
    assert.equal(junk.status, 200);
    // The ref of another group, clicked on this message: the message must be the group's own.
    const other = createHash('sha256')
      .update('{}:{alertname="CheckoutErrors", service="checkout"}')
      .digest('hex');
    const elsewhere = await click(slack, post, 'ar-acknowledge', {
      ...clickOpts,
      blockId: `ar1:slack-alerts:${other}`,
      responseId: 'elsewhere',
    });
    assert.equal(elsewhere.status, 200);
    await waitFor(
      () => ['forged', 'junk', 'elsewhere'].every((id) => notices(id).length > 0),
      'three refusals',
    );
    assert.match(notices('forged')[0]!, /no longer the current one|no alert group/);
    assert.match(notices('junk')[0]!, /no alert group that alert-router can act on/);
    await unchanged();
  });

  test('another payload type and a click on a link button: 200, nothing done', async () => {
    const body = new URLSearchParams({
      payload: JSON.stringify({
        type: 'view_submission',
        team: { id: TEST_TEAM },
        user: { id: 'U0TESTUSER' },
      }),
    }).toString();
    const ts = String(Math.floor(Date.now() / 1000));
    const { createHmac } = await import('node:crypto');
    const res = await fetch(`${router.url}/slack/actions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': ts,
        'x-slack-signature': `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`,
      },
      body,
    });
    assert.equal(res.status, 200);
    const link = await click(slack, post, 'runbook', { ...clickOpts, responseId: 'link' });
    assert.equal(link.status, 200);
    await sleep(500);
    assert.deepEqual(notices('link'), []);
    await unchanged();
  });
});

describe('Alertmanager down when the silence is clicked', { timeout: 120_000 }, () => {
  test('answered at once, retried, created once when Alertmanager is back', async () => {
    await am.postAlerts([alert('SearchSlow', 'search-0')]);
    const post = await postFor('SearchSlow');
    const before = (await silences()).length;
    await am.process.stop();
    try {
      const res = await click(slack, post, 'ar-silence', { ...clickOpts, responseId: 'down-1' }, '1h');
      assert.equal(res.status, 200);
      assert.ok(res.ms < 3000, `answered in ${res.ms} ms with Alertmanager down`);
      await waitFor(async () => {
        const m = await router.metrics.registry.getSingleMetricAsString('alert_router_slack_actions_total');
        return /action="silence",outcome="retried"\} [1-9]/.test(m);
      }, 'a retried attempt');
    } finally {
      await am.process.startReady(`${am.url}/-/ready`);
    }
    await waitFor(
      () => blocksText(post).includes('Silenced for 1h by @jane'),
      'the silence once Alertmanager is back',
      20_000,
    );
    const created = (await silences()).filter((s) => s.comment.includes('SearchSlow'));
    assert.equal(created.length, 1, 'one silence');
    assert.equal((await silences()).length, before + 1);
    assert.deepEqual(notices('down-1'), [], 'no failure notice: it worked in the end');
  });

  test('the user is told when it finally fails', async () => {
    await am.postAlerts([alert('CartSlow', 'cart-0')]);
    const post = await postFor('CartSlow');
    await am.process.stop();
    try {
      const res = await click(slack, post, 'ar-silence', { ...clickOpts, responseId: 'down-2' }, '24h');
      assert.equal(res.status, 200);
      // Six attempts, 300 ms doubling: about 9 s.
      await waitFor(() => notices('down-2').length > 0, 'the failure notice', 30_000);
      assert.match(notices('down-2')[0]!, /Could not silence this alert group: .*unreachable/);
      assert.ok(!blocksText(post).includes('Silenced for'), 'the message does not claim a silence');
    } finally {
      await am.process.startReady(`${am.url}/-/ready`);
    }
  });
});
