/**
 * docs/slack-app.md against the code it describes: the Slack app manifest a user pastes at
 * api.slack.com/apps parses and asks for what Slack actions need, every environment variable the
 * page names is one the config loader reads, and the start-up errors it quotes are the loader's.
 *
 * Run: node --import tsx --test test/unit/slack-app-manifest.test.ts
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig } from '../../src/config/load-config.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DOC = readFileSync(join(ROOT, 'docs', 'slack-app.md'), 'utf8');
const LOAD_CONFIG = readFileSync(join(ROOT, 'src', 'config', 'load-config.ts'), 'utf8');
const READ_SECRET = readFileSync(join(ROOT, 'src', 'lib', 'read-secret.ts'), 'utf8');

const FENCE = /^```[^\n]*\n([\s\S]*?)^```\s*$/gm;

/** The first fenced yaml block under the "## The Slack app manifest" heading. */
function manifestYaml(): string {
  const heading = DOC.search(/^## The Slack app manifest\s*$/m);
  assert.ok(heading >= 0, 'docs/slack-app.md has no "## The Slack app manifest" heading');
  const m = /^```yaml\n([\s\S]*?)^```\s*$/m.exec(DOC.slice(heading));
  assert.ok(m?.[1], 'no ```yaml block under "## The Slack app manifest"');
  return m[1];
}

/** Text in backticks: fenced blocks, and inline code spans (`x`, or ``x `y` z``) outside them. */
function backticked(): string[] {
  const fenced = [...DOC.matchAll(FENCE)].map((m) => m[1] ?? '');
  const prose = DOC.replace(FENCE, '');
  const inline = [...prose.matchAll(/(`+)([^`][\s\S]*?)\1(?!`)/g)].map((m) => m[2] ?? '');
  return [...fenced, ...inline];
}

const ENV_NAME = /\b(?:SLACK_[A-Z0-9_]*[A-Z0-9]|ALERTMANAGER_URL|PUBLIC_URL)\b/g;

/** Whether load-config.ts reads `name` from the environment, directly or as a secret (NAME or NAME_FILE). */
function readByLoadConfig(name: string): boolean {
  const direct = new RegExp(`\\benv\\.${name}\\b|\\benv\\[['"]${name}['"]\\]`);
  const secret = (n: string): RegExp => new RegExp(`readSecret\\(\\s*env,\\s*['"]${n}['"]`);
  if (direct.test(LOAD_CONFIG) || secret(name).test(LOAD_CONFIG)) return true;
  return name.endsWith('_FILE') && secret(name.slice(0, -'_FILE'.length)).test(LOAD_CONFIG);
}

/** The loader's problems for this environment and config file text, without the file name prefix. */
function problems(env: Record<string, string>, yaml: string): string[] {
  try {
    loadConfig({ ALERT_ROUTER_CONFIG: 'cfg.yml', ...env }, () => yaml);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems.map((p) => p.replace(/^cfg\.yml: /, ''));
  }
  assert.fail('expected a ConfigError');
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ');

void test('the manifest parses, enables interactivity on /slack/actions and asks for chat:write', () => {
  const manifest: unknown = parse(manifestYaml());
  assert.ok(manifest !== null && typeof manifest === 'object', 'the manifest is not a YAML mapping');
  const m = manifest as {
    display_information?: { name?: unknown };
    oauth_config?: { scopes?: { bot?: unknown } };
    settings?: { interactivity?: { is_enabled?: unknown; request_url?: unknown } };
  };
  assert.equal(typeof m.display_information?.name, 'string', 'display_information.name is required by Slack');
  const interactivity = m.settings?.interactivity;
  assert.equal(interactivity?.is_enabled, true, 'settings.interactivity.is_enabled must be true');
  assert.equal(typeof interactivity?.request_url, 'string', 'settings.interactivity.request_url');
  const url = new URL(String(interactivity?.request_url));
  assert.equal(url.protocol, 'https:', 'Slack sends clicks to an https Request URL');
  assert.ok(url.pathname.endsWith('/slack/actions'), `request_url ${url.href} must end in /slack/actions`);
  const bot = m.oauth_config?.scopes?.bot;
  assert.ok(Array.isArray(bot), 'oauth_config.scopes.bot must be a list');
  assert.ok(bot.includes('chat:write'), `bot scopes ${JSON.stringify(bot)} lack chat:write`);
  // Every scope the app asks for is explained on the page, outside the manifest itself.
  const prose = DOC.replace(manifestYaml(), '');
  for (const scope of bot as unknown[])
    assert.ok(prose.includes(`\`${String(scope)}\``), `scope ${String(scope)} is not explained in the doc`);
});

void test('every environment variable the page names is one load-config.ts reads', () => {
  assert.match(READ_SECRET, /`\$\{name\}_FILE`/, 'readSecret no longer reads <NAME>_FILE');
  const named = new Set(backticked().flatMap((text) => text.match(ENV_NAME) ?? []));
  for (const expected of [
    'SLACK_BOT_TOKEN',
    'SLACK_SIGNING_SECRET',
    'SLACK_SIGNING_SECRET_FILE',
    'SLACK_TEAM_ID',
    'ALERTMANAGER_URL',
    'PUBLIC_URL',
  ])
    assert.ok(named.has(expected), `docs/slack-app.md should name \`${expected}\``);
  const unread = [...named].filter((name) => !readByLoadConfig(name)).sort();
  assert.deepEqual(unread, [], `named in docs/slack-app.md but not read by src/config/load-config.ts`);
});

void test('the start-up errors the page quotes are the ones the loader reports', () => {
  const doc = oneLine(DOC);
  const slackOnly = 'channels:\n  s: {type: slack, channel: "#a"}\nroutes: []\ndefaultChannels: [s]\n';
  const noAlertmanager = problems({ SLACK_BOT_TOKEN: 'x', SLACK_SIGNING_SECRET: 's' }, slackOnly);
  const missing = noAlertmanager.find((p) => p.startsWith('env SLACK_SIGNING_SECRET:'));
  assert.ok(missing, `no problem about ALERTMANAGER_URL in ${JSON.stringify(noAlertmanager)}`);
  assert.ok(doc.includes(missing), `docs/slack-app.md should quote: ${missing}`);

  const allowList =
    'channels:\n  slack-critical: {type: slack, channel: "#a", silenceAllowed: {users: [U0123ABCD]}}\n' +
    'routes: []\ndefaultChannels: [slack-critical]\n';
  const withoutSecret = problems({ SLACK_BOT_TOKEN: 'x' }, allowList);
  assert.equal(withoutSecret.length, 1, JSON.stringify(withoutSecret));
  assert.ok(doc.includes(withoutSecret[0]!), `docs/slack-app.md should quote: ${withoutSecret[0]}`);
});
