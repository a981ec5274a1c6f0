// Ingest during a storm: how long Alertmanager waits for the webhook's answer while the workers
// chew through a backlog. alert-router runs as a real process (src/main.ts), 1,000 groups are
// posted within one second, each with its own alert expression (so enrichment plans and asks a
// distinct query for each, of a stand-in Prometheus answering after 5 ms), and each answer is
// timed. Three runs: ROLE=all (workers in their own process), ROLE=all with WORKERS_IN_PROCESS=1
// (one event loop for both), and ROLE=api (no workers at all: the ceiling). Alertmanager counts a
// webhook that takes 10 s as failed and sends it again, so the figure that matters is the p99.
// Run alone with `npx tsx bench/ingest-during-storm.ts`, or as part of `npm run bench`.
import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { deletePrefix } from '../support/delete-prefix.js';
import { fixture } from '../support/fixtures.js';
import { freePort } from '../support/free-port.js';
import { ManagedProcess } from '../support/managed-process.js';
import { sleep, waitFor } from '../support/wait.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const GROUPS = Number(process.env.BENCH_STORM_GROUPS ?? 1000);
const BURST_MS = 1000;
const TOKEN = 'bench-token';
const ROOT = new URL('..', import.meta.url).pathname;

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
const ms = (n: number): number => Math.round(n);

/** Group `i` of a run: its own fingerprint, group key and alert expression. */
function groupBody(run: string, i: number): string {
  const p = fixture('firing');
  const alert = p.alerts[0]!;
  const group = `${run}-${i}`;
  const expr = `sum by (instance) (rate(bench_errors_total{group="${group}"}[5m])) > 0.05`;
  alert.labels = { ...alert.labels, alertname: 'BenchStorm', group };
  alert.fingerprint = `${run}${i.toString(16).padStart(8, '0')}`;
  alert.startsAt = new Date().toISOString();
  alert.generatorURL = `http://prometheus:9090/graph?g0.expr=${encodeURIComponent(expr)}&g0.tab=1`;
  return JSON.stringify({
    ...p,
    groupKey: `{}:{alertname="BenchStorm", group="${group}"}`,
    groupLabels: { alertname: 'BenchStorm', group },
    commonLabels: alert.labels,
  });
}

interface Scenario {
  readonly name: string;
  readonly env: Record<string, string>;
  /** Whether workers run, so every accepted group must end up delivered. */
  readonly delivers: boolean;
}

interface Figures {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly non2xx: number;
  /** Groups delivered to the outbox (delivery jobs completed), when workers run. */
  readonly delivered: number | undefined;
  /** From the first post until the last delivery, when workers run. */
  readonly drainMs: number | undefined;
}

async function runScenario(s: Scenario, prometheusUrl: string, redis: Redis): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'ar-bench-storm-'));
  const config = join(dir, 'alert-router.yml');
  writeFileSync(config, 'channels: { outbox: { type: outbox } }\ndefaultChannels: [outbox]\n');
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = new ManagedProcess(
    `alert-router (${s.name})`,
    process.execPath,
    ['--import', 'tsx', 'src/main.ts'],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        ALERT_ROUTER_CONFIG: config,
        RUNBOOKS_DIR: dir,
        PROMETHEUS_URL: prometheusUrl,
        WEBHOOK_BEARER_TOKEN: TOKEN,
        LOG_LEVEL: 'info',
        ...s.env,
      },
    },
  );
  // Alertmanager keeps connections open to its receivers; so does this client.
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const post = (body: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request(
        `${url}/webhook/alertmanager`,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            authorization: `Bearer ${TOKEN}`,
          },
        },
        (res) => {
          res.resume();
          res.once('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.once('error', reject);
      req.end(body);
    });
  const completed = (): Promise<number> => redis.zcard(`${prefix}:deliveries:completed`);
  try {
    await proc.startReady(`${url}/readyz`, 60_000);
    // Warm-up (JIT, connections, the workers' first jobs), then the burst on a quiet service.
    const warm = Array.from({ length: 50 }, (_, i) => groupBody(`w${randomUUID().slice(0, 4)}`, i));
    await Promise.all(warm.map(post));
    // On a machine busy with other work the warm-up may take longer: go on, the figures say so.
    if (s.delivers)
      await waitFor(async () => (await completed()) >= warm.length, 'the warm-up delivered', 20_000).catch(
        () => undefined,
      );
    await sleep(500);
    const before = s.delivers ? await completed() : 0;
    const run = randomUUID().slice(0, 6);
    const bodies = Array.from({ length: GROUPS }, (_, i) => groupBody(run, i));
    const times: number[] = [];
    let non2xx = 0;
    const start = performance.now();
    const answers: Array<Promise<void>> = [];
    // Evenly spread over one second, as an Alertmanager flushing many groups at once does.
    for (let i = 0; i < GROUPS; i++) {
      const due = start + (i * BURST_MS) / GROUPS;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      const t0 = performance.now();
      answers.push(
        post(bodies[i]!).then(
          (status) => {
            times.push(performance.now() - t0);
            if (status < 200 || status >= 300) non2xx++;
          },
          () => {
            times.push(performance.now() - t0);
            non2xx++;
          },
        ),
      );
    }
    await Promise.all(answers);
    let delivered: number | undefined;
    let drainMs: number | undefined;
    if (s.delivers) {
      delivered = await waitFor(
        async () => {
          const n = (await completed()) - before;
          return n >= GROUPS ? n : undefined;
        },
        () => `all ${GROUPS} groups delivered (${s.name})`,
        60_000,
        20,
      ).catch(async () => (await completed()) - before);
      drainMs = performance.now() - start;
    }
    const sorted = times.sort((a, b) => a - b);
    return {
      p50: ms(percentile(sorted, 50)),
      p99: ms(percentile(sorted, 99)),
      max: ms(sorted[sorted.length - 1]!),
      non2xx,
      delivered,
      drainMs: drainMs === undefined ? undefined : ms(drainMs),
    };
  } finally {
    await proc.stop();
    agent.destroy();
    await deletePrefix(redis, prefix);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The three runs one after the other (about 20 s each), figures printed and returned. */
export async function runIngestDuringStorm(): Promise<Record<string, number | string>> {
  const prom = fork(new URL('./empty-prometheus.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const promPort = await new Promise<number>((resolve, reject) => {
    prom.once('message', (m: { port: number }) => resolve(m.port));
    prom.once('exit', (code) => reject(new Error(`empty-prometheus exited with ${code}`)));
  });
  const prometheusUrl = `http://127.0.0.1:${promPort}`;
  const redis = new Redis(REDIS_URL);
  const scenarios: Scenario[] = [
    { name: 'ROLE=all', env: { ROLE: 'all' }, delivers: true },
    { name: 'ROLE=all WORKERS_IN_PROCESS=1', env: { ROLE: 'all', WORKERS_IN_PROCESS: '1' }, delivers: true },
    { name: 'ROLE=api (no workers)', env: { ROLE: 'api' }, delivers: false },
  ];
  const out: Record<string, number | string> = { groups: GROUPS, burst_ms: BURST_MS };
  const keys = ['split', 'in_process', 'ceiling'];
  try {
    console.log(
      `\ningest during a storm: ${GROUPS} groups with distinct expressions posted within ${BURST_MS} ms`,
    );
    console.log(
      'run                              p50 ms   p99 ms   max ms   non-2xx  delivered  drained in ms',
    );
    for (const [i, s] of scenarios.entries()) {
      const f = await runScenario(s, prometheusUrl, redis);
      console.log(
        `${s.name.padEnd(32)} ${String(f.p50).padStart(6)}   ${String(f.p99).padStart(6)}   ${String(f.max).padStart(6)}   ${String(f.non2xx).padStart(7)}  ${String(f.delivered ?? '-').padStart(9)}  ${String(f.drainMs ?? '-').padStart(13)}`,
      );
      const k = keys[i]!;
      out[`${k}_p50_ms`] = f.p50;
      out[`${k}_p99_ms`] = f.p99;
      out[`${k}_max_ms`] = f.max;
      out[`${k}_non_2xx`] = f.non2xx;
      if (f.delivered !== undefined) out[`${k}_delivered`] = f.delivered;
      if (f.drainMs !== undefined) out[`${k}_drained_ms`] = f.drainMs;
    }
  } finally {
    redis.disconnect();
    prom.kill();
  }
  out.all_delivered = out.split_delivered === GROUPS && out.split_non_2xx === 0 ? 'yes' : 'no';
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runIngestDuringStorm();
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
