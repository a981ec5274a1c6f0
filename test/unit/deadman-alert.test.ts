import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { webhookPayloadSchema } from '../../src/alert/webhook-payload.js';
import { formatPagerDutyEvent } from '../../src/channels/pagerduty/format-pagerduty-event.js';
import { deadmanJobId, deadmanPayload } from '../../src/deadman/deadman-alert.js';
import { notificationKey } from '../../src/alert/notification-key.js';

const base = {
  source: 'lab',
  incident: '1764072000000',
  since: Date.UTC(2026, 10, 25, 12, 0),
  labels: { cluster: 'lab' },
  publicUrl: 'http://ar.test',
};
const links = { publicUrl: 'http://ar.test', alertmanagerUrl: undefined };

test('the page is a valid webhook v4 notification with a stable per-source group', () => {
  const p = deadmanPayload(base);
  assert.deepEqual(webhookPayloadSchema.parse(p), p);
  assert.equal(p.groupKey, 'deadmans-switch/lab');
  assert.equal(p.commonLabels.alertname, 'DeadMansSwitch');
  assert.equal(p.commonLabels.cluster, 'lab');
});

test('PagerDuty gets "DeadMansSwitch: <source> silent since <time>", then a resolve with the same dedup_key', () => {
  const trigger = formatPagerDutyEvent(deadmanPayload(base), undefined, links);
  assert.equal(trigger.event_action, 'trigger');
  assert.equal(trigger.payload?.summary, '[1] DeadMansSwitch: lab silent since 2026-11-25 12:00:00 UTC');
  assert.equal(trigger.payload?.severity, 'critical');
  assert.equal(trigger.dedup_key, createHash('sha256').update('deadmans-switch/lab').digest('hex'));
  assert.ok(trigger.links?.some((l) => l.href === 'http://ar.test/runbooks/DeadMansSwitch'));
  const resolve = formatPagerDutyEvent(
    deadmanPayload({ ...base, resolvedAt: base.since + 60_000 }),
    undefined,
    links,
  );
  assert.equal(resolve.event_action, 'resolve');
  assert.equal(resolve.dedup_key, trigger.dedup_key);
});

test('trigger and resolve differ in content key (Slack updates the message) and job id', () => {
  const a = notificationKey(deadmanPayload(base));
  const b = notificationKey(deadmanPayload({ ...base, resolvedAt: base.since + 1 }));
  assert.notEqual(a, b);
  const id = deadmanJobId('lab', base.incident, 'trigger', 'pd');
  assert.equal(id, 'deadman-lab-1764072000000-trigger-pd');
  assert.ok(!id.includes(':'), 'BullMQ ids must not contain ":"');
});
