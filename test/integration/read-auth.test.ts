import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixtureText } from '../../support/fixtures.js';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';

const READ_TOKEN = 'read-token-for-tests';
const WEBHOOK_TOKEN = 'webhook-token-for-tests';
const CONFIG = { channels: { outbox: { type: 'outbox' } }, defaultChannels: ['outbox'] };
/** Everything a person reads: the labels of firing instances, live values, delivered messages. */
const READ_PATHS = ['/', '/outbox', '/api/outbox', '/runbooks', '/runbooks/HighErrorRate', '/api/deadman', '/storms', '/failures', '/api/failures'];

const basic = (user: string, pass: string): string => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

function postAlert(r: TestRouter, token: string): Promise<Response> {
  return fetch(`${r.url}/webhook/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: fixtureText('firing'),
  });
}

describe('read protection with a bearer token', () => {
  let r: TestRouter;
  before(async () => {
    r = await startTestRouter(CONFIG, { READ_BEARER_TOKEN: READ_TOKEN, WEBHOOK_BEARER_TOKEN: WEBHOOK_TOKEN });
  });
  after(() => r?.stop());

  it('refuses every human page and API without the token, with a challenge and nothing cached', async () => {
    for (const path of READ_PATHS) {
      const res = await fetch(`${r.url}${path}`);
      assert.equal(res.status, 401, path);
      assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="alert-router"', path);
      assert.equal(res.headers.get('cache-control'), 'no-store', path);
      const body = (await res.json()) as { error: string };
      assert.equal(body.error, 'unauthorized', path);
    }
  });

  it('refuses a wrong token, the webhook token and a token sent as basic', async () => {
    for (const authorization of [`Bearer ${READ_TOKEN}x`, `Bearer ${WEBHOOK_TOKEN}`, basic('reader', READ_TOKEN)]) {
      const res = await fetch(`${r.url}/api/outbox`, { headers: { authorization } });
      assert.equal(res.status, 401, authorization);
    }
  });

  it('serves them with the token', async () => {
    for (const path of READ_PATHS) {
      const res = await fetch(`${r.url}${path}`, { headers: { authorization: `Bearer ${READ_TOKEN}` } });
      assert.notEqual(res.status, 401, path);
      assert.ok(res.status < 500, `${path} answered ${res.status}`);
    }
    const outbox = await fetch(`${r.url}/outbox`, { headers: { authorization: `Bearer ${READ_TOKEN}` } });
    assert.equal(outbox.status, 200);
    assert.match(await outbox.text(), /<html/i);
  });

  it('leaves the probes and, by default, /metrics open', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      const res = await fetch(`${r.url}${path}`);
      assert.equal(res.status, 200, path);
    }
  });

  it('does not let an unauthenticated case or encoding variant of an open path through to a protected one', async () => {
    for (const path of ['/Outbox', '/%6Futbox', '/outbox/', '/api/outbox?x=/healthz']) {
      const res = await fetch(`${r.url}${path}`);
      assert.equal(res.status, 401, path);
    }
  });

  it('keeps the webhook on its own token, and what it accepts shows up for a reader', async () => {
    assert.equal((await postAlert(r, READ_TOKEN)).status, 401, 'the read token does not post alerts');
    assert.equal((await postAlert(r, WEBHOOK_TOKEN)).status, 200);
    const deadline = Date.now() + 10_000;
    let total = 0;
    while (Date.now() < deadline && total === 0) {
      const res = await fetch(`${r.url}/api/outbox`, { headers: { authorization: `Bearer ${READ_TOKEN}` } });
      total = ((await res.json()) as { entries: unknown[] }).entries.length;
      if (total === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(total, 1);
  });
});

describe('read protection with basic credentials and protected metrics', () => {
  let r: TestRouter;
  before(async () => {
    r = await startTestRouter(
      { ...CONFIG, http: { readAuth: { required: true, protectMetrics: true } } },
      { READ_BASIC_AUTH: 'oncall:s3cret:with-colon' },
    );
  });
  after(() => r?.stop());

  it('challenges with Basic so a browser asks, and accepts the credentials (a password may hold a colon)', async () => {
    const refused = await fetch(`${r.url}/runbooks`);
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('www-authenticate'), 'Basic realm="alert-router", charset="UTF-8"');
    assert.equal((await fetch(`${r.url}/runbooks`, { headers: { authorization: basic('oncall', 's3cret:with-colon') } })).status, 200);
    assert.equal((await fetch(`${r.url}/runbooks`, { headers: { authorization: basic('oncall', 's3cret') } })).status, 401);
    assert.equal((await fetch(`${r.url}/runbooks`, { headers: { authorization: basic('other', 's3cret:with-colon') } })).status, 401);
  });

  it('protects /metrics when asked, and still leaves the probes open', async () => {
    assert.equal((await fetch(`${r.url}/metrics`)).status, 401);
    const metrics = await fetch(`${r.url}/metrics`, { headers: { authorization: basic('oncall', 's3cret:with-colon') } });
    assert.equal(metrics.status, 200);
    assert.match(await metrics.text(), /alert_router_build_info/);
    assert.equal((await fetch(`${r.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${r.url}/readyz`)).status, 200);
  });
});

describe('read protection by a trusted sign-in proxy', () => {
  let trusted: TestRouter;
  let elsewhere: TestRouter;
  before(async () => {
    // The tests connect from 127.0.0.1: one router trusts that address, the other only a proxy subnet.
    trusted = await startTestRouter(CONFIG, {
      TRUSTED_PROXY_USER_HEADER: 'X-Forwarded-User',
      TRUSTED_PROXY_ADDRESSES: '127.0.0.1, 10.0.0.0/8',
    });
    elsewhere = await startTestRouter(CONFIG, {
      TRUSTED_PROXY_USER_HEADER: 'X-Forwarded-User',
      TRUSTED_PROXY_ADDRESSES: '10.0.0.0/8,fd00::/8',
      READ_BEARER_TOKEN: READ_TOKEN,
    });
  });
  after(async () => {
    await trusted?.stop();
    await elsewhere?.stop();
  });

  it('believes the user header from the proxy address only, and wants it set', async () => {
    assert.equal((await fetch(`${trusted.url}/outbox`, { headers: { 'x-forwarded-user': 'ana@example.com' } })).status, 200);
    assert.equal((await fetch(`${trusted.url}/outbox`)).status, 401, 'no user header: the proxy did not sign anyone in');
    assert.equal((await fetch(`${trusted.url}/outbox`, { headers: { 'x-forwarded-user': '' } })).status, 401);
  });

  it('refuses the header from any other address, over IPv4 and IPv6, and still takes the bearer token', async () => {
    const port = new URL(elsewhere.url).port;
    for (const base of [elsewhere.url, `http://[::1]:${port}`]) {
      const res = await fetch(`${base}/outbox`, { headers: { 'x-forwarded-user': 'mallory' } });
      assert.equal(res.status, 401, base);
    }
    const res = await fetch(`${elsewhere.url}/outbox`, {
      headers: { 'x-forwarded-user': 'mallory', authorization: `Bearer ${READ_TOKEN}` },
    });
    assert.equal(res.status, 200);
  });
});

describe('read protection configuration', () => {
  it('refuses to start when the file requires read protection but no credentials are set', async () => {
    await assert.rejects(
      startTestRouter({ ...CONFIG, http: { readAuth: { required: true } } }),
      /http\.readAuth\.required.*READ_BEARER_TOKEN/s,
    );
  });

  it('refuses a proxy header without proxy addresses, and addresses that are not IPs', async () => {
    await assert.rejects(startTestRouter(CONFIG, { TRUSTED_PROXY_USER_HEADER: 'X-Forwarded-User' }), /TRUSTED_PROXY_ADDRESSES/);
    await assert.rejects(
      startTestRouter(CONFIG, { TRUSTED_PROXY_USER_HEADER: 'X-Forwarded-User', TRUSTED_PROXY_ADDRESSES: 'proxy.internal' }),
      /TRUSTED_PROXY_ADDRESSES/,
    );
  });
});
