import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { formatEmail } from '../../src/channels/email/format-email.js';
import { formatPagerDutyEvent, mapSeverity } from '../../src/channels/pagerduty/format-pagerduty-event.js';
import { burnRateContext } from '../helpers/burn-rate-context.js';
import { fixture } from '../../support/fixtures.js';

const links = { publicUrl: 'https://ar.example', alertmanagerUrl: undefined };

test('PagerDuty: trigger with a dedup_key per group, resolve with the same key', () => {
  const firing = fixture('firing');
  const trigger = formatPagerDutyEvent(firing, undefined, links);
  const expectedKey = createHash('sha256').update(firing.groupKey).digest('hex');
  assert.equal(trigger.event_action, 'trigger');
  assert.equal(trigger.dedup_key, expectedKey);
  assert.equal(trigger.payload?.severity, 'critical');
  assert.ok(trigger.links?.some((l) => l.href === 'https://ar.example/runbooks/HighErrorRate'));
  assert.equal((trigger as unknown as Record<string, unknown>).routing_key, undefined, 'the secret is added at send time only');
  const resolve = formatPagerDutyEvent(fixture('resolved'), undefined, links);
  assert.deepEqual([resolve.event_action, resolve.dedup_key], ['resolve', expectedKey]);
});

test('PagerDuty: summary <= 1024 chars and the event < 512 KB for any group', () => {
  const p = fixture('firing');
  p.commonAnnotations.summary = 'x'.repeat(5000);
  assert.ok(formatPagerDutyEvent(p, undefined, links).payload!.summary.length <= 1024);
  const big = fixture('group-1000');
  for (const a of big.alerts) a.annotations.description = 'd'.repeat(600);
  const event = formatPagerDutyEvent(big, undefined, links);
  assert.ok(Buffer.byteLength(JSON.stringify(event)) < 512 * 1024);
  assert.ok(Number(event.payload!.custom_details.alerts_omitted) > 0);
  assert.deepEqual(['critical', 'warning', 'info', 'none', 'weird'].map(mapSeverity), ['critical', 'warning', 'info', 'info', 'error']);
});

test('email: subject with status, severity, alertname and count; HTML escaped; one thread per group', () => {
  const p = fixture('grouped');
  p.alerts[0]!.annotations.summary = '<script>alert(1)</script>';
  const a = formatEmail(p, undefined, { ...links, key: 'k1', domain: 'example.com' });
  assert.match(a.subject, /^\[FIRING:2\] \[WARNING\] HighRequestLatency \(inference-gateway\)$/);
  assert.ok(!a.html.includes('<script>'));
  assert.ok(a.html.includes('&lt;script&gt;'));
  assert.ok(a.text.includes('<script>alert(1)</script>'), 'plain text is not HTML-escaped');
  const b = formatEmail(fixture('resolved'), undefined, { ...links, key: 'k2', domain: 'example.com' });
  assert.notEqual(a.messageId, b.messageId);
  const c = formatEmail(fixture('grouped'), undefined, { ...links, key: 'k3', domain: 'example.com' });
  assert.equal(a.references, c.references);
});

test('PagerDuty: every part of the event counts toward the 512 KB cap', () => {
  const p = fixture('firing');
  p.commonAnnotations.description = 'd'.repeat(2 * 1024 * 1024);
  p.commonLabels.team = 't'.repeat(300_000);
  p.alerts[0]!.annotations.description = 'e'.repeat(1024 * 1024);
  p.alerts[0]!.generatorURL = `http://prom.example/graph?g0.expr=${'x'.repeat(600_000)}`;
  const event = formatPagerDutyEvent(p, undefined, links);
  const bytes = Buffer.byteLength(JSON.stringify({ ...event, routing_key: 'k'.repeat(32) }));
  assert.ok(bytes < 512 * 1024, `${bytes} bytes`);
  assert.match(String((event.payload!.custom_details.common_annotations as Record<string, string>).description), /^d+…$/);
  assert.equal(event.payload!.severity, 'critical');
});

test('PagerDuty: a timestamp is sent only when it is a real time', () => {
  const p = fixture('firing');
  p.alerts[0]!.startsAt = 'not a time';
  assert.equal(formatPagerDutyEvent(p, undefined, links).payload!.timestamp, undefined);
  const q = fixture('firing');
  assert.equal(formatPagerDutyEvent(q, undefined, links).payload!.timestamp, new Date(q.alerts[0]!.startsAt).toISOString());
});

test('PagerDuty and email: links from the payload are only ever http(s)', () => {
  const p = fixture('firing');
  p.externalURL = 'javascript:alert(1)//';
  p.alerts[0]!.generatorURL = 'vbscript:msgbox';
  const event = formatPagerDutyEvent(p, undefined, links);
  assert.deepEqual(event.links?.map((l) => l.text), ['Runbook']);
  const mail = formatEmail(p, undefined, { ...links, key: 'k', domain: 'example.com' });
  assert.doesNotMatch(mail.html + mail.text, /javascript:|vbscript:/);
});

test('PagerDuty: one huge annotation does not cost every alert its details', () => {
  const p = fixture('grouped');
  p.commonAnnotations.description = 'd'.repeat(600 * 1024);
  const event = formatPagerDutyEvent(p, undefined, links);
  assert.ok(Buffer.byteLength(JSON.stringify(event)) < 512 * 1024);
  assert.equal((event.payload!.custom_details.alerts as unknown[]).length, p.alerts.length);
  assert.equal(event.payload!.custom_details.alerts_omitted, undefined);
});

test('PagerDuty: a blank instance, service or job never makes an empty source', () => {
  const p = fixture('firing');
  p.commonLabels = { alertname: 'X', instance: '', service: ' ', job: '' };
  assert.equal(formatPagerDutyEvent(p, undefined, links).payload!.source, 'alertmanager');
  p.commonLabels.job = 'api';
  assert.equal(formatPagerDutyEvent(p, undefined, links).payload!.source, 'api');
  p.alerts[0]!.startsAt = '+010000-01-01T00:00:00Z';
  assert.equal(formatPagerDutyEvent(p, undefined, links).payload!.timestamp, undefined);
  const context = JSON.parse(JSON.stringify({ available: true, alerts: {}, runbooks: {} })) as never;
  p.alerts[0]!.fingerprint = 'constructor';
  assert.doesNotMatch(JSON.stringify(formatPagerDutyEvent(p, context, links)), /native code/);
});

test('email: bounded whatever the group holds (SMTP servers refuse large messages)', () => {
  const p = fixture('group-1000');
  for (const a of p.alerts) {
    a.annotations.description = '&'.repeat(200_000);
    a.labels.pod = '<'.repeat(50_000);
  }
  const mail = formatEmail(p, undefined, { ...links, key: 'k', domain: 'example.com' });
  const size = Buffer.byteLength(mail.text) + Buffer.byteLength(mail.html);
  assert.ok(size < 2 * 1024 * 1024, `${size} bytes`);
});

test('PagerDuty and email: a burn-rate alert shows each window against its threshold', () => {
  const p = fixture('firing');
  const context = burnRateContext(p);
  const mail = formatEmail(p, context, { ...links, key: 'k1', domain: 'example.com' });
  assert.ok(mail.text.includes('\n  slo:burn_rate:5m: 16.2 (fires when > 14.4)\n'), mail.text);
  assert.ok(mail.text.includes('\n  slo:burn_rate:30m: 3 (fires when > 6)\n'), mail.text);
  assert.match(mail.html, />slo:burn_rate:5m<\/td>\s*<td[^>]*><b>16\.2<\/b> <span[^>]*>fires when &gt; 14\.4<\/span>/, mail.html);
  const details = formatPagerDutyEvent(p, context, links).payload!.custom_details as {
    alerts: Array<{ live?: { values?: Array<{ name: string; threshold?: string }> } }>;
  };
  assert.deepEqual(
    details.alerts[0]!.live?.values?.map((v) => `${v.name} ${v.threshold}`),
    ['slo:burn_rate:5m > 14.4', 'slo:burn_rate:30m > 6'],
  );
});
