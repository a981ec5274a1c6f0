import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Redis } from 'ioredis';
import { deletePrefix } from '../../support/delete-prefix.js';
import { fixture } from '../../support/fixtures.js';
import { freePort } from '../../support/free-port.js';
import { ManagedProcess } from '../../support/managed-process.js';
import { waitFor } from '../../support/wait.js';
import { REDIS_URL } from '../helpers/start-test-router.js';

// `npm start` with ROLE=all as a real process: the API in it, the workers in a child process it
// forks, supervises and stops. Timeouts are generous (a busy 2-core box starts tsx slowly), and
// every wait polls a condition with a deadline.
const ROOT = new URL('../..', import.meta.url).pathname;
const TOKEN = 'role-all-token';
const redis = new Redis(REDIS_URL);
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
  redis.disconnect();
});

/** Alive and not a zombie (a reaped-late child still answers kill(pid, 0)). */
function alive(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (existsSync('/proc/self/stat')) {
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(stat, 'utf8'));
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Everything each process wrote on stdout (ManagedProcess keeps only a tail). */
const stdout = new WeakMap<ManagedProcess, string[]>();

/** JSON log lines the process (both of its processes) wrote so far. */
const logLines = (p: ManagedProcess): Array<Record<string, unknown>> =>
  (stdout.get(p) ?? [])
    .join('')
    .split('\n')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });

/** The pids the parent logged for its worker process, in order. */
const workerPids = (p: ManagedProcess): number[] =>
  logLines(p)
    .filter((l) => l.msg === 'worker process started')
    .map((l) => Number(l.pid));

async function startRoleAll(): Promise<{ proc: ManagedProcess; url: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ar-role-all-'));
  const config = join(dir, 'alert-router.yml');
  writeFileSync(config, 'channels: { outbox: { type: outbox } }\ndefaultChannels: [outbox]\n');
  const prefix = `test-${randomUUID().slice(0, 8)}`;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = new ManagedProcess(
    'alert-router ROLE=all',
    process.execPath,
    ['--import', 'tsx', 'src/main.ts'],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        ROLE: 'all',
        PORT: String(port),
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        ALERT_ROUTER_CONFIG: config,
        RUNBOOKS_DIR: dir,
        PUBLIC_URL: url,
        WEBHOOK_BEARER_TOKEN: TOKEN,
        LOG_LEVEL: 'info',
      },
    },
  );
  cleanups.push(async () => {
    const pids = workerPids(proc);
    await proc.stop();
    for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await deletePrefix(redis, prefix);
    rmSync(dir, { recursive: true, force: true });
  });
  proc.start();
  const chunks: string[] = [];
  stdout.set(proc, chunks);
  proc.child!.stdout!.on('data', (d: Buffer) => chunks.push(d.toString()));
  // Ready only once the worker process runs too.
  await proc.ready(`${url}/readyz`, 90_000);
  return { proc, url };
}

/** Posts a firing group of its own and waits for it in the outbox; returns its key. */
async function deliverOne(url: string): Promise<string> {
  const body = fixture('firing');
  body.alerts[0]!.fingerprint = randomUUID().slice(0, 16);
  const res = await fetch(`${url}/webhook/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200);
  const { key } = (await res.json()) as { key: string };
  await waitFor(
    async () => {
      const r = (await (await fetch(`${url}/api/outbox?limit=200`)).json()) as {
        entries: Array<{ key: string }>;
      };
      return r.entries.some((e) => e.key === key);
    },
    `notification ${key} in the outbox`,
    30_000,
    100,
  );
  return key;
}

const delivered = async (url: string): Promise<number> => {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m =
    /^alert_router_deliveries_total\{channel="outbox",type="outbox",outcome="delivered"\} (\d+)/m.exec(text);
  return m ? Number(m[1]) : 0;
};

test('ROLE=all: workers in a child process, its metrics on the API, restarted when killed, both stop on SIGTERM', async () => {
  const { proc, url } = await startRoleAll();
  const first = await waitFor(() => workerPids(proc)[0], 'the worker process pid in the log', 10_000);
  assert.notEqual(first, proc.child!.pid, 'the workers run in a process of their own');

  await deliverOne(url);
  // Deliveries are counted only in the worker process: the API's /metrics shows the child's.
  await waitFor(
    async () => (await delivered(url)) >= 1,
    'deliveries_total on the parent /metrics',
    15_000,
    100,
  );
  // Both processes have a build; the merged /metrics shows one, not their sum.
  const merged = await (await fetch(`${url}/metrics`)).text();
  assert.match(merged, /^alert_router_build_info\{version="\d+\.\d+\.\d+",nodejs="[\d.]+"\} 1$/m);
  assert.match(merged, /^alert_router_queue_oldest_waiting_seconds\{queue="notifications"\} \d/m);
  assert.equal((await fetch(`${url}/readyz`)).status, 200);
  const lines = logLines(proc);
  assert.ok(
    lines.some((l) => l.process === 'worker' && l.msg === 'notification routed'),
    'worker lines say so',
  );
  assert.ok(
    lines.some((l) => l.process === 'api' && l.msg === 'listening'),
    'API lines say so',
  );

  process.kill(first, 'SIGKILL');
  await waitFor(
    () => logLines(proc).some((l) => l.msg === 'worker process exited unexpectedly; restarting it'),
    () => `the parent noticing its worker process died:\n${proc.log.slice(-2000)}`,
    15_000,
  );
  // The restart waits 1 s, and the new child needs longer than that to start its workers.
  const gone = await fetch(`${url}/readyz`);
  assert.equal(gone.status, 503);
  assert.deepEqual(((await gone.json()) as { problems: string[] }).problems, ['worker process not running']);
  const second = await waitFor(
    () => workerPids(proc).find((p) => p !== first),
    () => `a new worker process:\n${proc.log.slice(-2000)}`,
    60_000,
  );
  await waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, '/readyz 200 again', 30_000, 100);
  await deliverOne(url);
  assert.match(
    await (await fetch(`${url}/metrics`)).text(),
    /^alert_router_worker_process_restarts_total 1$/m,
  );

  const parent = proc.child!;
  const exited = new Promise<number | null>((r) => parent.once('exit', (code) => r(code)));
  parent.kill('SIGTERM');
  assert.equal(await exited, 0, proc.log.slice(-2000));
  // The parent waited for its child before exiting.
  assert.equal(alive(second), false, 'the worker process exited with its parent');
  assert.ok(
    logLines(proc).some((l) => l.process === 'worker' && l.signal === 'SIGTERM'),
    'the child got SIGTERM',
  );
});

test('ROLE=all: the worker process does not outlive a parent that is killed outright', async () => {
  const { proc } = await startRoleAll();
  const pid = await waitFor(() => workerPids(proc)[0], 'the worker process pid in the log', 10_000);
  proc.child!.kill('SIGKILL');
  await proc.exited();
  await waitFor(() => !alive(pid), `worker process ${pid} to exit after its parent`, 35_000, 100);
});
