import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { messageLinks, MAX_LINK_LENGTH } from '../../src/alert/alert-links.js';
import { leadAlert, orderedAlerts } from '../../src/alert/alert-order.js';
import { groupName, groupTitle } from '../../src/alert/group-name.js';
import { varyingLabels } from '../../src/alert/varying-labels.js';
import { fixture } from '../../support/fixtures.js';

const links = { publicUrl: 'https://ar.example', alertmanagerUrl: 'https://am.example' };

describe('the alert core', () => {
  it('names a group by its common alertname, else its grouping, else its lead alert', () => {
    const p = fixture('grouped');
    assert.equal(groupName(p), 'HighRequestLatency');
    p.commonLabels = {};
    assert.equal(groupName(p), 'HighRequestLatency', 'from groupLabels');
    p.groupLabels = {};
    p.alerts[2]!.labels.alertname = 'Other';
    // The lead alert is the first firing one by start time, whichever channel asks.
    assert.equal(groupName(p), orderedAlerts(p)[0]!.labels.alertname);
    for (const a of p.alerts) delete a.labels.alertname;
    assert.equal(groupName(p), undefined);
    assert.equal(groupTitle(p), 'alert');
  });

  it('leads with what orderedAlerts puts first, without sorting', () => {
    const p = fixture('grouped');
    p.alerts.reverse();
    assert.equal(leadAlert(p), orderedAlerts(p)[0]);
  });

  it('gives every channel the same links, and leaves out those too long to use', () => {
    const p = fixture('firing');
    assert.deepEqual(
      messageLinks(p, links, undefined).map((l) => l.kind),
      ['runbook', 'silence', 'source'],
    );
    assert.equal(messageLinks(p, links, undefined)[0]!.href, 'https://ar.example/runbooks/HighErrorRate');
    p.commonLabels.pod = 'x'.repeat(MAX_LINK_LENGTH);
    assert.deepEqual(
      messageLinks(p, links, undefined).map((l) => l.kind),
      ['runbook', 'source'],
    );
    for (const a of p.alerts) a.generatorURL = 'javascript:alert(1)';
    assert.deepEqual(
      messageLinks(p, links, undefined).map((l) => l.kind),
      ['runbook'],
    );
  });

  it('names series by the labels that tell them apart', () => {
    assert.deepEqual(varyingLabels([{ __name__: 'up', job: 'a', i: '1' }, { __name__: 'up', job: 'a', i: '2' }]), ['i']);
    assert.deepEqual(varyingLabels([{ job: 'a' }, { job: 'a', extra: 'x' }]), ['extra']);
    assert.deepEqual(varyingLabels([{ job: 'a' }]), []);
  });
});
