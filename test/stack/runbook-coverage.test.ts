import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { parse } from 'yaml';
import { DEADMAN_ALERTNAME } from '../../src/deadman/deadman-alert.js';
import { loadRunbookStore, runbookProblems } from '../../src/runbooks/runbook-store.js';

const RULES_DIR = 'prometheus/rules';
const RUNBOOKS_DIR = 'runbooks';

/** Every `alert:` name in prometheus/rules/*.rules.yml. */
function ruleAlertNames(): Set<string> {
  const names = new Set<string>();
  for (const f of readdirSync(RULES_DIR).filter((f) => /\.ya?ml$/.test(f))) {
    const doc = parse(readFileSync(join(RULES_DIR, f), 'utf8')) as {
      groups?: Array<{ rules?: Array<{ alert?: string }> }>;
    };
    for (const g of doc.groups ?? []) for (const r of g.rules ?? []) if (r.alert) names.add(r.alert);
  }
  return names;
}

describe('runbook coverage', () => {
  const store = loadRunbookStore(RUNBOOKS_DIR, pino({ level: 'silent' }));
  const alerts = ruleAlertNames();
  // alert-router raises DeadMansSwitch itself when the Watchdog heartbeat stops.
  const known = new Set([...alerts, DEADMAN_ALERTNAME]);

  it('the shipped runbooks have no problems', () => {
    assert.deepEqual(runbookProblems(RUNBOOKS_DIR), []);
  });

  it('every alert rule has a runbook', () => {
    assert.ok(alerts.size >= 20, `found only ${alerts.size} alert rules`);
    const missing = [...known].filter((a) => !store.forAlert(a));
    assert.deepEqual(missing, [], `alerts without a runbook: ${missing.join(', ')}`);
  });

  it('every runbook names only alerts that exist', () => {
    const unknown = store
      .list()
      .flatMap((rb) => rb.alerts.filter((a) => !known.has(a)).map((a) => `${rb.name}.md: ${a}`));
    assert.deepEqual(unknown, [], `runbooks naming alerts that no rule defines: ${unknown.join(', ')}`);
  });

  it('every runbook is written for the on-call: summary, three first steps, the standard sections', () => {
    for (const rb of store.list()) {
      assert.ok(rb.firstSteps.length >= 3, `${rb.name}.md: fewer than 3 first steps`);
      for (const section of [
        /^## What it means/m,
        /^## Impact/m,
        /^## Diagnosis/m,
        /^## Mitigation/m,
        /^## Escalation/m,
      ])
        assert.match(rb.body, section, `${rb.name}.md lacks ${section.source}`);
    }
  });
  store.close();
});
