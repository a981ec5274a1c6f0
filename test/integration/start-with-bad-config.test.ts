import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = new URL('../..', import.meta.url).pathname;

/** What `npm start` runs (tsx src/main.ts), to completion, with a given environment. */
const startProcess = (
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts'],
      // No Redis is needed: a bad configuration stops the process before it connects to anything.
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });

test('a start with a broken config file prints every problem as a list, no stack trace, and exits 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ar-badcfg-'));
  try {
    const file = join(dir, 'alert-router.yml');
    writeFileSync(
      file,
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
    const r = await startProcess({ ALERT_ROUTER_CONFIG: file, REDIS_URL: 'redis://127.0.0.1:1' });
    assert.equal(r.code, 1, r.stderr);
    const list = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('  - '))
      .sort();
    assert.deepEqual(list, [
      `  - ${file}: channels.slack-critical: Slack channel needs SLACK_BOT_TOKEN (or SLACK_BOT_TOKEN_FILE)`,
      `  - ${file}: routes[0].channels[0]: unknown channel "slak-critical" (known: outbox, slack-critical; did you mean "slack-critical"?)`,
      `  - ${file}: routes[0].continue: Invalid input: expected boolean, received string`,
      `  - ${file}: routes[0].matchers[0]: not a matcher: "severity critical" (expected name="value", name!="v", name=~"re" or name!~"re")`,
    ]);
    assert.match(r.stderr, /^invalid configuration:\n/m);
    assert.doesNotMatch(r.stderr + r.stdout, /\n\s+at .+:\d+:\d+/, 'no stack trace');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
