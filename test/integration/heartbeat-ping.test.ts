import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/config/config-error.js';
import { waitFor } from '../../support/wait.js';
import { startTestRouter } from '../helpers/start-test-router.js';

// A healthchecks.io-style check: GET /ping/<uuid> answers 200, or what the test says.
let server: Server;
let base: string;
const pings: Array<{ path: string; at: number }> = [];
let status = 200;
before(async () => {
  server = createServer((req, res) => {
    pings.push({ path: req.url ?? '', at: Date.now() });
    res.writeHead(status).end('OK');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

const fileConfig = {
  channels: { outbox: { type: 'outbox' } },
  defaultChannels: ['outbox'],
  heartbeat: { checkIntervalSeconds: 1, sources: [{ name: 'prod' }] },
};

test("HEARTBEAT_PING_URL: pinged after every dead man's check; a failing check service is counted", async () => {
  const url = `${base}/ping/0b5e8f4c-7d1a-4a8e-9c3d-2f6b1a9e7c55`;
  const router = await startTestRouter(fileConfig, { HEARTBEAT_PING_URL: url, HOST: '127.0.0.1' });
  try {
    assert.equal((router.server.address() as AddressInfo).address, '127.0.0.1', 'HOST is the listen address');
    const from = pings.length;
    await waitFor(() => pings.length >= from + 2, 'two pings, one per check', 15_000);
    assert.ok(pings.slice(from).every((p) => p.path === '/ping/0b5e8f4c-7d1a-4a8e-9c3d-2f6b1a9e7c55'));
    const metrics = async (): Promise<string> => (await fetch(`${router.url}/metrics`)).text();
    assert.match(await metrics(), /^alert_router_heartbeat_pings_total\{outcome="ok"\} [1-9]/m);
    assert.match(await metrics(), /^alert_router_heartbeat_ping_last_success_timestamp_seconds \d/m);
    status = 503;
    await waitFor(
      async () => /^alert_router_heartbeat_pings_total\{outcome="failed"\} [1-9]/m.test(await metrics()),
      'a failed ping counted',
      15_000,
    );
    // Node's own metrics keep their standard names for stock dashboards.
    assert.match(await metrics(), /^process_cpu_seconds_total /m);
    assert.match(await metrics(), /^nodejs_eventloop_lag_seconds /m);
  } finally {
    status = 200;
    await router.stop();
  }
});

test('HEARTBEAT_PING_URL must be http(s), and the problem does not echo it', () => {
  try {
    loadConfig({ HEARTBEAT_PING_URL: 'ftp://secret-token@example.com/x', HOST: 'not an address' });
    assert.fail('expected a ConfigError');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.ok(err.problems.includes('env HEARTBEAT_PING_URL: must be an http(s) URL'));
    assert.ok(err.problems.some((p) => p.startsWith('env HOST:')));
    assert.ok(!err.message.includes('secret-token'));
  }
});
