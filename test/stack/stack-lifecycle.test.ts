/**
 * The native stack really starting and stopping: scripts/stack-up.sh on free ports with its own
 * run directory and its own Redis, then scripts/stack-down.sh. What a user sees: a rerun keeps
 * what is running, stack-down leaves no process and no port behind, a port held by a stranger is
 * one line naming the port and the variable that moves it, and a failed start stops what it
 * started.
 *
 * Run: node --import tsx --test test/stack/stack-lifecycle.test.ts
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort } from '../../support/free-port.js';
import { waitFor } from '../../support/wait.js';
import { dropSchema } from '../helpers/pg-schema.js';

const REPO = resolve(import.meta.dirname, '../..');
const SERVICES = [
  'redis',
  'prometheus',
  'alertmanager',
  'inference-gateway',
  'alert-router',
  'node-exporter',
  'pushgateway',
  'ml-platform',
  'feature-store-exporter',
  'model-registry-exporter',
  'gpu-exporter',
  'postgres-exporter',
];
const PORT_VARS = [
  'PROMETHEUS_PORT',
  'ALERTMANAGER_PORT',
  'DEMO_PORT',
  'ROUTER_PORT',
  'REDIS_PORT',
  'NODE_EXPORTER_PORT',
  'PUSHGATEWAY_PORT',
  'ML_DEMO_PORT',
  'FEATURE_STORE_EXPORTER_PORT',
  'MODEL_REGISTRY_EXPORTER_PORT',
  'GPU_EXPORTER_PORT',
  'DB_EXPORTER_PORT',
] as const;
type Ports = Record<(typeof PORT_VARS)[number], number>;

/** A free port for every service, so the test never meets a stack a user runs on the defaults. */
async function freePorts(): Promise<Ports> {
  const ports = new Set<number>();
  while (ports.size < PORT_VARS.length) ports.add(await freePort());
  const list = [...ports];
  return Object.fromEntries(PORT_VARS.map((name, i) => [name, list[i]!])) as Ports;
}

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function script(name: string, runDir: string, ports: Ports): Promise<Result> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RUN_DIR: runDir,
    STACK_TIMEOUT: '120',
    FEATURE_STORE_SCHEMA: SCHEMA,
  };
  for (const [k, v] of Object.entries(ports)) env[k] = String(v);
  return new Promise((done) => {
    execFile('bash', [join(REPO, 'scripts', name)], { env, cwd: REPO }, (err, stdout, stderr) =>
      done({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const accepts = (port: number): Promise<boolean> =>
  new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });

/** True if some process is still in the process group. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function recordedGroups(runDir: string): Map<string, number> {
  const dir = join(runDir, 'pids');
  const groups = new Map<string, number>();
  if (!existsSync(dir)) return groups;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.pid'))) {
    groups.set(file.replace(/\.pid$/, ''), Number(readFileSync(join(dir, file), 'utf8').split(' ')[0]));
  }
  return groups;
}

// The demo's feature store goes into the machine's PostgreSQL: a schema of this run's own, dropped after.
const SCHEMA = `fs_lifecycle_${process.pid}`;
const runDirs: string[] = [];
const newRunDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'stack-lifecycle-'));
  runDirs.push(dir);
  return dir;
};
after(async () => {
  // Whatever a failed assertion left running: killed, so no test leaves processes behind.
  for (const dir of runDirs) {
    for (const pgid of recordedGroups(dir).values()) if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
  await dropSchema(SCHEMA, process.env.PG_URL);
});

void describe('native stack lifecycle', { timeout: 600_000 }, () => {
  void it('starts every service, keeps them on a rerun, and stack-down stops all of them', async () => {
    const runDir = newRunDir();
    const ports = await freePorts();
    const up = await script('stack-up.sh', runDir, ports);
    assert.equal(up.code, 0, `stack-up failed:\n${up.stdout}\n${up.stderr}`);
    assert.match(up.stdout, /Stack is up/);
    assert.match(up.stdout, /Grafana .*docker compose/, 'says where the dashboards run');
    assert.match(up.stdout, /\/status .*\/failures/, "names the operator's pages");

    const groups = recordedGroups(runDir);
    assert.deepEqual([...groups.keys()].sort(), [...SERVICES].sort());
    for (const [name, pgid] of groups) assert.ok(groupAlive(pgid), `${name}: group ${pgid} not running`);
    for (const port of Object.values(ports)) assert.ok(await accepts(port), `nothing on ${port}`);

    const again = await script('stack-up.sh', runDir, ports);
    assert.equal(again.code, 0, `rerun failed:\n${again.stdout}\n${again.stderr}`);
    for (const name of SERVICES) {
      assert.match(again.stdout, new RegExp(`${name}: already running from an earlier stack-up`));
    }
    assert.deepEqual(recordedGroups(runDir), groups, 'the rerun started nothing new');

    const down = await script('stack-down.sh', runDir, ports);
    assert.equal(down.code, 0, `stack-down failed:\n${down.stdout}\n${down.stderr}`);
    for (const [name, pgid] of groups) assert.ok(!groupAlive(pgid), `${name}: group ${pgid} still running`);
    for (const port of Object.values(ports)) assert.equal(await accepts(port), false, `${port} still open`);
    assert.equal(recordedGroups(runDir).size, 0, 'state files removed');
  });

  void it('names a port a stranger holds, exits non-zero and stops what it had started', async () => {
    const runDir = newRunDir();
    const ports = await freePorts();
    const stranger = createServer();
    await new Promise<void>((r) => stranger.listen(ports.DEMO_PORT, '127.0.0.1', () => r()));
    try {
      const up = await script('stack-up.sh', runDir, ports);
      assert.notEqual(up.code, 0);
      const errors = up.stderr.split('\n').filter((l) => l.startsWith('error:'));
      assert.deepEqual(errors, [
        `error: port ${ports.DEMO_PORT} (inference-gateway) is taken by node (pid ${process.pid}), which stack-up did not start; stop it or set DEMO_PORT to a free port`,
      ]);
      for (const name of ['redis', 'prometheus', 'alertmanager']) {
        const port =
          ports[
            name === 'redis' ? 'REDIS_PORT' : name === 'prometheus' ? 'PROMETHEUS_PORT' : 'ALERTMANAGER_PORT'
          ];
        await waitFor(async () => !(await accepts(port)), `${name} on ${port} to be stopped`, 30_000);
      }
      assert.equal(recordedGroups(runDir).size, 0, 'nothing left recorded');
      assert.ok(await accepts(ports.DEMO_PORT), 'the stranger was left alone');
    } finally {
      await new Promise((r) => stranger.close(r));
    }
  });
});
