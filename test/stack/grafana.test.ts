/**
 * The Grafana of docker-compose.yml: its provisioning files point at what exists, each dashboard
 * the runbooks link exists with that uid, alert-router's own dashboard (deploy/grafana) is
 * provisioned too, and every panel's PromQL is accepted by a real Prometheus running the stack's
 * own rules and names only series the stack produces (a recording rule, a metric a rule reads, a
 * demo metric, a metric alert-router registers, or Prometheus' own `up` and `ALERTS`).
 *
 * Run: node --import tsx --test test/stack/grafana.test.ts
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parser } from '@prometheus-io/lezer-promql';
import { Registry } from 'prom-client';
import { parse } from 'yaml';
import { createDemoMetrics } from '../../demo/metrics.js';
import { startPrometheus, type LocalPrometheus } from '../../support/prometheus-server.js';
import { isObj, list, obj, str, type Obj } from '../helpers/yaml-shape.js';
import { parseRunbook } from '../../src/runbooks/parse-runbook.js';
import { createMetrics } from '../../src/metrics/metrics.js';

const ROOT = resolve(import.meta.dirname, '../..');
const RULES_DIR = join(ROOT, 'prometheus', 'rules');
/** The dashboards runbooks link, and the platform team's one of alert-router itself. */
const RUNBOOK_DASHBOARD_UIDS = ['node-exporter', 'service-health', 'slo-overview'];
const DASHBOARD_UIDS = ['alert-router', ...RUNBOOK_DASHBOARD_UIDS];

const compose = obj(
  parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }),
  'compose',
);
const services = obj(compose.services, 'services');
const grafana = obj(services.grafana, 'services.grafana');

/** The host directory that a container path of the grafana service is mounted from. */
function hostPath(containerPath: string): string | undefined {
  for (const volume of list(grafana.volumes, 'grafana.volumes').map(String)) {
    const [source = '', target = ''] = volume.split(':');
    if (!source.startsWith('.')) continue;
    const rel = posix.relative(target, containerPath);
    if (!rel.startsWith('..')) return join(ROOT, source, rel);
  }
  return undefined;
}

const yamlIn = (dir: string): Obj[] =>
  readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => obj(parse(readFileSync(join(dir, f), 'utf8')), f));

interface Panel {
  title: string;
  datasource?: { uid?: string };
  targets?: { expr?: string; datasource?: { uid?: string } }[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
}

const dashboards = new Map<string, Dashboard>();

/** Metric names an expression selects, or an error for a selector without one. */
function selectedMetrics(expr: string): string[] {
  const names: string[] = [];
  const tree = parser.parse(expr);
  tree.iterate({
    enter: (node) => {
      assert.ok(!node.type.isError, `does not parse: ${expr}`);
      if (node.name !== 'VectorSelector') return;
      const name = node.node.getChild('Identifier');
      assert.ok(name, `a selector without a metric name in ${expr}`);
      names.push(expr.slice(name.from, name.to));
    },
  });
  return names;
}

/** What the stack produces: recording rules, what the rules read, the demo's metrics, built-ins. */
async function knownSeries(): Promise<Set<string>> {
  const known = new Set(['up', 'ALERTS']);
  for (const file of yamlIn(RULES_DIR)) {
    for (const group of list(file.groups, 'groups')) {
      for (const rule of list(obj(group, 'group').rules, 'rules')) {
        const r = obj(rule, 'rule');
        if (typeof r.record === 'string') known.add(r.record);
        for (const name of selectedMetrics(str(r.expr, 'expr'))) known.add(name);
      }
    }
  }
  // The demo's metrics, and alert-router's own with Node's defaults (process_*, nodejs_*).
  for (const registry of [createDemoMetrics(new Registry()).registry, createMetrics().registry]) {
    for (const { name, type } of await registry.getMetricsAsJSON()) {
      known.add(name);
      if (String(type) === 'histogram')
        for (const suffix of ['_bucket', '_count', '_sum']) known.add(name + suffix);
    }
  }
  return known;
}

void describe('grafana in docker-compose.yml', () => {
  void it('runs a pinned official image, anonymous viewers, on 127.0.0.1:3000', () => {
    assert.match(str(grafana.image, 'grafana.image'), /^grafana\/grafana:\d+\.\d+\.\d+$/);
    const env = obj(grafana.environment, 'grafana.environment');
    assert.equal(env.GF_AUTH_ANONYMOUS_ENABLED, 'true');
    assert.equal(env.GF_AUTH_ANONYMOUS_ORG_ROLE, 'Viewer');
    assert.deepEqual(grafana.ports, ['127.0.0.1:3000:3000']);
  });

  void it('alert-router links dashboards on it (GRAFANA_URL)', () => {
    for (const name of ['alert-router', 'alert-router-worker']) {
      const env = obj(obj(services[name], name).environment, `${name}.environment`);
      assert.equal(String(env.GRAFANA_URL).replace(/\$\{GRAFANA_URL:-(.*)\}/, '$1'), 'http://localhost:3000');
    }
  });

  void it('provisions a Prometheus datasource at the compose prometheus service', () => {
    const dir = hostPath('/etc/grafana/provisioning/datasources');
    assert.ok(dir && existsSync(dir), 'datasources provisioning is mounted from the repository');
    const sources = yamlIn(dir).flatMap((f) => list(f.datasources, 'datasources').map((d) => obj(d, 'ds')));
    assert.equal(sources.length, 1);
    const [ds] = sources as [Obj];
    assert.equal(ds.type, 'prometheus');
    assert.equal(ds.uid, 'prometheus');
    const url = new URL(str(ds.url, 'url'));
    assert.ok(isObj(services[url.hostname]), `${url.hostname} is not a compose service`);
    assert.equal(url.port, '9090');
  });

  void it('provisions the dashboards from mounted folders holding exactly the shipped ones', () => {
    const dir = hostPath('/etc/grafana/provisioning/dashboards');
    assert.ok(dir && existsSync(dir), 'dashboards provisioning is mounted from the repository');
    const providers = yamlIn(dir).flatMap((f) => list(f.providers, 'providers').map((p) => obj(p, 'p')));
    assert.equal(providers.length, 2, 'the runbooks\' dashboards and alert-router\'s own');
    for (const provider of providers) {
      const path = str(obj(provider.options, 'options').path, 'options.path');
      const dashboardsDir = hostPath(path);
      assert.ok(dashboardsDir && existsSync(dashboardsDir), `${path} is mounted from the repository`);
      for (const file of readdirSync(dashboardsDir).filter((f) => f.endsWith('.json'))) {
        const dashboard = JSON.parse(readFileSync(join(dashboardsDir, file), 'utf8')) as Dashboard;
        assert.equal(`${dashboard.uid}.json`, file, 'file named for its uid');
        assert.ok(dashboard.panels.length > 0, `${file}: no panels`);
        assert.ok(!dashboards.has(dashboard.uid), `${dashboard.uid} is provisioned twice`);
        dashboards.set(dashboard.uid, dashboard);
      }
    }
    assert.deepEqual([...dashboards.keys()].sort(), DASHBOARD_UIDS);
    assert.ok(
      existsSync(join(ROOT, 'deploy', 'grafana', 'alert-router.json')),
      'alert-router\'s dashboard lives in deploy/grafana (also a ConfigMap for Kubernetes)',
    );
    const home = str(obj(grafana.environment, 'env').GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH, 'home');
    assert.ok(existsSync(hostPath(home) ?? ''), `home dashboard ${home} is not mounted`);
  });

  void it('every dashboard a runbook names opens a shipped dashboard', () => {
    const uids = readdirSync(join(ROOT, 'runbooks'))
      .filter((f) => f.endsWith('.md'))
      .flatMap((f) => {
        const path = join(ROOT, 'runbooks', f);
        return (parseRunbook(path, readFileSync(path, 'utf8')).dashboards ?? []).map((d) => d.uid);
      });
    assert.ok(uids.length > 0, 'the runbooks name dashboards');
    for (const uid of uids) assert.ok(RUNBOOK_DASHBOARD_UIDS.includes(uid), `a runbook names dashboard ${uid}`);
  });

  void describe('panel queries against a real Prometheus with the stack rules', () => {
    let prom: LocalPrometheus;
    const panels = (): { where: string; expr: string }[] =>
      [...dashboards.values()].flatMap((d) =>
        d.panels.flatMap((p) => {
          assert.equal(p.datasource?.uid, 'prometheus', `${d.uid} / ${p.title}: datasource`);
          assert.ok(p.targets?.length, `${d.uid} / ${p.title}: no query`);
          return p.targets.map((t) => ({ where: `${d.uid} / ${p.title}`, expr: str(t.expr, 'expr') }));
        }),
      );
    before(async () => {
      prom = await startPrometheus({
        config: [
          'global: { evaluation_interval: 1s }',
          `rule_files: [${JSON.stringify(join(RULES_DIR, '*.rules.yml'))}]`,
        ].join('\n'),
      });
    });
    after(() => prom.close());

    void it('loads the rules and accepts every expression', async () => {
      const rules = (await fetch(`${prom.url}/api/v1/rules`).then((r) => r.json())) as {
        data: { groups: unknown[] };
      };
      assert.ok(rules.data.groups.length > 0, 'the stack rules were loaded');
      const queries = panels();
      assert.ok(queries.length >= 20);
      for (const { where, expr } of queries) {
        const res = (await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent(expr)}`).then((r) =>
          r.json(),
        )) as { status: string; error?: string };
        assert.equal(res.status, 'success', `${where}: Prometheus rejects ${expr}: ${res.error ?? ''}`);
      }
    });

    void it('selects only series the stack produces', async () => {
      const known = await knownSeries();
      for (const { where, expr } of panels()) {
        for (const name of selectedMetrics(expr))
          assert.ok(known.has(name), `${where}: ${name} is produced by nothing`);
      }
    });
  });
});
