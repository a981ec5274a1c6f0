import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HeartbeatSource } from '../../src/deadman/heartbeat-policy.js';
import { heartbeatSources, isHeartbeat } from '../../src/deadman/heartbeat-sink.js';
import { fixture } from '../../support/fixtures.js';

const hb = { receiver: 'watchdog-heartbeat', alertname: 'Watchdog' };
const sources: HeartbeatSource[] = [
  { name: 'lab', labels: { cluster: 'lab' } },
  { name: 'lab-prom0', labels: { cluster: 'lab', prometheus: 'lab/prometheus-0' } },
  { name: 'eu', labels: { cluster: 'eu-1' } },
];

test('a captured Watchdog notification is a heartbeat, by receiver or by alert name', () => {
  const w = fixture('watchdog');
  assert.equal(isHeartbeat(hb, w), true);
  assert.equal(isHeartbeat(hb, { ...w, receiver: 'somewhere-else' }), true, 'only Watchdog alerts');
  assert.equal(
    isHeartbeat({ ...hb, receiver: 'team.hb' }, { ...w, receiver: 'team\\.hb' }),
    true,
    'receiver arrives regexp-quoted',
  );
  assert.equal(isHeartbeat(hb, fixture('firing')), false);
  const mixed = fixture('watchdog');
  mixed.receiver = 'critical';
  mixed.alerts.push({ ...fixture('firing').alerts[0]! });
  assert.equal(isHeartbeat(hb, mixed), false, 'a Watchdog grouped with real alerts still reaches humans');
});

test('every source whose labels are a subset of a firing alert is alive', () => {
  assert.deepEqual(heartbeatSources(sources, fixture('watchdog')), {
    sources: ['lab', 'lab-prom0'],
    unknown: [],
  });
  const other = fixture('watchdog');
  other.alerts[0]!.labels.cluster = 'us-2';
  const r = heartbeatSources(sources, other);
  assert.deepEqual(r.sources, []);
  assert.equal(r.unknown.length, 1);
});

test('a resolved Watchdog (Prometheus went away) is not a heartbeat for any source', () => {
  const bye = fixture('watchdog');
  bye.status = 'resolved';
  bye.alerts[0]!.status = 'resolved';
  bye.alerts[0]!.endsAt = '2026-11-25T12:10:00Z';
  assert.equal(isHeartbeat(hb, bye), true, 'still kept away from humans');
  assert.deepEqual(heartbeatSources(sources, bye), { sources: [], unknown: [] });
});
