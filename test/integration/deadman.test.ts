import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import pino from 'pino';
import { loadConfig } from '../../src/config/load-config.js';
import { runDeadmanCheck, type DeadmanCheckDeps } from '../../src/deadman/deadman-check.js';
import { startDeadmanScheduler } from '../../src/deadman/deadman-scheduler.js';
import { enqueueDeliveries } from '../../src/queue/enqueue-deliveries.js';
import { HeartbeatStore } from '../../src/deadman/heartbeat-store.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { startFakePagerDuty, type FakePagerDuty } from '../helpers/fake-pagerduty.js';
import { deletePrefix } from '../../support/delete-prefix.js';
import { fixture } from '../../support/fixtures.js';
import { sleep, waitFor } from '../../support/wait.js';
import { REDIS_URL, startTestRouter, type TestRouter } from '../helpers/start-test-router.js';

const PD_KEY = 'R0UT1NGKEYR0UT1NGKEYR0UT1NGKEY12';
const DEDUP_KEY = createHash('sha256').update('deadmans-switch/lab').digest('hex');

// Short intervals: grace 2 s, start-up grace 2 s, one check per second.
const config = {
  channels: { pd: { type: 'pagerduty', routingKeyEnv: 'PD_KEY' }, outbox: { type: 'outbox' } },
  defaultChannels: ['outbox'],
  delivery: { backoffMs: 200 },
  heartbeat: {
    receiver: 'watchdog-heartbeat',
    alertname: 'Watchdog',
    defaultGraceSeconds: 2,
    startupGraceSeconds: 2,
    checkIntervalSeconds: 1,
    channels: ['pd'],
    sources: [{ name: 'lab', labels: { cluster: 'lab' } }],
  },
};

const heartbeat = async (r: TestRouter, body: unknown = fixture('watchdog')): Promise<Response> =>
  fetch(`${r.url}/webhook/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

interface DeadmanJson {
  sources: Array<{
    name: string;
    lastHeartbeat: string | null;
    state: string;
    silentSince: string | null;
    graceSeconds: number;
  }>;
}
/** Keeps a source alive for `ms` (one heartbeat every 500 ms). */
const keepAlive = async (r: TestRouter, ms: number): Promise<void> => {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(500))
    assert.equal((await heartbeat(r)).status, 200);
};

/** Waits until the switch has been checking for `ms` without a gap (its watch keys in Redis). */
const watchedFor = (r: TestRouter, ms: number): Promise<boolean> =>
  waitFor(
    async () => {
      const [last, since] = await r.redis.mget(
        `${r.prefix}:deadman:watch:last-check`,
        `${r.prefix}:deadman:watch:since`,
      );
      return last !== null && since !== null && Number(last) - Number(since) >= ms;
    },
    `${ms} ms of dead man's switch checks`,
    ms + 20_000,
  );

const status = async (r: TestRouter): Promise<DeadmanJson> =>
  (await (await fetch(`${r.url}/api/deadman`)).json()) as DeadmanJson;

/** What runDeadmanCheck needs, on a started router's Redis and queues, for calling it directly. */
const checkDeps = (r: TestRouter, fileConfig: unknown): DeadmanCheckDeps => {
  const { file } = loadConfig(
    { QUEUE_PREFIX: r.prefix, PUBLIC_URL: 'http://alert-router.test', PD_KEY, ALERT_ROUTER_CONFIG: 'inline' },
    () => JSON.stringify(fileConfig),
  );
  return {
    policy: file.heartbeat,
    defaultChannels: file.defaultChannels,
    publicUrl: 'http://alert-router.test',
    store: new HeartbeatStore(r.redis, r.prefix),
    queueDeliveries: (n, to, jobIdFor) =>
      enqueueDeliveries(r.queues.deliveries, r.redis, file.delivery, n, to, jobIdFor),
    metrics: createMetrics(),
    logger: pino({ level: 'silent' }),
  };
};

describe('dead man’s switch against real Redis and a local PagerDuty', () => {
  let pd: FakePagerDuty;
  const start = (env: Record<string, string> = {}): Promise<TestRouter> =>
    startTestRouter(
      config,
      { PD_KEY, PAGERDUTY_EVENTS_URL: pd.eventsUrl, ...env },
      { pagerdutyAgent: pd.agent },
    );
  const actions = (): string[] => pd.events.map((e) => String(e.event_action));

  before(async () => {
    pd = await startFakePagerDuty();
  });
  after(() => pd.close());

  test('no page without any heartbeat: the source waits, and the API and the metrics say so', async () => {
    pd.events.length = 0;
    const r = await start();
    try {
      await watchedFor(r, 6000); // three times grace + start-up grace
      assert.deepEqual(actions(), [], 'a source never heard from does not page');
      assert.deepEqual((await status(r)).sources, [
        { name: 'lab', lastHeartbeat: null, state: 'waiting', silentSince: null, graceSeconds: 2 },
      ]);
      const metrics = await (await fetch(`${r.url}/metrics`)).text();
      assert.match(metrics, /^alert_router_deadman_waiting_for_first_heartbeat\{source="lab"\} 1$/m);
      assert.match(metrics, /^alert_router_deadman_silent\{source="lab"\} 0$/m);
      // prom-client writes "Nan"; Prometheus reads NaN in any case (Go's strconv.ParseFloat).
      assert.match(metrics, /^alert_router_deadman_seconds_since_heartbeat\{source="lab"\} NaN$/im);
    } finally {
      await r.stop();
    }
  });

  test('heartbeat then silence: one page, no repeat on later ticks, resolve on resume', async () => {
    pd.events.length = 0;
    const r = await start();
    try {
      assert.equal((await heartbeat(r)).status, 200);
      const heardAt = Date.now();
      const s0 = (await status(r)).sources[0]!;
      assert.equal(s0.state, 'ok');
      assert.ok(s0.lastHeartbeat);
      const m0 = await (await fetch(`${r.url}/metrics`)).text();
      assert.match(m0, /^alert_router_deadman_waiting_for_first_heartbeat\{source="lab"\} 0$/m);

      await waitFor(() => pd.events.length > 0, 'the page', 8000);
      const page = pd.events[0]!;
      const after = Date.now() - heardAt;
      assert.ok(after >= 2000, `paged after ${after} ms, before the grace ended`);
      assert.equal(page.event_action, 'trigger');
      assert.equal(page.dedup_key, DEDUP_KEY);
      assert.equal(page.routing_key, PD_KEY);
      const payload = page.payload as { summary: string; severity: string };
      assert.match(payload.summary, /DeadMansSwitch: lab silent since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
      assert.equal(payload.severity, 'critical');

      await sleep(3000);
      assert.deepEqual(actions(), ['trigger'], 'one page per outage, not one per tick');
      const s1 = await status(r);
      assert.equal(s1.sources[0]!.state, 'silent');
      assert.ok(s1.sources[0]!.silentSince);
      const metrics = await (await fetch(`${r.url}/metrics`)).text();
      assert.match(metrics, /alert_router_deadman_silent\{source="lab"\} 1/);

      // A resolved Watchdog is the pipeline saying goodbye, not a heartbeat.
      const bye = fixture('watchdog');
      bye.status = 'resolved';
      bye.alerts[0]!.status = 'resolved';
      assert.equal((await heartbeat(r, bye)).status, 200);
      await sleep(1500);
      assert.deepEqual(actions(), ['trigger']);

      const res = await heartbeat(r);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: 'heartbeat' });
      await waitFor(() => pd.events.length > 1, 'the resolve', 4000);
      await keepAlive(r, 2500);
      assert.deepEqual(actions(), ['trigger', 'resolve']);
      assert.equal(pd.events[1]!.dedup_key, DEDUP_KEY, 'the resolve closes the same incident');
      const s2 = await status(r);
      assert.equal(s2.sources[0]!.state, 'ok');
      assert.equal(s2.sources[0]!.silentSince, null);
      assert.ok(s2.sources[0]!.lastHeartbeat);
      const m2 = await (await fetch(`${r.url}/metrics`)).text();
      assert.match(m2, /alert_router_deadman_silent\{source="lab"\} 0/);
      assert.match(m2, /alert_router_deadman_seconds_since_heartbeat\{source="lab"\} \d/);
      const outbox = (await (await fetch(`${r.url}/api/outbox`)).json()) as { entries: unknown[] };
      assert.equal(outbox.entries.length, 0, 'heartbeats are never delivered to humans');
    } finally {
      await r.stop();
    }
  });

  test('a restart after heartbeats were seen still pages when they stop', async () => {
    pd.events.length = 0;
    const a = await start();
    const prefix = a.prefix;
    assert.equal((await heartbeat(a)).status, 200);
    await a.close();
    a.redis.disconnect();
    const b = await start({ QUEUE_PREFIX: prefix });
    try {
      await waitFor(() => pd.events.length > 0, 'the page from the restarted router', 15_000);
      assert.deepEqual(actions(), ['trigger']);
      const s = (await status(b)).sources[0]!;
      assert.equal(s.state, 'silent');
      assert.ok(s.lastHeartbeat, 'the heartbeat seen before the restart is remembered');
    } finally {
      await b.close();
      await deletePrefix(b.redis, prefix);
      b.redis.disconnect();
    }
  });

  test('expectFirstWithinSeconds: a source never heard from pages once that time is up', async () => {
    pd.events.length = 0;
    const strict = {
      ...config,
      heartbeat: {
        ...config.heartbeat,
        sources: [{ name: 'lab', labels: { cluster: 'lab' }, expectFirstWithinSeconds: 2 }],
      },
    };
    const r = await startTestRouter(
      strict,
      { PD_KEY, PAGERDUTY_EVENTS_URL: pd.eventsUrl },
      { pagerdutyAgent: pd.agent },
    );
    try {
      await waitFor(() => pd.events.length > 0, 'the page', 10_000);
      assert.deepEqual(actions(), ['trigger']);
      const payload = pd.events[0]!.payload as { summary: string };
      assert.match(
        payload.summary,
        /DeadMansSwitch: lab never sent a heartbeat \(expected since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)/,
      );
      assert.equal((await status(r)).sources[0]!.state, 'silent');
      // The first heartbeat resolves it like any other outage.
      assert.equal((await heartbeat(r)).status, 200);
      await waitFor(() => pd.events.length > 1, 'the resolve', 4000);
      assert.deepEqual(actions(), ['trigger', 'resolve']);
      assert.equal((await status(r)).sources[0]!.state, 'ok');
    } finally {
      await r.stop();
    }
  });

  test('start-up logs the sources still waiting for their first heartbeat, once', async () => {
    const r = await start({ ROLE: 'api' }); // no scheduler of its own: the one below is alone
    const lines: Array<{ msg: string; sources?: string[] }> = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as never) });
    const connections = [new Redis(REDIS_URL), new Redis(REDIS_URL, { maxRetriesPerRequest: null })] as const;
    const scheduler = startDeadmanScheduler({
      ...checkDeps(r, config),
      logger,
      prefix: r.prefix,
      connection: connections[0],
      workerConnection: connections[1],
    });
    try {
      await watchedFor(r, 3000);
      const waiting = lines.filter((l) => /waiting for the first heartbeat/.test(l.msg));
      assert.equal(waiting.length, 1, JSON.stringify(lines));
      assert.deepEqual(waiting[0]!.sources, ['lab']);
    } finally {
      await scheduler.close();
      for (const c of connections) c.disconnect();
      await r.stop();
    }
  });

  test('steady heartbeats never page; unknown sources are counted, not tracked', async () => {
    pd.events.length = 0;
    const r = await start();
    try {
      const other = fixture('watchdog');
      other.alerts[0]!.labels.cluster = 'elsewhere';
      assert.equal((await heartbeat(r, other)).status, 200);
      await keepAlive(r, 5000);
      assert.deepEqual(actions(), []);
      assert.equal((await status(r)).sources[0]!.state, 'ok');
      assert.match(
        await (await fetch(`${r.url}/metrics`)).text(),
        /alert_router_deadman_unknown_heartbeats_total 1/,
      );
    } finally {
      await r.stop();
    }
  });

  test('two routers on one Redis page exactly once and resolve once', async () => {
    pd.events.length = 0;
    const a = await start();
    const b = await start({ QUEUE_PREFIX: a.prefix });
    try {
      assert.equal((await heartbeat(a)).status, 200);
      await waitFor(() => pd.events.length > 0, 'the page', 8000);
      await sleep(3000);
      assert.deepEqual(actions(), ['trigger']);
      assert.equal((await heartbeat(b)).status, 200);
      await waitFor(() => pd.events.length > 1, 'the resolve', 4000);
      await keepAlive(b, 2500);
      assert.deepEqual(actions(), ['trigger', 'resolve']);
    } finally {
      await b.stop(); // b.prefix is its own unused one; a.stop() removes the shared prefix
      await a.stop();
    }
  });

  test('concurrent checks at the same instant transition and queue once', async () => {
    const r = await start({ ROLE: 'api' });
    try {
      const deps = checkDeps(r, config);
      const { store } = deps;
      const t = Date.now();
      await store.record(['lab'], t - 10_000);
      await store.expect(['lab'], t - 60_000);
      await runDeadmanCheck(deps, t - 5000); // watching since well before the outage
      await Promise.all(Array.from({ length: 8 }, () => runDeadmanCheck(deps, t)));
      const jobs = await r.queues.deliveries.getJobs(['waiting', 'delayed', 'active', 'completed']);
      assert.deepEqual(
        jobs.map((j) => j.id),
        [`deadman-lab-${t}-trigger-pd`],
      );
      const rec = (await store.read(['lab'])).get('lab')!;
      assert.equal(rec.state, 'silent');
      assert.equal(rec.since, t - 10_000);
      assert.equal(rec.pending, undefined);
    } finally {
      await r.stop();
    }
  });

  test("a source with its own channels pages them, the others page the heartbeat's", async () => {
    const r = await start({ ROLE: 'api' });
    try {
      const twoSources = {
        ...config,
        heartbeat: {
          ...config.heartbeat,
          sources: [
            { name: 'lab', labels: { cluster: 'lab' } },
            { name: 'edge', labels: { cluster: 'edge' }, channels: ['outbox'] },
          ],
        },
      };
      const deps = checkDeps(r, twoSources);
      const { store } = deps;
      const t = Date.now();
      await store.record(['lab', 'edge'], t - 10_000);
      await store.expect(['lab', 'edge'], t - 60_000);
      await runDeadmanCheck(deps, t - 5000); // watching since well before the outage
      await runDeadmanCheck(deps, t);
      const jobs = await r.queues.deliveries.getJobs(['waiting', 'delayed', 'active', 'completed']);
      assert.deepEqual(jobs.map((j) => j.id).sort(), [
        `deadman-edge-${t}-trigger-outbox`,
        `deadman-lab-${t}-trigger-pd`,
      ]);
    } finally {
      await r.stop();
    }
  });

  test('a restart during an outage neither forgets it nor pages again', async () => {
    pd.events.length = 0;
    const a = await start();
    const prefix = a.prefix;
    assert.equal((await heartbeat(a)).status, 200);
    await waitFor(() => pd.events.length > 0, 'the page', 8000);
    await a.close();
    a.redis.disconnect();
    const b = await start({ QUEUE_PREFIX: prefix });
    try {
      await sleep(3000);
      assert.deepEqual(actions(), ['trigger'], 'no second page after the restart');
      assert.equal((await status(b)).sources[0]!.state, 'silent');
      assert.equal((await heartbeat(b)).status, 200);
      await waitFor(() => pd.events.length > 1, 'the resolve', 4000);
      assert.equal(pd.events[1]!.event_action, 'resolve');
      assert.equal(pd.events[1]!.dedup_key, pd.events[0]!.dedup_key);
    } finally {
      await b.close();
      await deletePrefix(b.redis, prefix);
      b.redis.disconnect();
    }
  });
});
