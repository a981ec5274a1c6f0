import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWebhook } from '../../src/alertmanager/parse-webhook.js';
import { HttpError } from '../../src/http/http-error.js';
import { fixture, fixtureText } from '../helpers/fixtures.js';

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
