import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeChange, formatSlackMessage } from '../../src/channels/slack/format-slack-message.js';
import { escapeMrkdwn } from '../../src/channels/slack/slack-escape.js';
import { notificationKey } from '../../src/alert/notification-key.js';
import { burnRateContext } from '../helpers/burn-rate-context.js';
import { fixture } from '../../support/fixtures.js';

const opts = { publicUrl: 'https://ar.example', alertmanagerUrl: 'https://am.example', maxAlertsShown: 5 };

test('escapes only &, < and > so label values cannot mention anyone', () => {
  assert.equal(escapeMrkdwn('<!channel> & <@U123> <https://x|y>'), '&lt;!channel&gt; &amp; &lt;@U123&gt; &lt;https://x|y&gt;');
  const p = fixture('firing');
  p.alerts[0]!.labels.instance = '<!channel>';
  p.alerts[0]!.annotations.summary = 'ping <!here> & <@U1>';
  p.commonAnnotations.summary = 'ping <!here>';
  const msg = formatSlackMessage(p, undefined, opts);
  const all = JSON.stringify(msg);
  assert.doesNotMatch(all, /<!channel>|<!here>|<@U1>/);
  assert.match(all, /&lt;!channel&gt;/);
});

test('any group size stays inside Block Kit limits', () => {
  const msg = formatSlackMessage(fixture('group-1000'), undefined, opts);
  assert.ok(msg.blocks.length <= 50, `${msg.blocks.length} blocks`);
  for (const b of msg.blocks) {
    const text = (b.text as { text?: string } | undefined)?.text ?? '';
    assert.ok(text.length <= 3000, `${b.type} text ${text.length}`);
    if (b.type === 'header') assert.ok(text.length <= 150);
  }
  assert.match(JSON.stringify(msg.blocks), /\+995 more alert\(s\)/);
});

test('shows status, severity and count, and links runbook, silence and source', () => {
  const p = fixture('grouped');
  const msg = formatSlackMessage(p, undefined, opts);
  const header = msg.blocks[0]!.text as { text: string };
  assert.match(header.text, /^FIRING 2\/3 \[WARNING\] HighRequestLatency$/);
  const actions = msg.blocks.find((b) => b.type === 'actions')!.elements as Array<{ url: string; action_id: string }>;
  const byId = Object.fromEntries(actions.map((a) => [a.action_id, a.url]));
  assert.equal(byId.runbook, `https://ar.example/runbooks/${p.commonLabels.alertname}`);
  assert.match(byId.silence!, /^https:\/\/am\.example\/#\/silences\/new\?filter=%7B/);
  assert.ok(decodeURIComponent(byId.silence!).includes(`alertname="${p.commonLabels.alertname}"`));
  assert.match(byId.source!, /g0\.expr=/);
});

test('a resolved group says so; the thread reply says what changed', () => {
  const resolved = fixture('resolved');
  assert.match((formatSlackMessage(resolved, undefined, opts).blocks[0]!.text as { text: string }).text, /^RESOLVED /);
  const grouped = fixture('grouped');
  const prev = Object.fromEntries(grouped.alerts.map((a) => [a.fingerprint, 'firing']));
  const text = describeChange(prev, grouped);
  assert.match(text, /1 resolved/);
  assert.doesNotMatch(text, /now firing/);
});

test('live context unavailable is visible', () => {
  const msg = formatSlackMessage(fixture('firing'), { available: false, reason: 'Prometheus timed out', alerts: {}, runbooks: {} }, opts);
  assert.match(JSON.stringify(msg.blocks), /live context unavailable: Prometheus timed out/);
});

test('a "|" in a link and a backtick in a label cannot break the mrkdwn around them', () => {
  const p = fixture('firing');
  p.alerts[0]!.generatorURL = 'http://prom.example/graph?g0.expr=a|b&x=<y>';
  p.alerts[0]!.labels.pod = 'web-`rm -rf`-1';
  const text = JSON.stringify(formatSlackMessage(p, undefined, opts).blocks);
  const section = formatSlackMessage(p, undefined, opts).blocks.find((b) => JSON.stringify(b).includes('graph>'))!;
  const mrkdwn = (section.text as { text: string }).text;
  // The graph link's URL has no raw "|" or ">" left: the link text is exactly "graph".
  assert.match(mrkdwn, /<http:\/\/prom\.example\/graph\?g0\.expr=a%7Cb&amp;x=(%3C|&lt;)y(%3E|&gt;)\|graph>/);
  // The labels line is one code span: exactly two backticks.
  const labelsLine = mrkdwn.split('\n').find((l) => l.includes('pod='))!;
  assert.equal(labelsLine.split('`').length - 1, 2, labelsLine);
  assert.ok(text.includes('rm -rf'));
});

test('links from the payload are only ever http(s)', () => {
  const p = fixture('firing');
  p.externalURL = 'javascript:alert(document.cookie)//';
  p.alerts[0]!.generatorURL = 'data:text/html,<script>alert(1)</script>';
  const msg = formatSlackMessage(p, undefined, { ...opts, alertmanagerUrl: undefined });
  const all = JSON.stringify(msg);
  assert.doesNotMatch(all, /javascript:|data:/i);
  const actions = msg.blocks.find((b) => b.type === 'actions')!.elements as Array<{ action_id: string }>;
  assert.deepEqual(actions.map((a) => a.action_id), ['runbook']);
  // An http(s) externalURL still gives the Silence button.
  p.externalURL = 'https://am.internal:9093';
  const ok = formatSlackMessage(p, undefined, { ...opts, alertmanagerUrl: undefined });
  assert.match(JSON.stringify(ok), /https:\/\/am\.internal:9093\/#\/silences\/new/);
});

test('payload keys that name Object.prototype members (constructor, toString) are plain keys', () => {
  const p = fixture('firing');
  p.alerts[0]!.fingerprint = 'constructor';
  p.commonLabels.severity = 'constructor';
  p.alerts[0]!.labels.alertname = 'toString';
  // As the worker attaches it even without Prometheus: parsed from job data, so a plain object.
  const context = JSON.parse(JSON.stringify({ available: false, alerts: {}, runbooks: {} })) as never;
  const msg = formatSlackMessage(p, context, opts);
  assert.doesNotMatch(JSON.stringify(msg), /native code|function/);
  assert.match(describeChange(JSON.parse('{}') as Record<string, string>, p), /now firing/);
});

test('notification keys cannot collide through a separator inside a field', () => {
  const a = fixture('firing');
  a.alerts = [{ ...a.alerts[0]!, fingerprint: 'a', startsAt: 'S\u0000firing\u0000T', endsAt: 'E' }];
  const b = fixture('firing');
  b.alerts = [{ ...b.alerts[0]!, fingerprint: 'a\u0000firing\u0000S', startsAt: 'T', endsAt: 'E' }];
  assert.notEqual(notificationKey(a), notificationKey(b));
});

test('a burn-rate alert shows each window against its threshold', () => {
  const p = fixture('firing');
  const context = burnRateContext(p, [{ name: 'error_ratio', value: '8.1', unit: '%' }]);
  const text = JSON.stringify(formatSlackMessage(p, context, opts).blocks);
  assert.ok(text.includes('slo:burn_rate:5m: *16.2* (fires when &gt; 14.4)'), text);
  assert.ok(text.includes('slo:burn_rate:30m: *3* (fires when &gt; 6)'), text);
  assert.ok(text.includes('error_ratio: *8.1 %*\\n'), 'a runbook value has no threshold');
});
