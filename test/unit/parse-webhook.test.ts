import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWebhook } from '../../src/http/parse-webhook.js';
import { HttpError } from '../../src/http/http-error.js';
import { fixture, fixtureText } from '../../support/fixtures.js';

const expect400 = (fn: () => unknown, code: string, text?: RegExp): void => {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof HttpError);
    assert.equal(err.status, 400);
    assert.equal(err.code, code);
    if (text) assert.match(JSON.stringify({ m: err.message, d: err.details }), text);
    return true;
  });
};

test('accepts every captured Alertmanager fixture, unknown fields included', () => {
  for (const name of ['firing', 'resolved', 'grouped', 'group-1000', 'receiver-with-dot', 'watchdog']) {
    const p = parseWebhook('application/json', Buffer.from(fixtureText(name)));
    assert.equal(p.version, '4');
  }
  const extra = { ...fixture('firing'), notification_reason: 'repeat', routeLabels: { a: 'b' } };
  const p = parseWebhook('application/json; charset=utf-8', Buffer.from(JSON.stringify(extra)));
  assert.equal((p as Record<string, unknown>).notification_reason, 'repeat');
});

test('says what is wrong: content type, JSON, version, missing fields', () => {
  expect400(() => parseWebhook('text/plain', Buffer.from('{}')), 'unsupported_content_type', /text\/plain/);
  expect400(() => parseWebhook(undefined, Buffer.from('{}')), 'unsupported_content_type');
  expect400(() => parseWebhook('application/json', Buffer.from('{"version":')), 'malformed_json');
  expect400(() => parseWebhook('application/json', Buffer.from(JSON.stringify({ ...fixture('firing'), version: '3' }))), 'invalid_payload', /only webhook version/);
  const noAlerts = { ...fixture('firing') } as Record<string, unknown>;
  delete noAlerts.alerts;
  expect400(() => parseWebhook('application/json', Buffer.from(JSON.stringify(noAlerts))), 'invalid_payload', /alerts/);
  const badAlert = fixture('firing');
  (badAlert.alerts[0] as Record<string, unknown>).status = 'maybe';
  expect400(() => parseWebhook('application/json', Buffer.from(JSON.stringify(badAlert))), 'invalid_payload', /alerts\.0\.status/);
});

test('lone UTF-16 surrogates anywhere become U+FFFD at the edge', () => {
  const p = fixture('firing');
  p.commonLabels.alertname = 'High\ud800Rate';
  p.alerts[0]!.labels['bad\udc00name'] = 'value\ud83d';
  p.alerts[0]!.annotations.summary = 'ends with half an emoji \ud83d';
  // JSON.stringify writes a lone surrogate as a \uXXXX escape: the text is valid JSON.
  const parsed = parseWebhook('application/json', Buffer.from(JSON.stringify(p)));
  assert.equal(parsed.commonLabels.alertname, 'High\ufffdRate');
  assert.equal(parsed.alerts[0]!.labels['bad\ufffdname'], 'value\ufffd');
  assert.equal(parsed.alerts[0]!.annotations.summary, 'ends with half an emoji \ufffd');
  assert.ok(JSON.stringify(parsed).isWellFormed());
  // A real pair is kept as it is, and so is an escaped backslash that only looks like an escape.
  const ok = fixture('firing');
  ok.alerts[0]!.annotations.summary = 'fire \ud83d\udd25 and \\ud800 as text';
  const kept = parseWebhook('application/json', Buffer.from(JSON.stringify(ok)));
  assert.equal(kept.alerts[0]!.annotations.summary, 'fire 🔥 and \\ud800 as text');
});

test('nesting deeper than any webhook needs is a 400, not a retry', () => {
  // Written as text: JSON.stringify itself overflows the stack on it.
  const body = JSON.stringify(fixture('firing')).replace(/}$/, `,"extra":${'['.repeat(5000)}1${']'.repeat(5000)}}`);
  expect400(() => parseWebhook('application/json', Buffer.from(body)), 'invalid_payload', /nest/);
  // Extra fields of ordinary depth still pass through.
  const p = parseWebhook('application/json', Buffer.from(JSON.stringify({ ...fixture('firing'), routeLabels: { a: { b: ['c'] } } })));
  assert.deepEqual((p as Record<string, unknown>).routeLabels, { a: { b: ['c'] } });
});

test('two label names that differ only in lone surrogates keep the first value', () => {
  const p = fixture('firing');
  p.alerts[0]!.labels = { alertname: 'X', 'a\ud800': 'first', 'a\ud801': 'second' };
  const parsed = parseWebhook('application/json', Buffer.from(JSON.stringify(p)));
  assert.deepEqual(parsed.alerts[0]!.labels, { alertname: 'X', 'a\ufffd': 'first' });
});

test('a UTF-8 byte order mark before the JSON is ignored (RFC 8259 section 8.1 allows it)', () => {
  const p = parseWebhook('application/json', Buffer.from(`\ufeff${fixtureText('firing')}`));
  assert.equal(p.version, '4');
});
