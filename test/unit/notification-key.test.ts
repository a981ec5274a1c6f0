import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupHash, notificationKey } from '../../src/alert/notification-key.js';
import { fixture } from '../../support/fixtures.js';

test('the same content gives the same key whatever the alert order (HA peers)', () => {
  const a = fixture('grouped');
  const b = fixture('grouped');
  b.alerts.reverse();
  assert.equal(notificationKey(a), notificationKey(b));
  assert.match(notificationKey(a), /^[0-9a-f]{64}$/);
});

test('a group that grows, or an alert that changes, is a new notification', () => {
  const base = fixture('grouped');
  const grown = fixture('grouped');
  grown.alerts.push({ ...grown.alerts[0]!, fingerprint: 'ffffffffffffffff' });
  const changed = fixture('grouped');
  changed.alerts[0]!.endsAt = '2030-01-01T00:00:00Z';
  const resolved = fixture('grouped');
  resolved.status = 'resolved';
  const keys = new Set([base, grown, changed, resolved].map(notificationKey));
  assert.equal(keys.size, 4);
});

test('receiver and groupKey are part of the key; groupHash is stable per group', () => {
  const a = fixture('firing');
  const b = fixture('firing');
  b.receiver = 'other';
  assert.notEqual(notificationKey(a), notificationKey(b));
  assert.equal(groupHash(a.groupKey), groupHash(fixture('resolved').groupKey));
});
