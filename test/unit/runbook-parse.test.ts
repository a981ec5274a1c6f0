import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { diagnosisSteps, parseRunbook } from '../../src/runbooks/parse-runbook.js';
import { RunbookError } from '../../src/runbooks/runbook-error.js';
import { loadRunbookStore, runbookProblems } from '../../src/runbooks/runbook-store.js';
import { sleep } from '../../support/wait.js';

const VALID = `---
title: Host unreachable
severity: critical
team: platform
summary: node-exporter has not answered for 2 minutes.
links:
  - { title: Exporter docs, url: 'https://github.com/prometheus/node_exporter' }
dashboards:
  - { title: Node exporter, uid: node-exporter }
context:
  - name: up
    query: 'up{instance="{{ instance }}"}'
---
# Host unreachable

## Diagnosis

1. Ping **the host**.
2. Check \`up{job="node-exporter"}\`.
3. SSH in.
4. Fourth step.
`;

const reason = (text: string): string => {
  try {
    parseRunbook('/x/Broken.md', text);
  } catch (err) {
    assert.ok(err instanceof RunbookError);
    assert.equal(err.file, 'Broken.md');
    return err.message;
  }
  assert.fail('expected a RunbookError');
};

describe('parseRunbook', () => {
  it('parses front matter, defaults alerts to the file name, derives three first steps', () => {
    const rb = parseRunbook('/srv/runbooks/NodeDown.md', VALID);
    assert.equal(rb.name, 'NodeDown');
    assert.deepEqual(rb.alerts, ['NodeDown']);
    assert.equal(rb.severity, 'critical');
    assert.deepEqual(rb.context, [{ name: 'up', query: 'up{instance="{{ instance }}"}' }]);
    assert.deepEqual(rb.dashboards, [{ title: 'Node exporter', uid: 'node-exporter' }]);
    assert.deepEqual(rb.firstSteps, ['Ping the host.', 'Check `up{job="node-exporter"}`.', 'SSH in.']);
    assert.ok(rb.body.startsWith('# Host unreachable'));
  });

  it('prefers front matter first_steps', () => {
    const rb = parseRunbook('/x/A.md', VALID.replace('severity: critical', 'first_steps: [Look first]'));
    assert.deepEqual(rb.firstSteps, ['Look first']);
  });

  it('reports each invalid front matter with a reason', () => {
    assert.match(reason('# no front matter'), /missing YAML front matter/);
    assert.match(reason('---\ntitle: [unclosed\n---\n'), /not valid YAML/);
    assert.match(reason(VALID.replace(/^summary:.*$/m, '')), /summary: Required/);
    assert.match(reason(VALID.replace('severity: critical', 'severity: urgent')), /severity: Invalid option: expected one of "critical"\|"warning"/);
    assert.match(reason(VALID.replace('team: platform', 'team: platform\nsumary: typo')), /Unrecognized key.*sumary/);
    assert.match(reason(VALID.replace("url: 'https://github.com/prometheus/node_exporter'", "url: 'javascript:alert(1)'")), /links\.0\.url/);
    assert.match(
      reason(VALID.replace("url: 'https://github.com/prometheus/node_exporter'", "url: 'http://localhost:3000/d/node-exporter'")),
      /links\.0\.url: a Grafana dashboard: name it by uid under `dashboards`/,
    );
    assert.match(reason(VALID.replace('uid: node-exporter', 'uid: node/../admin')), /dashboards\.0\.uid: must be a Grafana dashboard uid/);
    assert.match(reason(VALID.replace('uid: node-exporter', `uid: ${'x'.repeat(41)}`)), /dashboards\.0\.uid/);
    assert.match(reason(VALID.replace('uid: node-exporter }', 'uid: node-exporter, url: x }')), /Unrecognized key.*url/);
    assert.match(reason(VALID.replace('{{ instance }}', '{{ a.b }}')), /context\.0\.query: placeholder/);
    assert.match(reason(VALID.replace('title: Host unreachable', 'title: Host unreachable\nalerts: ["../etc"]')), /alerts\.0: is not a valid alert name/);
  });

  it('stops diagnosis steps at the next heading of the same level', () => {
    assert.deepEqual(diagnosisSteps('## Diagnosis\ntext\n## Mitigation\n1. not this\n'), []);
    assert.deepEqual(diagnosisSteps('## Diagnosis\n### Quick\n1. a\n2. b\n'), ['a', 'b']);
  });
});

describe('runbook store', () => {
  const silent = pino({ level: 'silent' });

  it('skips invalid files, reports "file: reason", keeps the rest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-'));
    writeFileSync(join(dir, 'NodeDown.md'), VALID);
    writeFileSync(join(dir, 'Broken.md'), VALID.replace(/^summary:.*$/m, ''));
    writeFileSync(join(dir, 'NodeDownCopy.md'), VALID.replace('team: platform', 'team: platform\nalerts: [NodeDown]'));
    writeFileSync(join(dir, 'bad name.md'), VALID);
    writeFileSync(join(dir, 'README.txt'), 'ignored');
    const problems = runbookProblems(dir);
    assert.deepEqual(problems.map((p) => p.split(':')[0]).sort(), ['Broken.md', 'NodeDownCopy.md', 'bad name.md']);
    assert.ok(problems.includes('Broken.md: summary: Required'), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('NodeDownCopy.md: alert NodeDown is already covered by NodeDown.md')));
    const store = loadRunbookStore(dir, silent);
    assert.deepEqual(store.list().map((r) => r.name), ['NodeDown']);
    assert.equal(store.forAlert('NodeDown')?.title, 'Host unreachable');
    store.close();
  });

  it('refuses a symlink that leaves the directory', () => {
    const root = mkdtempSync(join(tmpdir(), 'rb-'));
    const dir = join(root, 'runbooks');
    mkdirSync(dir);
    writeFileSync(join(root, 'Secret.md'), VALID);
    symlinkSync(join(root, 'Secret.md'), join(dir, 'Secret.md'));
    assert.deepEqual(runbookProblems(dir), ['Secret.md: symlink resolves outside the runbooks directory']);
  });

  it('reloads on reload() and on file change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-'));
    const store = loadRunbookStore(dir, silent, { watch: true, debounceMs: 20 });
    assert.equal(store.list().length, 0);
    writeFileSync(join(dir, 'NodeDown.md'), VALID);
    for (let i = 0; i < 100 && !store.forAlert('NodeDown'); i++) await sleep(20);
    assert.ok(store.forAlert('NodeDown'), 'file change picked up by the watcher');
    writeFileSync(join(dir, 'Other.md'), VALID);
    assert.deepEqual(store.reload(), []);
    assert.deepEqual(store.list().map((r) => r.name), ['NodeDown', 'Other']);
    store.close();
  });
});
