/**
 * Static checks of the local stack: docker-compose.yml (validated by the real docker-compose CLI,
 * then checked structurally), the Dockerfile and .dockerignore. No Docker engine is needed.
 *
 * Run: node --import tsx --test test/stack/compose.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isObj, list, obj, str, type Obj } from '../helpers/yaml-shape.js';
import { parse } from 'yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const COMPOSE_FILE = join(ROOT, 'docker-compose.yml');

/** Compose `command`/healthcheck `test` may be a string or a list: compare as one string. */
function asCommandLine(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(' ');
  return typeof value === 'string' ? value : '';
}

/** `environment` as a mapping or as a list of `NAME=value`. */
function envOf(service: Obj): Map<string, string | null> {
  const env = new Map<string, string | null>();
  const raw = service.environment;
  if (Array.isArray(raw)) {
    for (const item of raw) {
      const text = String(item);
      const i = text.indexOf('=');
      env.set(i < 0 ? text : text.slice(0, i), i < 0 ? null : text.slice(i + 1));
    }
  } else if (isObj(raw)) {
    for (const [k, v] of Object.entries(raw)) {
      env.set(k, typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : null);
    }
  }
  return env;
}

/** Resolves `${VAR:-default}` the way compose does when VAR is unset (a clean clone). */
function withDefaults(text: string): string {
  return text.replace(/\$\{[A-Z0-9_]+:?-([^}]*)\}/g, '$1');
}

// `merge: true`: the file uses YAML anchors and `<<` merge keys for the shared alert-router env.
const raw = readFileSync(COMPOSE_FILE, 'utf8');
const compose = obj(parse(raw, { merge: true }), 'docker-compose.yml');
const services = obj(compose.services, 'services');

function service(name: string): Obj {
  return obj(services[name], `services.${name}`);
}

void test('docker-compose config -q accepts the file', () => {
  const result = spawnSync('docker-compose', ['-f', COMPOSE_FILE, 'config', '-q'], {
    cwd: ROOT,
    encoding: 'utf8',
    // A clean environment: the defaults must work without ALERT_ROUTER_SECRETS_DIR etc.
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
  });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    assert.fail(
      'the docker-compose binary is not installed or not on PATH; this test validates docker-compose.yml with ' +
        '`docker-compose -f docker-compose.yml config -q` and must not be skipped (Debian: apt-get install docker-compose)',
    );
  }
  assert.ifError(result.error);
  assert.equal(result.status, 0, `docker-compose config -q failed:\n${result.stderr}${result.stdout}`);
});

void test('the Sentinel example (deploy/sentinel) is valid and points alert-router at its three Sentinels', () => {
  const file = join(ROOT, 'deploy/sentinel/docker-compose.yml');
  const result = spawnSync('docker-compose', ['-f', file, 'config'], { cwd: ROOT, encoding: 'utf8' });
  assert.ifError(result.error);
  assert.equal(result.status, 0, `docker-compose config failed:\n${result.stderr}${result.stdout}`);
  const sentinel = parse(result.stdout) as { services: Record<string, { environment?: Record<string, string> }> };
  const env = sentinel.services['alert-router']?.environment ?? {};
  assert.equal(env.REDIS_SENTINELS, 'sentinel-1:26379,sentinel-2:26379,sentinel-3:26379');
  assert.equal(env.REDIS_SENTINEL_NAME, 'mymaster');
  for (const name of ['sentinel-1', 'sentinel-2', 'sentinel-3', 'redis-primary', 'redis-replica'])
    assert.ok(sentinel.services[name], `service ${name}`);
});

void test('uses the compose specification: no obsolete top-level `version` key', () => {
  assert.ok(
    !('version' in compose),
    'remove the top-level `version:` key (obsolete in the compose specification)',
  );
});

void test('declares every service of the stack', () => {
  for (const name of [
    'prometheus',
    'alertmanager',
    'node-exporter',
    'cadvisor',
    'pushgateway',
    'redis',
    'alert-router',
    'inference-gateway',
    'mailpit',
    'grafana',
    'postgres',
    'ml-platform',
    'feature-store-exporter',
    'model-registry-exporter',
    'gpu-exporter',
    'postgres-exporter',
  ]) {
    assert.ok(isObj(services[name]), `service ${name} is missing`);
  }
});

void test("every Prometheus file_sd target is a compose service (cadvisor's on its container port)", () => {
  const dir = join(ROOT, 'prometheus', 'targets');
  const hosts = readdirSync(dir).flatMap((file) =>
    (parse(readFileSync(join(dir, file), 'utf8')) as Array<{ targets: string[] }>).flatMap((g) => g.targets),
  );
  assert.ok(hosts.length >= 10, `only ${hosts.length} targets`);
  for (const target of hosts) {
    const [host] = target.split(':');
    assert.ok(isObj(services[host ?? '']), `prometheus target ${target}: no compose service ${host}`);
  }
});

void test('the three exporters run from the Dockerfile\'s exporters stage on the ports Prometheus scrapes', () => {
  for (const [name, program, port] of [
    ['feature-store-exporter', 'feature-store', '9101'],
    ['model-registry-exporter', 'model-registry', '9102'],
    ['gpu-exporter', 'gpu', '9103'],
  ] as const) {
    const svc = service(name);
    assert.equal(obj(svc.build, `${name}.build`).target, 'exporters', `${name} builds the exporters stage`);
    assert.equal(asCommandLine(svc.command), `node dist/exporters/${program}/main.js`);
    assert.equal(envOf(svc).get('EXPORTER_PORT'), port);
  }
  assert.match(dockerfile, /^FROM \$\{NODE_IMAGE\} AS exporters$/m);
  // The database exporter is the maintained one, reading its password from a secret file.
  const pg = service('postgres-exporter');
  assert.match(str(pg.image, 'postgres-exporter.image'), /^quay\.io\/prometheuscommunity\/postgres-exporter:v/);
  assert.equal(envOf(pg).get('DATA_SOURCE_PASS_FILE'), '/run/secrets/postgres-password');
});

void test('every service has a health check that is not disabled', () => {
  for (const [name, value] of Object.entries(services)) {
    const hc = obj(obj(value, name).healthcheck, `services.${name}.healthcheck`);
    assert.notEqual(hc.disable, true, `${name}: healthcheck disabled`);
    const testCmd = hc.test;
    assert.ok(asCommandLine(testCmd).length > 0, `${name}: healthcheck.test is empty`);
    assert.notEqual(list(testCmd, `${name}.healthcheck.test`)[0], 'NONE', `${name}: healthcheck test NONE`);
    // curl is not in node:*-slim, and the prom/* images are busybox-based (wget, no curl).
    assert.ok(
      !/\bcurl\b/.test(asCommandLine(testCmd)),
      `${name}: healthcheck uses curl, absent from the image`,
    );
  }
});

void test('alert-router health checks use node against /healthz (no curl in the slim image)', () => {
  const cmd = asCommandLine(obj(service('alert-router').healthcheck, 'alert-router.healthcheck').test);
  assert.match(cmd, /\bnode\b/);
  assert.match(cmd, /\/healthz/);
});

void test('redis runs with AOF and noeviction, on a named volume', () => {
  const redis = service('redis');
  assert.match(str(redis.image, 'redis.image'), /^redis:7(\.|-|$)/);
  const cmd = asCommandLine(redis.command);
  assert.match(cmd, /--appendonly\s+yes/, 'redis must run with --appendonly yes');
  assert.match(cmd, /--maxmemory-policy\s+noeviction/, 'BullMQ needs --maxmemory-policy noeviction');
  const volumes = list(redis.volumes, 'redis.volumes').map(String);
  assert.ok(
    volumes.some((v) => /^[a-z0-9][a-z0-9_.-]*:\/data(:|$)/.test(v)),
    'redis /data must be a named volume',
  );
});

void test('every named volume is declared at the top level', () => {
  const declared = new Set(Object.keys(obj(compose.volumes, 'volumes')));
  const used = new Set<string>();
  for (const [name, value] of Object.entries(services)) {
    for (const v of (obj(value, name).volumes as unknown[] | undefined) ?? []) {
      const source = isObj(v)
        ? typeof v.source === 'string'
          ? v.source
          : ''
        : (String(v).split(':')[0] ?? '');
      if (isObj(v) && v.type !== undefined && v.type !== 'volume') continue;
      if (source === '' || source.startsWith('.') || source.startsWith('/') || source.startsWith('~'))
        continue;
      used.add(source);
      assert.ok(
        declared.has(source),
        `${name}: named volume "${source}" is not declared under top-level volumes`,
      );
    }
  }
  for (const name of ['prometheus-data', 'alertmanager-data', 'redis-data'])
    assert.ok(used.has(name), `${name} unused`);
});

void test('every service is on a declared network', () => {
  const networks = new Set(Object.keys(obj(compose.networks, 'networks')));
  for (const [name, value] of Object.entries(services)) {
    const nets = obj(value, name).networks;
    const names = Array.isArray(nets) ? nets.map(String) : Object.keys(obj(nets, `${name}.networks`));
    assert.ok(names.length > 0, `${name}: no network`);
    for (const n of names) assert.ok(networks.has(n), `${name}: network ${n} not declared`);
  }
});

void test('start-up order waits on health where it matters', () => {
  const healthyDeps = (name: string): string[] =>
    Object.entries(obj(service(name).depends_on, `${name}.depends_on`))
      .filter(([, v]) => isObj(v) && v.condition === 'service_healthy')
      .map(([k]) => k);
  assert.ok(healthyDeps('alert-router').includes('redis'), 'alert-router must wait for a healthy redis');
  assert.ok(
    healthyDeps('alertmanager').includes('alert-router'),
    'alertmanager should wait for a healthy alert-router',
  );
  for (const [name, value] of Object.entries(services)) {
    const deps = obj(value, name).depends_on;
    if (deps === undefined) continue;
    for (const dep of Array.isArray(deps) ? deps.map(String) : Object.keys(obj(deps, `${name}.depends_on`))) {
      assert.ok(isObj(services[dep]), `${name} depends on unknown service ${dep}`);
    }
  }
});

void test('prometheus mounts the whole ./prometheus directory and enables lifecycle + admin API', () => {
  const prom = service('prometheus');
  const volumes = list(prom.volumes, 'prometheus.volumes').map(String);
  assert.ok(
    volumes.some((v) => /^\.\/prometheus\/?:\/etc\/prometheus(:ro)?$/.test(v)),
    'mount ./prometheus at /etc/prometheus',
  );
  const cmd = asCommandLine(prom.command);
  assert.match(cmd, /--config\.file=\/etc\/prometheus\/prometheus\.yml/);
  assert.match(cmd, /--web\.enable-lifecycle/);
  assert.match(cmd, /--web\.enable-admin-api/);
  assert.ok(
    volumes.some((v) => /^prometheus-data:\/prometheus$/.test(v)),
    'TSDB on the prometheus-data volume',
  );
});

void test('secrets: declared, files exist on a clean clone, mounted where the configs expect them', () => {
  const secrets = obj(compose.secrets, 'secrets');
  for (const [name, value] of Object.entries(secrets)) {
    const file = withDefaults(str(obj(value, `secrets.${name}`).file, `secrets.${name}.file`));
    assert.ok(
      existsSync(resolve(ROOT, file)),
      `secret ${name}: ${file} does not exist (compose up would fail)`,
    );
  }
  for (const [name, value] of Object.entries(services)) {
    for (const s of (obj(value, name).secrets as unknown[] | undefined) ?? []) {
      const source = isObj(s) ? String(s.source) : String(s);
      assert.ok(source in secrets, `${name}: secret ${source} is not declared`);
    }
  }
  const amSecrets = list(service('alertmanager').secrets, 'alertmanager.secrets');
  assert.ok(
    amSecrets.some(
      (s) =>
        isObj(s) && s.source === 'webhook-token' && s.target === '/etc/alertmanager/secrets/webhook-token',
    ),
    'alertmanager needs the webhook token at /etc/alertmanager/secrets/webhook-token (credentials_file)',
  );
});

void test('alert-router gets the contract environment, secrets only as *_FILE', () => {
  const router = service('alert-router');
  const env = envOf(router);
  assert.equal(env.get('ROLE'), 'all');
  assert.equal(env.get('REDIS_URL'), 'redis://redis:6379');
  assert.match(
    env.get('SMTP_URL') ?? '',
    /^smtp:\/\/mailpit:1025$/,
    'SMTP_URL must point at the mail catcher',
  );
  for (const name of [
    'PORT',
    'PUBLIC_URL',
    'PROMETHEUS_URL',
    'ALERTMANAGER_URL',
    'EMAIL_FROM',
    'QUEUE_PREFIX',
  ]) {
    assert.ok(env.has(name), `alert-router: ${name} not set`);
  }
  const mounted = new Set(
    list(router.secrets, 'alert-router.secrets').map((s) =>
      isObj(s) ? String(s.target ?? s.source) : String(s),
    ),
  );
  for (const secret of ['WEBHOOK_BEARER_TOKEN', 'SLACK_BOT_TOKEN', 'PAGERDUTY_ROUTING_KEY']) {
    const path = env.get(`${secret}_FILE`);
    assert.ok(path, `alert-router: ${secret}_FILE not set`);
    const m = /^\/run\/secrets\/(.+)$/.exec(path);
    assert.ok(
      m?.[1] && mounted.has(m[1]),
      `alert-router: ${secret}_FILE=${path} is not a mounted compose secret`,
    );
  }
  // No service carries a credential in plain text.
  for (const [name, value] of Object.entries(services)) {
    for (const [key, v] of envOf(obj(value, name))) {
      if (/(TOKEN|PASSWORD|SECRET|ROUTING_KEY|BASIC_AUTH)$/.test(key)) {
        assert.fail(`${name}: ${key}=${String(v)} is a literal secret; use ${key}_FILE and a compose secret`);
      }
    }
  }
});

void test('inference-gateway runs the demo from the alert-router image', () => {
  const gw = service('inference-gateway');
  assert.equal(gw.image, service('alert-router').image);
  assert.match(asCommandLine(gw.command), /node dist\/demo\/inference-gateway\.js/);
});

// ---------------------------------------------------------------- Dockerfile and .dockerignore

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
/** Instructions with line continuations joined and comments dropped. */
const instructions = dockerfile
  .replace(/\\\r?\n/g, ' ')
  .split(/\r?\n/)
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));
const stages: string[][] = [];
for (const line of instructions) {
  if (/^FROM\s/i.test(line)) stages.push([]);
  stages.at(-1)?.push(line);
}

void test('Dockerfile is multi-stage on Node 24 LTS bookworm-slim, with a dev build and a prod-only install', () => {
  assert.ok(stages.length >= 2, 'expected a build stage and a runtime stage');
  assert.match(dockerfile, /^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
  assert.ok(
    instructions.some((l) => /^RUN\s.*npm ci(?!.*--omit=dev)/.test(l)),
    'build stage: npm ci with dev dependencies',
  );
  assert.ok(
    instructions.some((l) => /^RUN\s.*npm run build/.test(l)),
    'build stage: npm run build',
  );
  assert.ok(
    instructions.some((l) => /^RUN\s.*npm ci .*--omit=dev/.test(l)),
    'runtime dependencies: npm ci --omit=dev',
  );
});

void test('Dockerfile runtime stage: non-root USER, EXPOSE 8080, tini, OCI labels, HEALTHCHECK on /healthz, files from the contract', () => {
  const runtime = stages.at(-1) ?? [];
  const users = runtime.filter((l) => /^USER\s/i.test(l));
  assert.ok(users.length > 0, 'runtime stage has no USER line: the service would run as root');
  const user = (users.at(-1) ?? '').replace(/^USER\s+/i, '').split(':')[0] ?? '';
  assert.ok(!['root', '0', ''].includes(user), `runtime USER is ${user}`);
  assert.match(user, /^[1-9][0-9]*$/, 'use a numeric uid so Kubernetes runAsNonRoot can verify it');
  assert.ok(
    runtime.some((l) => /^EXPOSE\s+8080\b/.test(l)),
    'EXPOSE 8080',
  );
  const hc = runtime.find((l) => /^HEALTHCHECK\s/.test(l)) ?? '';
  assert.match(hc, /\/healthz/);
  assert.doesNotMatch(hc, /\bnode\b/, 'no second Node process per health check');
  assert.ok(runtime.includes('ENTRYPOINT ["/usr/bin/tini", "--"]'), 'tini is PID 1 (signals, reaping)');
  assert.ok(runtime.some((l) => /^RUN\s.*apt-get install .*\btini\b/.test(l)), 'tini is installed');
  const labels = runtime.filter((l) => /^LABEL\s/.test(l)).join(' ');
  for (const key of ['title', 'description', 'licenses', 'version', 'revision'])
    assert.match(labels, new RegExp(`org\\.opencontainers\\.image\\.${key}=`), `OCI label ${key}`);
  for (const dir of ['config', 'runbooks', 'dist']) {
    assert.ok(
      runtime.some((l) => new RegExp(`^COPY\\s.*\\b${dir}\\b`).test(l)),
      `runtime stage must copy ${dir}/`,
    );
  }
  assert.ok(
    runtime.some((l) => /^CMD \["node", "dist\/src\/main\.js"\]/.test(l)),
    'exec-form CMD node dist/src/main.js',
  );
});

void test('.dockerignore keeps node_modules, git, build output and secrets out of the context', () => {
  const lines = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  for (const pattern of ['**/node_modules', '.git', 'dist', 'secrets', 'deploy']) {
    assert.ok(lines.includes(pattern), `.dockerignore must list ${pattern}`);
  }
  for (const needed of ['src', 'demo', 'config', 'runbooks', 'package.json', 'package-lock.json']) {
    assert.ok(!lines.includes(needed), `.dockerignore excludes ${needed}, which the build needs`);
  }
});

void test('the HEALTHCHECK command passes on a 200 from /healthz and fails on a 503 or no server', async () => {
  const hc = (stages.at(-1) ?? []).find((l) => /^HEALTHCHECK\s/.test(l)) ?? '';
  const argv = JSON.parse(hc.slice(hc.indexOf('CMD [') + 4)) as string[];
  const run = (port: number): Promise<number | null> => {
    const child = spawn(argv[0]!, argv.slice(1), { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
    return once(child, 'exit').then(([code]) => code as number | null);
  };
  for (const [status, expected] of [[200, 0], [503, 1]] as const) {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(status).end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as { port: number }).port;
    assert.equal(await run(port), expected, `healthz answering ${status}`);
    assert.deepEqual(seen, ['GET /healthz']);
    server.close();
  }
  const closed = createServer().listen(0, '127.0.0.1');
  await once(closed, 'listening');
  const port = (closed.address() as { port: number }).port;
  closed.close();
  await once(closed, 'close');
  assert.notEqual(await run(port), 0, 'nothing listening');
});
