import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { OutboxChannel } from '../../src/channels/outbox/outbox-channel.js';
import { OutboxStore } from '../../src/channels/outbox/outbox-store.js';
import { createApp } from '../../src/http/create-app.js';
import { outboxRoutes } from '../../src/http/outbox-routes.js';
import { indexPageHtml } from '../../src/http/index-route.js';
import { deletePrefix } from '../../support/delete-prefix.js';
import { fixture } from '../../support/fixtures.js';

const HOSTILE = `"><script>alert(1)</script><img src=x onerror=alert(1)>`;

describe('outbox and index routes', () => {
  const prefix = `test-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const store = new OutboxStore(redis, prefix);
  const outbox = new OutboxChannel('outbox', store, { publicUrl: 'http://ar.test', alertmanagerUrl: undefined, maxAlertsShown: 5 });
  let server: Server;
  let base: string;
  let host: string;

  before(async () => {
    server = createServer(
      createApp({ logger: pino({ level: 'silent' }), routers: [outboxRoutes(store, 'http://alert-router.test')], index: { channels: [{ name: 'outbox', kind: 'outbox' }, { name: 'oncall', kind: 'pagerduty' }] } }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    base = `http://${host}`;
  });
  beforeEach(async () => {
    await store.clear();
    const p = fixture('firing');
    p.alerts[0]!.labels.instance = HOSTILE;
    p.commonAnnotations.summary = HOSTILE;
    await outbox.deliver({ key: 'k1', receivedAt: Date.now(), channel: 'outbox', payload: p });
    await outbox.deliver({ key: 'k2', receivedAt: Date.now(), channel: 'outbox', payload: fixture('resolved') });
  });
  after(async () => {
    server?.close();
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  it('serves the page with a strict CSP, escaping everything an entry holds', async () => {
    const res = await fetch(`${base}/outbox`);
    assert.equal(res.status, 200);
    assert.equal(
      res.headers.get('content-security-policy'),
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const html = await res.text();
    assert.doesNotMatch(html, /<script|<img/i, 'nothing from the payload becomes markup, in the page or the srcdoc');
    assert.ok(html.indexOf('HighErrorRate') > 0);
    assert.ok(html.indexOf('resolved</span> HighErrorRate') < html.indexOf('firing</span> HighErrorRate'), 'newest first');
    assert.match(html, /<iframe class="email"[^>]* sandbox="allow-popups allow-popups-to-escape-sandbox"[^>]* srcdoc="&lt;!doctype html&gt;/);
  });

  it('shows an entry stored before the email HTML was kept by its text part', async () => {
    await store.push({
      at: new Date().toISOString(), channel: 'outbox', key: 'old', status: 'firing', alertname: 'OldEntry', alerts: 1,
      rendered: { slack: { text: 'old', blocks: [] }, pagerduty: {}, email: { subject: '[FIRING:1] OldEntry', text: 'the <old> text part' } },
    });
    const html = await (await fetch(`${base}/outbox`)).text();
    assert.ok(html.includes('<pre class="plain">the &lt;old&gt; text part</pre>'), html.slice(0, 200));
  });

  it('GET /api/outbox pages: at most 50 entries per answer, streamed as stored, `next` for the rest', async () => {
    for (let i = 0; i < 58; i++)
      await store.push({
        at: new Date().toISOString(), channel: 'outbox', key: `p${i}`, status: 'firing', alertname: 'Paged', alerts: 1,
        rendered: { slack: { text: `entry ${i}`, blocks: [] }, pagerduty: {}, email: { subject: 's', text: 't' } },
      });
    type Page = { entries: Array<{ key: string }>; total: number; next: number | null };
    const first = (await (await fetch(`${base}/api/outbox?limit=200`)).json()) as Page;
    assert.equal(first.entries.length, 50, 'a read never returns more than 50');
    assert.equal(first.entries[0]!.key, 'p57', 'newest first');
    assert.equal(first.total, 60);
    assert.equal(first.next, 50);
    const rest = (await (await fetch(`${base}/api/outbox?limit=50&offset=${first.next}`)).json()) as Page;
    assert.deepEqual(rest.entries.map((e) => e.key), ['p7', 'p6', 'p5', 'p4', 'p3', 'p2', 'p1', 'p0', 'k2', 'k1']);
    assert.equal(rest.next, null);
    const past = (await (await fetch(`${base}/api/outbox?offset=500`)).json()) as Page;
    assert.deepEqual(past.entries, []);
  });

  it('GET /api/outbox still answers JSON, newest first, with the email HTML kept', async () => {
    const body = (await (await fetch(`${base}/api/outbox?limit=1`)).json()) as { entries: Array<{ key: string; rendered: { email: { html?: string } } }> };
    assert.deepEqual(body.entries.map((e) => e.key), ['k2']);
    const fractional = await fetch(`${base}/api/outbox?limit=1.5`);
    assert.equal(fractional.status, 200, 'a fractional limit is read as a whole number');
    assert.match(body.entries[0]!.rendered.email.html ?? '', /^<!doctype html>/);
  });

  it('clears from its own page and from a non-browser client, never from another site', async () => {
    for (const [method, path, headers] of [
      ['POST', '/outbox/clear', { origin: 'http://evil.example' }],
      ['POST', '/outbox/clear', { 'sec-fetch-site': 'cross-site', origin: base }],
      ['POST', '/outbox/clear', { origin: 'null' }],
      ['DELETE', '/api/outbox', { origin: 'http://evil.example' }],
      ['DELETE', '/api/outbox', { 'sec-fetch-site': 'same-site' }],
    ] as const) {
      const res = await fetch(`${base}${path}`, { method, headers, redirect: 'manual' });
      assert.equal(res.status, 403, `${method} ${path} ${JSON.stringify(headers)}`);
      assert.equal(((await res.json()) as { error: string }).error, 'cross_origin');
      assert.equal(await store.size(), 2, 'nothing cleared');
    }
    // DNS rebinding: evil.example re-pointed at this address is "same-origin" to its own page, and
    // names itself in Host (fetch may not set Host, so a raw request).
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = request(`${base}/outbox/clear`, { method: 'POST', headers: { host: 'evil.example:8080', origin: 'http://evil.example:8080', 'sec-fetch-site': 'same-origin' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(rebound, 403, 'a request addressed to another name is refused');
    assert.equal(await store.size(), 2, 'nothing cleared');
    const form = await fetch(`${base}/outbox/clear`, { method: 'POST', headers: { origin: base, 'sec-fetch-site': 'same-origin' }, redirect: 'manual' });
    assert.deepEqual([form.status, form.headers.get('location')], [303, '/outbox']);
    assert.equal(await store.size(), 0);

    await outbox.deliver({ key: 'k3', receivedAt: Date.now(), channel: 'outbox', payload: fixture('firing') });
    const api = await fetch(`${base}/api/outbox`, { method: 'DELETE' });
    assert.deepEqual([api.status, await api.json()], [200, { cleared: 1 }]);
    assert.deepEqual(await (await fetch(`${base}/api/outbox`)).json(), { entries: [], total: 0, next: null });
    assert.match(await (await fetch(`${base}/outbox`)).text(), /The outbox is empty/);
  });

  it('GET / is an index page linking what this instance serves, and its channels', async () => {
    const res = await fetch(`${base}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'.*form-action 'none'/);
    const html = await res.text();
    for (const href of ['/outbox', '/runbooks', '/runbooks#deadman', '/api/deadman', '/metrics', '/readyz', '/api/outbox'])
      assert.ok(html.includes(`href="${href}"`), href);
    assert.ok(html.includes('oncall · pagerduty'));
    // This app has no webhook mounted (a worker-only process): the page says where to point Alertmanager instead.
    assert.match(html, /runs the workers only/);
    assert.doesNotMatch(html, /POST \/webhook\/alertmanager/);
    assert.match(indexPageHtml({ webhook: { auth: 'none' } }), /POST \/webhook\/alertmanager.*no webhook credentials are configured/s);
    assert.match(indexPageHtml({ webhook: { auth: 'basic' } }), /basic_auth/);
    const missing = await fetch(`${base}/nope`);
    assert.deepEqual([missing.status, await missing.json()], [404, { error: 'not_found', message: 'no such route' }]);
  });
});
