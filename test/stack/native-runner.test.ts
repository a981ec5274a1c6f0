import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { localServices, rewriteHosts, unresolvedHosts } from '../../scripts/lib/compose-hosts.js';
import { prepareRunConfig } from '../../scripts/lib/prepare-run-config.js';
import { requireBinary } from '../../support/require-binary.js';

const REPO = resolve(import.meta.dirname, '../..');
const SCRIPTS = ['stack-up.sh', 'stack-down.sh', 'tsdb-snapshot.sh', 'lib/stack-common.sh'];
// Compose names that must never survive into a config a native process reads.
const COMPOSE_HOSTS =
  /(?<![\w.-])(alertmanager|prometheus|alert-router|inference-gateway|redis|node-exporter|cadvisor|pushgateway|[\w-]+-exporter):\d+/;
const tmp = (): string => mkdtempSync(join(tmpdir(), 'native-runner-'));
const run = promisify(execFile);

/** Every generated file a process reads: the two main configs, file_sd files, templates. */
function generatedFiles(runDir: string): string[] {
  const targets = join(runDir, 'prometheus', 'targets');
  return [
    join(runDir, 'prometheus', 'prometheus.yml'),
    join(runDir, 'alertmanager', 'alertmanager.yml'),
    ...(existsSync(targets) ? readdirSync(targets).map((f) => join(targets, f)) : []),
  ];
}

void describe('shell scripts', () => {
  for (const script of SCRIPTS) {
    void it(`${script} parses (bash -n)`, () => {
      execFileSync('bash', ['-n', join(REPO, 'scripts', script)]);
    });
  }

  void it('stack-down with nothing recorded stops nothing and succeeds', () => {
    const runDir = tmp();
    // An unused Redis port, so a Redis someone else runs on 6379 is not even asked.
    const out = execFileSync('bash', [join(REPO, 'scripts/stack-down.sh')], {
      env: { ...process.env, RUN_DIR: runDir, REDIS_PORT: '1' },
      encoding: 'utf8',
    });
    assert.match(out, /stack stopped/);
    rmSync(runDir, { recursive: true, force: true });
  });

  void it('stack-up rejects unknown flags', () => {
    const result = spawnSync('bash', [join(REPO, 'scripts/stack-up.sh'), '--bogus'], { encoding: 'utf8' });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /unknown argument: --bogus/);
  });
});

void describe('compose host rewriting', () => {
  const services = localServices({ 'alert-router': 18080 });

  void it('maps compose names and localhost to 127.0.0.1 and leaves look-alikes', () => {
    assert.equal(
      rewriteHosts('url: http://alert-router:8080/webhook', services),
      'url: http://127.0.0.1:18080/webhook',
    );
    assert.equal(rewriteHosts("targets: ['alertmanager:9093']", services), "targets: ['127.0.0.1:9093']");
    assert.equal(rewriteHosts('localhost:9090', services), '127.0.0.1:9090');
    assert.equal(
      rewriteHosts('my-prometheus:9090 prometheus.example.com:9090', services),
      'my-prometheus:9090 prometheus.example.com:9090',
    );
    assert.equal(rewriteHosts("service: 'prometheus'", services), "service: 'prometheus'");
  });

  void it('reports hosts the native stack cannot resolve, ignoring comments', () => {
    assert.deepEqual(unresolvedHosts('- cadvisor:8080\n# mailpit:1025\nurl: http://x'), ['cadvisor:8080']);
  });
});

void describe('config generation against a seed-style fixture', () => {
  let repo: string;
  let runDir: string;
  before(() => {
    repo = tmp();
    runDir = join(repo, '.run');
    mkdirSync(join(repo, 'prometheus', 'targets'), { recursive: true });
    mkdirSync(join(repo, 'prometheus', 'rules'), { recursive: true });
    mkdirSync(join(repo, 'prometheus', 'data'), { recursive: true });
    mkdirSync(join(repo, 'alertmanager', 'templates'), { recursive: true });
    writeFileSync(join(repo, 'prometheus', 'data', 'junk'), 'tsdb data must not be copied');
    writeFileSync(
      join(repo, 'prometheus', 'prometheus.yml'),
      [
        'rule_files: [/etc/prometheus/rules/*.rules.yml]',
        'alerting: { alertmanagers: [{ static_configs: [{ targets: [alertmanager:9093] }] }] }',
        'scrape_configs:',
        '  - { job_name: prometheus, static_configs: [{ targets: [localhost:9090] }] }',
        "  - { job_name: gateway, file_sd_configs: [{ files: ['targets/inference-gateway.json'] }] }",
        "  - { job_name: node, file_sd_configs: [{ files: ['targets/node-exporter.yml'] }] }",
        "  - { job_name: cadvisor, file_sd_configs: [{ files: ['targets/cadvisor.yml'] }] }",
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(repo, 'prometheus', 'rules', 'x.rules.yml'),
      'groups: [{ name: x, rules: [{ alert: Up, expr: up == 0 }] }]\n',
    );
    writeFileSync(
      join(repo, 'prometheus', 'targets', 'inference-gateway.json'),
      '[{"targets":["inference-gateway:8000"],"labels":{"env":"lab"}}]',
    );
    writeFileSync(
      join(repo, 'prometheus', 'targets', 'node-exporter.yml'),
      "- targets: ['node-exporter:9100']\n",
    );
    writeFileSync(join(repo, 'prometheus', 'targets', 'cadvisor.yml'), "- targets: ['cadvisor:8080']\n");
    writeFileSync(
      join(repo, 'alertmanager', 'alertmanager.yml'),
      [
        "templates: ['/etc/alertmanager/templates/*.tmpl']",
        'route: { receiver: router }',
        'receivers:',
        '  - name: router',
        '    webhook_configs:',
        '      - url: http://alert-router:8080/webhook',
        '        http_config: { authorization: { credentials_file: /etc/alertmanager/secrets/webhook-token } }',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(repo, 'alertmanager', 'templates', 'x.tmpl'),
      '{{ define "x" }}http://prometheus:9090{{ end }}\n',
    );
  });
  after(() => rmSync(repo, { recursive: true, force: true }));

  void it('rewrites hosts, container paths and file_sd targets; drops unreachable targets', () => {
    const result = prepareRunConfig({ repoDir: repo, runDir, ports: { prometheus: 19090 } });
    const prom = readFileSync(result.prometheusConfig, 'utf8');
    assert.match(prom, new RegExp(`${runDir}/prometheus/rules/\\*\\.rules\\.yml`));
    assert.match(prom, /targets: \[127\.0\.0\.1:9093\]/);
    assert.match(prom, /targets: \[127\.0\.0\.1:19090\]/);
    const gateway = JSON.parse(
      readFileSync(join(runDir, 'prometheus/targets/inference-gateway.json'), 'utf8'),
    ) as unknown;
    assert.deepEqual(gateway, [{ targets: ['127.0.0.1:8000'], labels: { env: 'lab' } }]);
    // node-exporter runs natively (Debian's package); cadvisor has no native counterpart.
    assert.match(
      readFileSync(join(runDir, 'prometheus/targets/node-exporter.yml'), 'utf8'),
      /- 127\.0\.0\.1:9100/,
    );
    assert.doesNotMatch(readFileSync(join(runDir, 'prometheus/targets/cadvisor.yml'), 'utf8'), /cadvisor:8080/);
    assert.ok(result.warnings.some((w) => w.includes('cadvisor:8080')));
    assert.ok(!result.warnings.some((w) => w.includes('node-exporter')));
    assert.equal(existsSync(join(runDir, 'prometheus', 'data')), false, 'TSDB data dirs are not copied');

    const am = readFileSync(result.alertmanagerConfig, 'utf8');
    assert.match(am, /url: http:\/\/127\.0\.0\.1:8080\/webhook/);
    assert.ok(am.includes(`credentials_file: ${result.tokenFile}`));
    assert.ok(am.includes(`${runDir}/alertmanager/templates/*.tmpl`));
    assert.match(readFileSync(join(runDir, 'alertmanager/templates/x.tmpl'), 'utf8'), /127\.0\.0\.1:19090/);
    for (const file of generatedFiles(runDir))
      assert.doesNotMatch(readFileSync(file, 'utf8'), COMPOSE_HOSTS, file);
  });

  void it('keeps the webhook token across runs (a running alert-router already read it)', () => {
    const first = readFileSync(prepareRunConfig({ repoDir: repo, runDir }).tokenFile, 'utf8');
    const result = prepareRunConfig({ repoDir: repo, runDir });
    assert.equal(readFileSync(result.tokenFile, 'utf8'), first);
    assert.match(first, /^[0-9a-f]{64}\n$/);
    assert.equal(statSync(result.tokenFile).mode & 0o777, 0o600);
  });
});

void describe('stack-up --prepare-only on the repository configs', () => {
  let runDir: string;
  before(() => {
    runDir = tmp();
    execFileSync('bash', [join(REPO, 'scripts/stack-up.sh'), '--prepare-only', '--run-dir', runDir], {
      env: { ...process.env, ROUTER_PORT: '18080' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  });
  after(() => rmSync(runDir, { recursive: true, force: true }));

  void it('generates configs without compose host names', () => {
    for (const file of generatedFiles(runDir))
      assert.doesNotMatch(readFileSync(file, 'utf8'), COMPOSE_HOSTS, file);
    const am = readFileSync(join(runDir, 'alertmanager/alertmanager.yml'), 'utf8');
    assert.ok(am.includes(join(runDir, 'secrets/webhook-token')), 'alertmanager reads the generated token');
    assert.ok(
      am.includes('http://127.0.0.1:18080'),
      'alertmanager posts to the overridden alert-router port',
    );
    assert.ok(!existsSync(join(runDir, 'pids')), '--prepare-only starts nothing');
    // Every seed target but cadvisor (no native package) is scraped natively, on its own port.
    for (const [job, port] of [
      ['node-exporter', 9100],
      ['pushgateway', 9091],
      ['feature-store', 9101],
      ['model-registry', 9102],
      ['gpu', 9103],
      ['database', 9104],
    ] as const) {
      const targets = readFileSync(join(runDir, `prometheus/targets/${job}.yml`), 'utf8');
      assert.match(targets, new RegExp(`- 127\\.0\\.0\\.1:${port}\\b`), `${job}: ${targets}`);
    }
  });

  void it('passes promtool check config', () => {
    requireBinary('promtool', 'prometheus');
    execFileSync('promtool', ['check', 'config', join(runDir, 'prometheus/prometheus.yml')], {
      stdio: 'pipe',
    });
  });

  void it('passes amtool check-config', () => {
    requireBinary('amtool', 'prometheus-alertmanager');
    execFileSync('amtool', ['check-config', join(runDir, 'alertmanager/alertmanager.yml')], {
      stdio: 'pipe',
    });
  });
});

void describe('tsdb-snapshot.sh against a fake Prometheus', () => {
  let server: Server;
  let url: string;
  let reply: { status: number; body: string } = { status: 200, body: '' };
  before(async () => {
    server = createServer((req, res) => {
      res.writeHead(
        req.method === 'POST' && req.url?.startsWith('/api/v1/admin/tsdb/snapshot') ? reply.status : 405,
      );
      res.end(reply.body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  // execFile, not execFileSync: the fake server lives on this process's event loop.
  const snapshot = (env: Record<string, string>) =>
    run('bash', [join(REPO, 'scripts/tsdb-snapshot.sh')], {
      env: { ...process.env, PROMETHEUS_URL: url, ...env },
    });

  void it('explains a disabled admin API', async () => {
    // What Prometheus 2.42 really answers without --web.enable-admin-api.
    reply = {
      status: 500,
      body: '{"status":"error","errorType":"unavailable","error":"admin APIs disabled"}',
    };
    await assert.rejects(snapshot({}), (err: { stderr: string }) =>
      /--web\.enable-admin-api/.test(err.stderr),
    );
  });

  void it('moves the snapshot into a dated backup directory', async () => {
    const dir = tmp();
    const name = '20260101T000000Z-0123456789abcdef';
    mkdirSync(join(dir, 'data', 'snapshots', name, '01BLOCK'), { recursive: true });
    writeFileSync(join(dir, 'data', 'snapshots', name, '01BLOCK', 'meta.json'), '{}');
    reply = { status: 200, body: `{"status":"success","data":{"name":"${name}"}}` };
    const { stdout } = await snapshot({
      PROMETHEUS_DATA_DIR: join(dir, 'data'),
      BACKUP_DIR: join(dir, 'backups'),
    });
    const [backup] = readdirSync(join(dir, 'backups'));
    assert.match(backup ?? '', /^prometheus-\d{4}-\d{2}-\d{2}-\d{6}$/);
    assert.ok(existsSync(join(dir, 'backups', backup ?? '', '01BLOCK', 'meta.json')));
    assert.ok(!existsSync(join(dir, 'data', 'snapshots', name)), 'snapshot moved, not copied');
    assert.match(stdout, new RegExp(name));
    rmSync(dir, { recursive: true, force: true });
  });
});
