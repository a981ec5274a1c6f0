// Ingest benchmark: real payloads against the real service (ROLE=api, real Redis) and, in the same
// run, a bare express JSON endpoint as the ceiling. Each request carries a distinct fingerprint so
// dedup never short-circuits a write, and afterwards every 2xx is checked to be a job in Redis.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { deletePrefix } from '../support/delete-prefix.js';
import { fixturePath, fixtureText } from '../support/fixtures.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const fixture = fixtureText('firing');
// A distinct fingerprint per request: every request is a new notification, never a duplicate.
let sequence = 0;
const nextBody = (): string =>
  fixture.replace('"fingerprint":"', `"fingerprint":"${(sequence++).toString(36)}-`);

export interface Result {
  readonly name: string;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly ok: number;
  readonly errors: number;
}

export function startChild(
  script: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(script, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.once('message', (m: { port: number }) => resolve({ child, port: m.port }));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

const hasWrk = ((): boolean => {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    // wrk prints its version and exits 1; only a missing binary throws ENOENT.
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
})();

/** wrk (C, its own threads) loads harder than autocannon (JS), so it is used when installed. */
function loadWithWrk(name: string, port: number, seconds: number): Result {
  const out = execFileSync(
    'wrk',
    [
      '-t1',
      `-c${CONNECTIONS}`,
      `-d${seconds}s`,
      '--latency',
      '-s',
      new URL('./unique-body.lua', import.meta.url).pathname,
      `http://127.0.0.1:${port}/webhook/alertmanager`,
      '--',
      fixturePath('firing'),
      `r${Date.now().toString(36)}`,
      // Bodies built before the clock starts: enough for 8k req/s (about twice what either endpoint
      // does here), built on the fly beyond that.
      String(seconds * 8_000),
    ],
    { encoding: 'utf8' },
  );
  const m = /WRK (\d+) (\d+) (\d+) (\d+) (\d+)/.exec(out);
  if (!m) throw new Error(`unexpected wrk output:\n${out}`);
  const [requests, errors, p50us, p99us, durationUs] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return {
    name,
    rps: requests / (durationUs / 1e6),
    p50: p50us / 1000,
    p99: p99us / 1000,
    ok: requests - errors,
    errors,
  };
}

export async function load(name: string, port: number, seconds: number): Promise<Result> {
  if (hasWrk) return loadWithWrk(name, port, seconds);
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/webhook/alertmanager`,
    connections: CONNECTIONS,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench-token' },
    requests: [{ setupRequest: (req) => ({ ...req, body: nextBody() }) }],
  });
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** The run with the median req/s (its own p50/p99 with it), so one noisy run does not decide. */
export function median(name: string, runs: readonly Result[]): Result {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  return { ...sorted[Math.floor(sorted.length / 2)]!, name };
}

/**
 * Runs both endpoints, alternating, ROUNDS times each (this 2-core machine is shared by wrk, Node and
 * Redis, and single runs vary by +-20 %); returns the median figures and whether every 2xx became
 * a job.
 */
export async function runIngestBench(): Promise<Record<string, number | string>> {
  const bare = await startChild(new URL('./bare-express.ts', import.meta.url).pathname, {});
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const router = await startChild(new URL('./ingest-server.ts', import.meta.url).pathname, {
    QUEUE_PREFIX: prefix,
    REDIS_URL,
  });
  await load('warmup', bare.port, 2);
  await load('warmup', router.port, 2);
  const redis = new Redis(REDIS_URL);
  await deletePrefix(redis, prefix);
  const bareRuns: Result[] = [];
  const ourRuns: Result[] = [];
  let durableOk = true;
  let oks = 0;
  let jobs = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    bareRuns.push(await load(`bare express #${round}`, bare.port, DURATION));
    const before = await redis.llen(`${prefix}:notifications:wait`);
    const run = await load(`alert-router #${round}`, router.port, DURATION);
    const after = await redis.llen(`${prefix}:notifications:wait`);
    ourRuns.push(run);
    // Every 2xx must be a job. A few more jobs than 2xx is expected: requests still in flight when
    // the load generator stopped were stored but their answers were not counted.
    const durable = after - before;
    durableOk &&= durable >= run.ok && durable - run.ok <= CONNECTIONS;
    oks += run.ok;
    jobs += durable;
    // Start every round from an empty queue, as a deployment with running workers would be.
    await deletePrefix(redis, prefix);
  }
  bare.child.kill();
  const routerExited = new Promise((resolve) => router.child.once('exit', resolve));
  router.child.kill();
  await routerExited;
  await deletePrefix(redis, prefix); // what landed after the last count
  redis.disconnect();

  const ceiling = median('bare express', bareRuns);
  const ours = median('alert-router', ourRuns);
  console.log(
    `\ningest (${hasWrk ? 'wrk' : 'autocannon'}), ${CONNECTIONS} connections, ${DURATION}s x ${ROUNDS} rounds each, payload ${fixture.length} bytes`,
  );
  console.log('endpoint                 req/s     p50 ms   p99 ms   2xx      errors');
  for (const r of [...bareRuns, ...ourRuns, ceiling, ours]) {
    const label = r === ceiling || r === ours ? `${r.name} (median)` : r.name;
    console.log(
      `${label.padEnd(24)} ${r.rps.toFixed(0).padStart(7)}   ${r.p50.toFixed(1).padStart(6)}   ${r.p99.toFixed(1).padStart(6)}   ${String(r.ok).padStart(7)}  ${r.errors}`,
    );
  }
  const ratio = ours.rps / ceiling.rps;
  console.log(`ratio alert-router / bare express (medians): ${(ratio * 100).toFixed(1)}%`);
  console.log(
    `durability: ${oks} x 2xx, ${jobs} jobs in Redis -> ${durableOk ? 'every 2xx is a job' : 'MISMATCH'}`,
  );
  return {
    ingest_rps: ours.rps,
    ingest_p50_ms: ours.p50,
    ingest_p99_ms: ours.p99,
    ingest_p99_ms_runs: ourRuns.map((r) => r.p99.toFixed(1)).join(' '),
    bare_express_rps: ceiling.rps,
    bare_express_p99_ms: ceiling.p99,
    ratio,
    durable_ok: durableOk ? 'yes' : 'no',
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runIngestBench().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
