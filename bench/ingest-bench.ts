// Ingest benchmark: real payloads against the real service (ROLE=api, real Redis) and, in the same
// run, a bare express JSON endpoint as the ceiling. Each request carries a distinct fingerprint so
// dedup never short-circuits a write, and afterwards every 2xx is checked to be a job in Redis.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const fixture = readFileSync(new URL('../test/fixtures/firing.json', import.meta.url), 'utf8');
// autocannon replaces [<id>] with a unique id per request: every request is a distinct notification.
const body = fixture.replace('"fingerprint":"', '"fingerprint":"[<id>]-');

interface Result {
  readonly name: string;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly ok: number;
  readonly errors: number;
}

function startChild(script: string, env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(script, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('message', (m: { port: number }) => resolve({ child, port: m.port }));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

async function load(name: string, port: number, seconds: number): Promise<Result> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/webhook/alertmanager`,
    connections: CONNECTIONS,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench-token' },
    body,
    idReplacement: true,
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

/** Runs both endpoints; returns the figures and whether every 2xx became a job. */
export async function runIngestBench(): Promise<Record<string, number | string>> {
  const bare = await startChild(new URL('./bare-express.ts', import.meta.url).pathname, {});
  await load('warmup', bare.port, 2);
  const ceiling = await load('bare express', bare.port, DURATION);
  bare.child.kill();

  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const router = await startChild(new URL('./ingest-server.ts', import.meta.url).pathname, { QUEUE_PREFIX: prefix, REDIS_URL });
  await load('warmup', router.port, 2);
  const redis = new Redis(REDIS_URL);
  const before = await redis.llen(`${prefix}:notifications:wait`);
  const ours = await load('alert-router', router.port, DURATION);
  const after = await redis.llen(`${prefix}:notifications:wait`);
  router.child.kill();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();

  const rows = [ceiling, ours];
  console.log(`\ningest, ${CONNECTIONS} connections, ${DURATION}s each, payload ${fixture.length} bytes`);
  console.log('endpoint           req/s     p50 ms   p99 ms   2xx      errors');
  for (const r of rows) {
    console.log(`${r.name.padEnd(18)} ${r.rps.toFixed(0).padStart(7)}   ${String(r.p50).padStart(6)}   ${String(r.p99).padStart(6)}   ${String(r.ok).padStart(7)}  ${r.errors}`);
  }
  const ratio = ours.rps / ceiling.rps;
  const durable = after - before;
  console.log(`ratio alert-router / bare express: ${(ratio * 100).toFixed(1)}%`);
  console.log(`durability: ${ours.ok} x 2xx, ${durable} jobs in Redis -> ${durable === ours.ok ? 'every 2xx is a job' : 'MISMATCH'}`);
  return { ingest_rps: ours.rps, ingest_p50_ms: ours.p50, ingest_p99_ms: ours.p99, bare_express_rps: ceiling.rps, bare_express_p99_ms: ceiling.p99, ratio, durable_ok: durable === ours.ok ? 'yes' : 'no' };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runIngestBench().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
