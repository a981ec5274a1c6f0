import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { matches, parseMatcher } from '../../src/alert/matcher.js';
import { unquoteReceiver } from '../../src/alert/receiver-name.js';
import { createRouter } from '../../src/routing/route-notification.js';

describe('matchers', () => {
  test('parses the four operators and anchors regexes like Alertmanager', () => {
    const labels = { severity: 'critical', team: 'ml-platform' };
    assert.equal(matches(parseMatcher('severity="critical"'), labels), true);
    assert.equal(matches(parseMatcher('severity!="critical"'), labels), false);
    assert.equal(matches(parseMatcher('team=~"ml-.*"'), labels), true);
    assert.equal(matches(parseMatcher('team=~"ml"'), labels), false, 'regex must be anchored');
    assert.equal(matches(parseMatcher('team!~"ml-.*"'), labels), false);
    assert.equal(matches(parseMatcher('missing=""'), labels), true, 'a missing label is the empty string');
  });

  test('rejects what is not a matcher, with the offending text', () => {
    assert.throws(() => parseMatcher('severity critical'), /not a matcher: "severity critical"/);
    assert.throws(() => parseMatcher('a=~"("'), /invalid regular expression/);
  });
});

describe('router', () => {
  const router = createRouter(
    [
      { receiver: 'team.a', matchers: [], channels: ['team-a'], continue: false },
      { matchers: ['severity="critical"'], channels: ['pagerduty', 'slack-critical'], continue: true },
      { matchers: ['severity=~"critical|warning"'], channels: ['slack-critical', 'audit'], continue: false },
      { matchers: ['severity="info"'], channels: ['email'], continue: false },
    ],
    ['outbox'],
  );

  test('first match stops unless continue is set; channels are not repeated', () => {
    assert.deepEqual(router.route('critical', { severity: 'critical' }), ['pagerduty', 'slack-critical', 'audit']);
    assert.deepEqual(router.route('warning', { severity: 'warning' }), ['slack-critical', 'audit']);
    assert.deepEqual(router.route('info', { severity: 'info' }), ['email']);
  });

  test('no match falls back to the default channels', () => {
    assert.deepEqual(router.route('x', { severity: 'none' }), ['outbox']);
  });

  test('the receiver arrives regexp-quoted from Alertmanager and is unquoted before matching', () => {
    assert.equal(unquoteReceiver('team\\.a'), 'team.a');
    assert.deepEqual(router.route('team\\.a', { severity: 'critical' }), ['team-a']);
  });
});
