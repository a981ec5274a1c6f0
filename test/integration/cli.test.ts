import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { waitFor } from '../../support/wait.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';

const ROOT = new URL('../..', import.meta.url).pathname;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** What `npm run cli -- <args>` runs (tsx src/cli.ts), to completion, with only the given environment. */
const cli = (args: string[], env: Record<string, string> = {}): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });

const NO_STACK = /\n\s+at .+:\d+:\d+/;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ar-cli-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const writeConfig = (name: string, config: Record<string, unknown> | string): string => {
  const file = join(dir, name);
  writeFileSync(file, typeof config === 'string' ? config : stringify(config));
  return file;
};

const ROUTED = {
  channels: {
    outbox: { type: 'outbox' },
    'slack-critical': { type: 'slack', channel: '#alerts-critical' },
    'pd-ml': { type: 'pagerduty', routingKeyEnv: 'PD_ML_KEY' },
    'slack-ml': { type: 'slack', channel: '#ml' },
  },
  routes: [
    { matchers: ['severity="critical"'], channels: ['slack-critical'], continue: true },
    { matchers: ['team="ml"', 'severity=~"critical|warning"'], channels: ['pd-ml', 'slack-ml'] },
    { receiver: 'batch', channels: ['slack-ml'] },
  ],
  defaultChannels: ['outbox'],
};

describe('check-config', () => {
  test('a valid file and environment: the counts, exit 0', async () => {
    const file = writeConfig('ok.yml', ROUTED);
    const r = await cli(['check-config', '--config', file], {
      SLACK_BOT_TOKEN: 'xoxb-secret-value',
      PD_ML_KEY: 'k'.repeat(32),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `config OK: 4 channels, 3 routes (${file})\n`);
  });

  test('a broken file: every problem of file and environment listed, no stack, no secret, exit 1', async () => {
    const file = writeConfig(
      'bad.yml',
      [
        'channels:',
        '  outbox: {type: outbox}',
        '  slack-critical: {type: slack, channel: "#alerts-critical"}',
        'routes:',
        '  - matchers: ["severity critical"]',
        '    channels: [slak-critical]',
        '    continue: "yes"',
        'defaultChannels: [outbox]',
      ].join('\n'),
    );
    // ALERT_ROUTER_CONFIG, as the service reads it; SMTP_URL's value must not be echoed.
    const r = await cli(['check-config'], {
      ALERT_ROUTER_CONFIG: file,
      SMTP_URL: 'http://user:hunter2@mail',
    });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^invalid configuration:\n/);
    const list = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('  - '))
      .sort();
    assert.deepEqual(list, [
      `  - ${file}: channels.slack-critical: Slack channel needs SLACK_BOT_TOKEN (or SLACK_BOT_TOKEN_FILE)`,
      `  - ${file}: routes[0].channels[0]: unknown channel "slak-critical" (known: outbox, slack-critical; did you mean "slack-critical"?)`,
      `  - ${file}: routes[0].continue: Invalid input: expected boolean, received string`,
      `  - ${file}: routes[0].matchers[0]: not a matcher: "severity critical" (expected name="value", name!="v", name=~"re" or name!~"re")`,
      '  - env SMTP_URL: protocol must be smtp: or smtps:',
    ]);
    assert.doesNotMatch(r.stdout + r.stderr, NO_STACK, 'no stack trace');
    assert.doesNotMatch(r.stdout + r.stderr, /hunter2/);
  });
});

describe('routes test', () => {
  // No SLACK_BOT_TOKEN nor PD_ML_KEY: routing needs only the file.
  const routes = (args: string[]): Promise<Run> =>
    cli(['routes', 'test', '--config', writeConfig('routes.yml', ROUTED), ...args]);

  test('critical for team ml: the first route, and through continue the second', async () => {
    const r = await routes(['severity=critical', 'team=ml']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'slack-critical (slack)\npd-ml (pagerduty)\nslack-ml (slack)\n');
  });

  test('a warning for team ml: only the second route', async () => {
    const r = await routes(['severity="warning"', 'team=ml']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'pd-ml (pagerduty)\nslack-ml (slack)\n');
  });

  test('a receiver route matches only with --receiver; nothing matched: the default channels', async () => {
    assert.equal((await routes(['severity=info'])).stdout, 'outbox (outbox)\n');
    const r = await routes(['--receiver', 'batch', 'severity=info']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'slack-ml (slack)\n');
  });

  test('a malformed label: a clear error and the usage, exit 2', async () => {
    const r = await routes(['severity']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: not a label: "severity" \(expected name=value/);
    assert.match(r.stderr, /usage: alert-router <command>/);
    assert.equal(r.stdout, '');
  });
});

describe('usage', () => {
  test('an unknown command: the usage on stderr, exit 2; --help: the usage on stdout, exit 0', async () => {
    const unknown = await cli(['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^error: unknown command: frobnicate\n\nusage: alert-router/);
    const none = await cli([]);
    assert.equal(none.code, 2);
    const badOption = await cli(['check-config', '--bogus']);
    assert.equal(badOption.code, 2);
    assert.match(badOption.stderr, /--bogus/);
    const help = await cli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /check-config[\s\S]*routes test[\s\S]*send-test/);
  });
});

describe('send-test against a running alert-router', () => {
  let router: TestRouter;
  // Its own TMPDIR: the last test sent (for --resolve) is kept there.
  let state: string;
  before(async () => {
    state = mkdtempSync(join(tmpdir(), 'ar-cli-state-'));
    router = await startTestRouter(
      { channels: { outbox: { type: 'outbox' } }, defaultChannels: ['outbox'] },
      { WEBHOOK_BEARER_TOKEN: 'cli-secret' },
    );
  });
  after(async () => {
    await router?.stop();
    rmSync(state, { recursive: true, force: true });
  });

  interface Entry {
    key: string;
    channel: string;
    status: string;
    alertname: string;
    rendered: { email: { subject: string; text: string } };
  }
  const outboxEntry = (key: string): Promise<Entry> =>
    waitFor(
      async () =>
        ((await (await fetch(`${router.url}/api/outbox`)).json()) as { entries: Entry[] }).entries.find(
          (e) => e.key === key,
        ),
      `the outbox entry ${key}`,
      15_000,
    );

  test('with WEBHOOK_BEARER_TOKEN: queued, delivered to the outbox; --resolve resolves that group', async () => {
    const env = { WEBHOOK_BEARER_TOKEN: 'cli-secret', TMPDIR: state };
    const r = await cli(['send-test', '--url', router.url, 'severity=warning', 'team=ml'], env);
    assert.equal(r.code, 0, r.stderr);
    const m =
      /^200 queued key=([0-9a-f]{64}) firing groupKey=(\{\}:\{alertname="AlertRouterTest", test_id="[^"]+"\})\n$/.exec(
        r.stdout,
      );
    assert.ok(m, r.stdout);
    const [, key = '', groupKey = ''] = m;
    const firing = await outboxEntry(key);
    // The labels given, severity among them, as each channel shows them.
    assert.equal(firing.rendered.email.subject, '[FIRING:1] [WARNING] AlertRouterTest');
    assert.match(firing.rendered.email.text, /\nteam: ml\n/);
    assert.equal(firing.channel, 'outbox');
    assert.equal(firing.status, 'firing');
    assert.equal(firing.alertname, 'AlertRouterTest');

    const resolved = await cli(['send-test', '--url', router.url, '--resolve'], env);
    assert.equal(resolved.code, 0, resolved.stderr);
    const rm = /^200 queued key=([0-9a-f]{64}) resolved groupKey=(.+)\n$/.exec(resolved.stdout);
    assert.ok(rm, resolved.stdout);
    assert.equal(rm[2], groupKey);
    const entry = await outboxEntry(rm[1] ?? '');
    assert.equal(entry.status, 'resolved');
    assert.equal(entry.alertname, 'AlertRouterTest');
  });

  test('a wrong token: the 401 answer on stderr, exit 1', async () => {
    const r = await cli(['send-test', '--url', router.url, '--token', 'wrong'], { TMPDIR: state });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `error: ${router.url}/webhook/alertmanager answered 401 unauthorized: missing or wrong credentials\n`,
    );
    assert.doesNotMatch(r.stderr, NO_STACK);
  });
});
