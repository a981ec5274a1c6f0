/**
 * Prometheus side of the monitoring stack: configs, rule files and their promtool unit tests.
 *
 *   node --import tsx --test test/stack/rules.test.ts
 *
 * Needs `promtool` (Debian package `prometheus`). A missing binary fails the test: a skipped
 * check would let broken rules through unnoticed.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { RE2JS } from 're2js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { parse } from 'yaml';
import { runTool, type ToolResult } from '../helpers/run-tool.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PROM_DIR = join(ROOT, 'prometheus');
const RULES_DIR = join(PROM_DIR, 'rules');
const TESTS_DIR = join(PROM_DIR, 'tests');
const RUNBOOK_BASE = 'http://localhost:8080/runbooks/';
const SEVERITIES = new Set(['critical', 'warning', 'info']);

const run = (binary: string, args: string[]): Promise<ToolResult> =>
  runTool(binary, args, { pkg: 'prometheus', cwd: ROOT });

async function assertSuccess(binary: string, args: string[]): Promise<ToolResult> {
  const result = await run(binary, args);
  assert.equal(result.code, 0, `${binary} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result;
}

function yamlFiles(dir: string, suffix: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => join(dir, f));
}

interface Rule {
  alert?: string;
  record?: string;
  expr?: string;
  labels?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

function alertRules(): Array<Rule & { alert: string; file: string }> {
  const out: Array<Rule & { alert: string; file: string }> = [];
  for (const file of yamlFiles(RULES_DIR, '.rules.yml')) {
    const doc = parse(readFileSync(file, 'utf8')) as { groups?: Array<{ rules?: Rule[] }> };
    for (const group of doc.groups ?? []) {
      for (const rule of group.rules ?? []) {
        if (typeof rule.alert === 'string') out.push({ ...rule, alert: rule.alert, file });
      }
    }
  }
  return out;
}

test('promtool is installed', async () => {
  const result = await run('promtool', ['--version']);
  assert.equal(result.code, 0, `promtool --version failed: ${result.stderr}`);
});

for (const config of ['prometheus.yml', 'federation.yml', 'remote-write.yml']) {
  test(`promtool check config ${config}`, async () => {
    const path = join(PROM_DIR, config);
    assert.ok(existsSync(path), `missing ${path}`);
    const result = await assertSuccess('promtool', ['check', 'config', path]);
    // file_sd files that do not exist are only a WARNING for promtool; treat them as errors.
    assert.doesNotMatch(result.stdout + result.stderr, /WARNING/i);
  });
}

test('promtool check rules on every rule file', async () => {
  const files = yamlFiles(RULES_DIR, '.rules.yml');
  assert.ok(files.length >= 5, `expected the rule files in ${RULES_DIR}, found ${files.length}`);
  await assertSuccess('promtool', ['check', 'rules', ...files]);
});

const testFiles = existsSync(TESTS_DIR) ? yamlFiles(TESTS_DIR, '.test.yml') : [];

test('there are promtool unit test files', () => {
  assert.ok(testFiles.length >= 5, `expected promtool tests in ${TESTS_DIR}`);
});

for (const file of testFiles) {
  test(`promtool test rules ${file.slice(ROOT.length)}`, async () => {
    await assertSuccess('promtool', ['test', 'rules', file]);
  });
}

test('every alert has severity/team/service labels and summary/description/runbook_url', () => {
  const rules = alertRules();
  assert.ok(rules.length > 20, `only ${rules.length} alert rules found`);
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const rule of rules) {
    const where = `${rule.file.slice(ROOT.length)}: ${rule.alert}`;
    if (!/^[A-Z][A-Za-z0-9]*$/.test(rule.alert)) problems.push(`${where}: alertname is not PascalCase`);
    const previous = seen.get(rule.alert);
    if (previous) problems.push(`${where}: duplicate alertname (also in ${previous})`);
    seen.set(rule.alert, rule.file.slice(ROOT.length));

    const labels = rule.labels ?? {};
    const severity = labels['severity'];
    const expectedSeverity =
      rule.alert === 'Watchdog' ? severity === 'none' : SEVERITIES.has(String(severity));
    if (!expectedSeverity) problems.push(`${where}: bad severity ${String(severity)}`);
    for (const key of ['team', 'service']) {
      const value = labels[key];
      if (typeof value !== 'string' || value.trim() === '') problems.push(`${where}: missing label ${key}`);
    }
    const annotations = rule.annotations ?? {};
    for (const key of ['summary', 'description']) {
      const value = annotations[key];
      if (typeof value !== 'string' || value.trim() === '')
        problems.push(`${where}: missing annotation ${key}`);
    }
    if (annotations['runbook_url'] !== `${RUNBOOK_BASE}${rule.alert}`) {
      problems.push(
        `${where}: runbook_url is ${String(annotations['runbook_url'])}, want ${RUNBOOK_BASE}${rule.alert}`,
      );
    }
  }
  assert.deepEqual(problems, []);
});

test('the Watchdog is vector(1) with severity none, team platform, service alerting-pipeline', () => {
  const watchdog = alertRules().find((r) => r.alert === 'Watchdog');
  assert.ok(watchdog, 'no Watchdog alert');
  assert.equal(String(watchdog.expr).trim(), 'vector(1)');
  assert.deepEqual(watchdog.labels, { severity: 'none', team: 'platform', service: 'alerting-pipeline' });
});

test('every alert is unit-tested firing and (except the Watchdog) silent', () => {
  const firing = new Set<string>();
  const silent = new Set<string>();
  for (const file of testFiles) {
    const doc = parse(readFileSync(file, 'utf8')) as {
      tests?: Array<{ alert_rule_test?: Array<{ alertname?: string; exp_alerts?: unknown[] | null }> }>;
    };
    for (const t of doc.tests ?? []) {
      for (const a of t.alert_rule_test ?? []) {
        if (!a.alertname) continue;
        if (Array.isArray(a.exp_alerts) && a.exp_alerts.length > 0) firing.add(a.alertname);
        else silent.add(a.alertname);
      }
    }
  }
  const missing: string[] = [];
  for (const { alert } of alertRules()) {
    if (!firing.has(alert)) missing.push(`${alert}: no firing case`);
    if (alert !== 'Watchdog' && !silent.has(alert)) missing.push(`${alert}: no silent case`);
  }
  assert.deepEqual(missing, []);
});

test('burn-rate recording rules exist for every window and both SLOs', () => {
  const records = new Set<string>();
  for (const file of yamlFiles(RULES_DIR, '.rules.yml')) {
    const doc = parse(readFileSync(file, 'utf8')) as { groups?: Array<{ rules?: Rule[] }> };
    for (const group of doc.groups ?? [])
      for (const rule of group.rules ?? []) if (rule.record) records.add(rule.record);
  }
  for (const window of ['5m', '30m', '1h', '2h', '6h', '1d', '3d']) {
    for (const name of [
      'slo:service_availability:ratio_rate',
      'slo:service_latency:success_ratio_rate',
      'slo:service_error_rate:ratio_rate',
      'slo:burn_rate:',
    ]) {
      assert.ok(records.has(`${name}${window}`), `missing recording rule ${name}${window}`);
    }
  }
  assert.ok(records.has('slo:service_availability:error_budget_remaining'));
  assert.ok(records.has('slo:service_latency:error_budget_remaining'));
});

interface ScrapeConfig {
  job_name: string;
  honor_labels?: boolean;
  file_sd_configs?: Array<{ files?: string[] }>;
  static_configs?: unknown[];
  metric_relabel_configs?: Array<{ action?: string; regex?: string; source_labels?: string[] }>;
}

test('prometheus.yml: jobs, file_sd targets/<job>.yml, relabeling, alerting, rules', () => {
  const config = parse(readFileSync(join(PROM_DIR, 'prometheus.yml'), 'utf8')) as {
    global?: { external_labels?: Record<string, string> };
    rule_files?: string[];
    alerting?: { alertmanagers?: Array<{ static_configs?: Array<{ targets?: string[] }> }> };
    scrape_configs?: ScrapeConfig[];
  };
  const jobs = new Map((config.scrape_configs ?? []).map((j) => [j.job_name, j]));
  const expected = [
    'prometheus',
    'alertmanager',
    'node-exporter',
    'cadvisor',
    'inference-gateway',
    'feature-store',
    'model-registry',
    'pushgateway',
    'alert-router',
    'gpu',
    'database',
  ];
  assert.deepEqual([...jobs.keys()].sort(), [...expected].sort());
  for (const name of expected.filter((j) => j !== 'prometheus')) {
    const job = jobs.get(name);
    assert.ok(job);
    assert.deepEqual(
      job.file_sd_configs,
      [{ files: [`targets/${name}.yml`] }],
      `${name} must read targets/${name}.yml`,
    );
    assert.ok(existsSync(join(PROM_DIR, 'targets', `${name}.yml`)), `missing prometheus/targets/${name}.yml`);
  }
  const targets = (job: string): string => readFileSync(join(PROM_DIR, 'targets', `${job}.yml`), 'utf8');
  assert.match(targets('inference-gateway'), /inference-gateway:8000/);
  assert.match(targets('alert-router'), /alert-router:8080/);
  assert.equal(jobs.get('pushgateway')?.honor_labels, true);
  assert.notEqual(jobs.get('prometheus')?.honor_labels, true);

  // The seed's `keep` on node_filesystem_(avail|free|size)_bytes dropped everything the node
  // alerts need. No `keep` is allowed on node-exporter, and no drop may hit a needed family.
  const nodeRelabel = jobs.get('node-exporter')?.metric_relabel_configs ?? [];
  assert.ok(
    nodeRelabel.every((r) => r.action !== 'keep'),
    'node-exporter must not use action: keep',
  );
  const nameDrops = nodeRelabel.filter(
    (r) => r.action === 'drop' && r.source_labels?.length === 1 && r.source_labels[0] === '__name__',
  );
  for (const needed of [
    'node_cpu_seconds_total',
    'node_memory_MemAvailable_bytes',
    'node_memory_MemTotal_bytes',
    'node_filesystem_avail_bytes',
    'node_filesystem_size_bytes',
    'node_filesystem_readonly',
  ]) {
    for (const rule of nameDrops) {
      assert.ok(
        // Prometheus relabel regexes are RE2, fully anchored.
        !RE2JS.compile(`^(?:${rule.regex ?? ''})$`).matcher(needed).matches(),
        `node-exporter relabeling drops ${needed}`,
      );
    }
  }

  assert.deepEqual(config.rule_files, ['rules/*.rules.yml']);
  assert.deepEqual(config.alerting?.alertmanagers?.[0]?.static_configs?.[0]?.targets, ['alertmanager:9093']);
  const external = config.global?.external_labels ?? {};
  assert.ok(external['cluster'], 'external_labels.cluster');
  assert.ok(external['replica'], 'external_labels.replica');
});

test('grep -h "alert:" lists every alert once', () => {
  const names = yamlFiles(RULES_DIR, '.yml')
    .flatMap((f) => readFileSync(f, 'utf8').split('\n'))
    .map((line) => /^\s*- alert:\s*(\S+)\s*$/.exec(line)?.[1])
    .filter((n): n is string => n !== undefined);
  assert.deepEqual(
    [...names].sort(),
    alertRules()
      .map((r) => r.alert)
      .sort(),
  );
});
