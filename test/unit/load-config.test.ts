import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig } from '../../src/config/load-config.js';

const problemsOf = (fn: () => unknown): readonly string[] => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems;
  }
  assert.fail('expected a ConfigError');
};

const fromYaml =
  (yaml: string) =>
  (path = 'cfg.yml') =>
  (p: string) => {
    assert.equal(p, path);
    return yaml;
  };

test('the shipped configs: the default needs no credentials; production needs exactly its own', () => {
  const config = loadConfig({});
  assert.deepEqual(Object.keys(config.file.channels), ['outbox']);
  assert.equal(config.port, 8080);
  assert.deepEqual(config.redis.topology, { kind: 'standalone', url: 'redis://127.0.0.1:6379' });
  assert.equal(config.redis.waitReplicas, 'auto');
  const problems = problemsOf(() => loadConfig({ ALERT_ROUTER_CONFIG: 'config/production.example.yml' }));
  assert.deepEqual([...problems].sort(), [
    'config/production.example.yml: channels.email-team: email channel needs SMTP_URL and EMAIL_FROM',
    'config/production.example.yml: channels.pagerduty-oncall.routingKeyEnv: environment variable PAGERDUTY_ROUTING_KEY (or PAGERDUTY_ROUTING_KEY_FILE) is not set',
    'config/production.example.yml: channels.slack-critical: Slack channel needs SLACK_BOT_TOKEN (or SLACK_BOT_TOKEN_FILE)',
    'config/production.example.yml: channels.slack-warnings: Slack channel needs SLACK_BOT_TOKEN (or SLACK_BOT_TOKEN_FILE)',
    'config/production.example.yml: http.readAuth.required: true, but no read credentials are set: set READ_BEARER_TOKEN, READ_BASIC_AUTH (or their _FILE) or TRUSTED_PROXY_USER_HEADER with TRUSTED_PROXY_ADDRESSES',
  ]);
});

test('read access: credentials and a trusted proxy from the environment, every mistake named without the secret', () => {
  const yaml = fromYaml('channels: {o: {type: outbox}}\ndefaultChannels: [o]\n');
  const ok = loadConfig(
    {
      ALERT_ROUTER_CONFIG: 'cfg.yml',
      READ_BEARER_TOKEN: 'r-token',
      READ_BASIC_AUTH: 'ops:pa:ss',
      TRUSTED_PROXY_USER_HEADER: 'X-Auth-Request-User',
      TRUSTED_PROXY_ADDRESSES: '10.0.0.0/8, 127.0.0.1,fd00::/8',
    },
    yaml(),
  );
  assert.deepEqual(ok.readAccess, {
    credentials: { bearerToken: 'r-token', basic: { user: 'ops', password: 'pa:ss' } },
    proxy: { userHeader: 'X-Auth-Request-User', addresses: ['10.0.0.0/8', '127.0.0.1', 'fd00::/8'] },
  });
  assert.deepEqual(loadConfig({ ALERT_ROUTER_CONFIG: 'cfg.yml' }, yaml()).readAccess, {
    credentials: {},
    proxy: undefined,
  });
  const problems = problemsOf(() =>
    loadConfig(
      {
        ALERT_ROUTER_CONFIG: 'cfg.yml',
        READ_BASIC_AUTH: 'no-colon-secret',
        TRUSTED_PROXY_ADDRESSES: '10.0.0.0/33,proxy.local,1.2.3.4/8/1',
      },
      yaml(),
    ),
  );
  assert.deepEqual(problems, [
    'env READ_BASIC_AUTH: must be user:password',
    'env TRUSTED_PROXY_ADDRESSES: "10.0.0.0/33" is not an IP address or CIDR range',
    'env TRUSTED_PROXY_ADDRESSES: "proxy.local" is not an IP address or CIDR range',
    'env TRUSTED_PROXY_ADDRESSES: "1.2.3.4/8/1" is not an IP address or CIDR range',
    'env TRUSTED_PROXY_USER_HEADER and TRUSTED_PROXY_ADDRESSES: set both (the header is believed only from those addresses) or neither',
  ]);
  assert.ok(!problems.join('\n').includes('no-colon-secret'));
  const required = fromYaml(
    'channels: {o: {type: outbox}}\ndefaultChannels: [o]\nhttp: {readAuth: {protectMetrics: true}}\n',
  );
  assert.deepEqual(problemsOf(() => loadConfig({ ALERT_ROUTER_CONFIG: 'cfg.yml' }, required())), [
    'cfg.yml: http.readAuth.protectMetrics: true, but no read credentials are set: set READ_BEARER_TOKEN, READ_BASIC_AUTH (or their _FILE) or TRUSTED_PROXY_USER_HEADER with TRUSTED_PROXY_ADDRESSES',
  ]);
  assert.equal(
    loadConfig({ ALERT_ROUTER_CONFIG: 'cfg.yml', READ_BEARER_TOKEN: 't' }, required()).file.http.readAuth
      .protectMetrics,
    true,
  );
});

test('every problem is listed by path and reason, environment included', () => {
  const yaml = [
    'channels:',
    '  s: {type: slack, channel: "#a"}',
    '  p: {type: pagerduty, routingKeyEnv: PD_KEY}',
    'routes:',
    '  - matchers: ["severity critical"]',
    '    channels: [nope]',
    'defaultChannels: [p]',
    'heartbeat:',
    '  sources:',
    '    - {name: lab, labels: {cluster: lab}, channels: [gone]}',
  ].join('\n');
  const problems = problemsOf(() =>
    loadConfig(
      {
        ALERT_ROUTER_CONFIG: 'cfg.yml',
        PAGERDUTY_EVENTS_URL: 'http://pd.local/v2/enqueue',
        ROLE: 'both',
        PORT: 'x',
      },
      fromYaml(yaml)(),
    ),
  );
  assert.deepEqual([...problems].sort(), [
    'cfg.yml: channels.p.routingKeyEnv: environment variable PD_KEY (or PD_KEY_FILE) is not set',
    'cfg.yml: channels.s: Slack channel needs SLACK_BOT_TOKEN (or SLACK_BOT_TOKEN_FILE)',
    'cfg.yml: heartbeat.sources[0].channels[0]: unknown channel "gone" (known: s, p)',
    'cfg.yml: routes[0].channels[0]: unknown channel "nope" (known: s, p)',
    'cfg.yml: routes[0].matchers[0]: not a matcher: "severity critical" (expected name="value", name!="v", name=~"re" or name!~"re")',
    'env PAGERDUTY_EVENTS_URL: protocol must be https:',
    'env PORT: must be a port number',
    'env ROLE: must be all, api or worker',
  ]);
});

// A new user's broken file: structural mistakes (zod) and cross-check mistakes (names, matchers,
// credentials) together. One run must list them all, each with the file and the path.
const BROKEN = [
  'channels:',
  '  outbox: {type: outbox}',
  '  slack-critical: {type: slack, channel: "#alerts-critical"}',
  '  pagerduty: {type: pagerduty, routingKeyEnv: PD_KEY}',
  '  mail: {type: email, to: [not-an-address]}',
  'routes:',
  '  - matchers: [\'severity="critical"\']',
  '    channels: [pagerduty, slack-critical]',
  '  - matchers: ["severity warning"]',
  '    channels: [outbox]',
  '  - matchers: [\'team="ml"\']',
  '    channels: [slak-critical]',
  '    continue: "yes"',
  'defaultChannels: [outbox]',
  'heartbeat:',
  '  defaultGraceSeconds: -5',
  '  sources:',
  '    - {name: lab, labels: {cluster: lab}, channels: [pager-duty]}',
].join('\n');

test('one run lists every problem, structural and cross-check, each with the file and the path', () => {
  const file = 'config/alert-router.yml';
  const problems = problemsOf(() =>
    loadConfig({ ALERT_ROUTER_CONFIG: file, PORT: 'x' }, fromYaml(BROKEN)(file)),
  );
  const known = '(known: outbox, slack-critical, pagerduty, mail';
  assert.deepEqual([...problems].sort(), [
    `${file}: channels.mail.to[0]: Invalid email address`,
    `${file}: channels.pagerduty.routingKeyEnv: environment variable PD_KEY (or PD_KEY_FILE) is not set`,
    `${file}: channels.slack-critical: Slack channel needs SLACK_BOT_TOKEN (or SLACK_BOT_TOKEN_FILE)`,
    `${file}: heartbeat.defaultGraceSeconds: Too small: expected number to be >0`,
    `${file}: heartbeat.sources[0].channels[0]: unknown channel "pager-duty" ${known}; did you mean "pagerduty"?)`,
    `${file}: routes[1].matchers[0]: not a matcher: "severity warning" (expected name="value", name!="v", name=~"re" or name!~"re")`,
    `${file}: routes[2].channels[0]: unknown channel "slak-critical" ${known}; did you mean "slack-critical"?)`,
    `${file}: routes[2].continue: Invalid input: expected boolean, received string`,
    'env PORT: must be a port number',
  ]);
});

test('an unknown channel with no close name lists the known ones only', () => {
  const yaml = 'channels: {outbox: {type: outbox}}\ndefaultChannels: [pagerduty-oncall]\n';
  assert.deepEqual(
    problemsOf(() => loadConfig({ ALERT_ROUTER_CONFIG: 'cfg.yml' }, fromYaml(yaml)())),
    ['cfg.yml: defaultChannels[0]: unknown channel "pagerduty-oncall" (known: outbox)'],
  );
});

test('a YAML syntax error is listed with its line, next to the environment problems', () => {
  const yaml = 'channels:\n  outbox: {type: outbox\ndefaultChannels: [outbox]\n';
  const problems = problemsOf(() =>
    loadConfig({ ALERT_ROUTER_CONFIG: 'cfg.yml', ROLE: 'both' }, fromYaml(yaml)()),
  );
  assert.equal(problems.length, 2, problems.join('\n'));
  assert.match(problems[0]!, /^cfg\.yml: line \d+, column \d+: /);
  assert.equal(problems[1], 'env ROLE: must be all, api or worker');
});

test('a missing file is one problem, named, next to the environment problems', () => {
  assert.deepEqual(
    problemsOf(() => loadConfig({ ALERT_ROUTER_CONFIG: '/nonexistent/cfg.yml', PORT: 'x' })),
    [
      '/nonexistent/cfg.yml: cannot read the file (ENOENT); ALERT_ROUTER_CONFIG names the configuration file',
      'env PORT: must be a port number',
    ],
  );
});

test('schema problems name the file and the path', () => {
  const problems = problemsOf(() =>
    loadConfig(
      { ALERT_ROUTER_CONFIG: 'cfg.yml' },
      fromYaml('channels: {s: {type: slak}}\ndefaultChannels: []\n')(),
    ),
  );
  assert.ok(
    problems.some((p) => p.startsWith('cfg.yml: channels.s.type: ')),
    problems.join('\n'),
  );
  assert.ok(
    problems.some((p) => p.startsWith('cfg.yml: defaultChannels: ')),
    problems.join('\n'),
  );
});

test('secrets come from NAME or NAME_FILE and stay out of the file config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ar-cfg-'));
  writeFileSync(join(dir, 'token'), 'from-file\n');
  writeFileSync(join(dir, 'key'), `${'k'.repeat(32)}\n`);
  const yaml = 'channels: {p: {type: pagerduty, routingKeyEnv: PD_KEY}}\ndefaultChannels: [p]\n';
  const config = loadConfig(
    {
      ALERT_ROUTER_CONFIG: 'cfg.yml',
      WEBHOOK_BEARER_TOKEN_FILE: join(dir, 'token'),
      PD_KEY_FILE: join(dir, 'key'),
    },
    fromYaml(yaml)(),
  );
  assert.equal(config.webhookAuth.bearerToken, 'from-file');
  assert.equal(config.pagerduty.routingKeys.p, 'k'.repeat(32));
  assert.ok(!JSON.stringify(config.file).includes('k'.repeat(32)));
  const missing = problemsOf(() =>
    loadConfig({ ALERT_ROUTER_CONFIG: 'cfg.yml', PD_KEY: 'short' }, fromYaml(yaml)()),
  );
  assert.deepEqual(missing, [
    'cfg.yml: channels.p.routingKeyEnv: PD_KEY must be a 32-character PagerDuty routing key',
  ]);
  const unreadable = problemsOf(() =>
    loadConfig(
      { ALERT_ROUTER_CONFIG: 'cfg.yml', PD_KEY: 'k'.repeat(32), SLACK_BOT_TOKEN_FILE: '/nonexistent/x' },
      fromYaml(yaml)(),
    ),
  );
  assert.deepEqual(unreadable, ['env SLACK_BOT_TOKEN_FILE: cannot read /nonexistent/x (ENOENT)']);
});
