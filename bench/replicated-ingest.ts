// What "acknowledged means replicated" costs: the ingest benchmark against a primary with one
// replica, with the replication wait (REDIS_WAIT_REPLICAS=auto: WAIT 1 before each 2xx) and without
// it (0), alternating rounds on the same pair of private redis-servers.
import { pathToFileURL } from 'node:url';
import { RedisServer } from '../support/redis-server.js';
import { DURATION, ROUNDS, load, median, startChild, type Result } from './ingest-bench.js';

export async function runReplicatedIngestBench(): Promise<Record<string, number | string>> {
  const primary = await RedisServer.start();
  const replica = await RedisServer.start(['--replicaof', '127.0.0.1', String(primary.port)]);
  const server = new URL('./ingest-server.ts', import.meta.url).pathname;
  const env = { REDIS_URL: primary.url, QUEUE_PREFIX: 'bench-replicated' };
  const waiting = await startChild(server, { ...env, REDIS_WAIT_REPLICAS: 'auto' });
  const plain = await startChild(server, { ...env, REDIS_WAIT_REPLICAS: '0' });
  try {
    // The children look at the primary's replicas every 2 s: let them see the replica first.
    await new Promise((r) => setTimeout(r, 2500));
    await load('warmup', waiting.port, 2);
    await load('warmup', plain.port, 2);
    const withWait: Result[] = [];
    const without: Result[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      without.push(await load(`no wait #${round}`, plain.port, DURATION));
      withWait.push(await load(`WAIT 1 #${round}`, waiting.port, DURATION));
    }
    const a = median('no wait', without);
    const b = median('WAIT 1', withWait);
    console.log('\ningest against a primary with one replica');
    console.log('endpoint                 req/s     p50 ms   p99 ms   2xx      errors');
    for (const r of [...without, ...withWait, a, b])
      console.log(
        `${r.name.padEnd(24)} ${r.rps.toFixed(0).padStart(7)}   ${r.p50.toFixed(1).padStart(6)}   ${r.p99.toFixed(1).padStart(6)}   ${String(r.ok).padStart(7)}  ${r.errors}`,
      );
    return {
      no_wait_rps: a.rps,
      no_wait_p99_ms: a.p99,
      wait_rps: b.rps,
      wait_p50_ms: b.p50,
      wait_p99_ms: b.p99,
      wait_errors: b.errors,
      cost: `${((1 - b.rps / a.rps) * 100).toFixed(1)}% fewer req/s`,
    };
  } finally {
    for (const c of [waiting, plain]) {
      const exited = new Promise((r) => c.child.once('exit', r));
      c.child.kill();
      await exited;
    }
    await replica.close();
    await primary.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await runReplicatedIngestBench(), null, 2));
}
