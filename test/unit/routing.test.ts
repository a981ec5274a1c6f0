import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { matches, parseMatcher } from '../../src/alert/matcher.js';
import { unquoteReceiver } from '../../src/alert/receiver-name.js';
import { createRouter } from '../../src/routing/route-notification.js';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig } from '../../src/config/load-config.js';

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
    // The error quotes the expression as written, not the anchored form it is compiled in.
    assert.throws(() => parseMatcher('severity=~(info'), (err: Error) => err.message.endsWith('missing closing ): `(info`'));
  });

  // Alertmanager compiles matcher regexes with Go's regexp (RE2 syntax), so flags like (?i) work
  // and Perl-only constructs do not: https://github.com/prometheus/alertmanager/blob/main/pkg/labels/matcher.go
  test('regexes use RE2 syntax: (?i) matches case-insensitively', () => {
    const m = parseMatcher('severity=~"(?i)critical"');
    assert.equal(matches(m, { severity: 'CRITICAL' }), true);
    assert.equal(matches(m, { severity: 'Critical' }), true);
    assert.equal(matches(m, { severity: 'not critical' }), false, 'still anchored');
    assert.equal(matches(parseMatcher('severity!~"(?i)critical|warning"'), { severity: 'WARNING' }), false);
  });

  test('config load rejects what RE2 (and so Alertmanager) rejects, naming the matcher', () => {
    const yaml = [
      'channels:',
      '  o: {type: outbox}',
      'routes:',
      '  - matchers: [\'team=~"(?=ml)ml-.*"\', \'team=~"(a)\\\\1"\', \'severity=~"(?i)critical"\']',
      '    channels: [o]',
      'defaultChannels: [o]',
    ].join('\n');
    let problems: readonly string[] = [];
    try {
      loadConfig({ ALERT_ROUTER_CONFIG: 'cfg.yml' }, () => yaml);
      assert.fail('expected a ConfigError');
    } catch (err) {
      assert.ok(err instanceof ConfigError, String(err));
      problems = err.problems;
    }
    assert.equal(problems.length, 2, problems.join('\n'));
    assert.match(
      problems[0]!,
      /^cfg\.yml: routes\[0\]\.matchers\[0\]: invalid regular expression in "team=~\\"\(\?=ml\)ml-\.\*\\"": /,
    );
    assert.match(problems[1]!, /^cfg\.yml: routes\[0\]\.matchers\[1\]: invalid regular expression in /);
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
