/**
 * A real Sentinel deployment (primary, replica, three Sentinels) under Alertmanager-like traffic at
 * 50 notifications/s; the primary is SIGKILLed mid-traffic. With the replication wait on, every
 * notification that got a 2xx reaches Slack; with it off, the run reports what a failover can lose.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { failoverRun } from '../../support/failover-run.js';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack.js';

// Jobs a worker held when the primary died run again once their lock expires: short here.
const LOCK_MS = 5000;

describe('Sentinel failover under traffic', () => {
  let slack: FakeSlack;
  before(async () => {
    slack = await startFakeSlack();
  });
  after(() => slack?.close());

  it('with the replication wait on, every acknowledged notification is delivered after the primary is killed', async (t) => {
    const r = await failoverRun(slack, 'auto', LOCK_MS);
    t.diagnostic(`wait on: ${JSON.stringify(r)}`);
    assert.ok(r.acked >= 390, `most of the 400 notifications were acknowledged (${r.acked})`);
    assert.deepEqual(r.lost, [], 'no acknowledged notification is lost');
    assert.ok(r.refusals > 0, 'the senders saw 503s while the Sentinels promoted the replica');
    assert.equal(r.failovers, 1, '/readyz counts the failover');
    assert.ok(r.confirmedWaits >= 100, `the answers before the kill waited for the replica (${r.confirmedWaits})`);
    assert.deepEqual(r.duplicates, [], 'each notification reaches Slack once');
  });

  it('with the wait off, the same run reports what it can lose (not asserted: replication is usually fast)', async (t) => {
    const r = await failoverRun(slack, '0', LOCK_MS);
    t.diagnostic(`wait off: ${JSON.stringify(r)}`);
    assert.ok(r.acked >= 390, `most notifications were acknowledged (${r.acked})`);
    assert.equal(r.confirmedWaits, 0, 'nothing waited');
  });
});
