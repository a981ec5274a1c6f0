import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { parse } from 'yaml';
import { DEADMAN_ALERTNAME } from '../../src/deadman/deadman-alert.js';
import { loadRunbookStore, runbookProblems } from '../../src/runbooks/runbook-store.js';

const RULES_DIR = 'prometheus/rules';
const FIXTURES_DIR = 'test/fixtures';
/** Slack and email show a first step whole up to this length (format-slack-message.ts, format-email.ts). */
const SHOWN_STEP_CHARS = 200;
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

/** The alertnames of the captured webhook bodies: alerts alert-router is shown receiving. */
function fixtureAlertNames(): Set<string> {
  const names = new Set<string>();
  for (const f of readdirSync(FIXTURES_DIR).filter((f) => f.endsWith('.json') && f !== 'headers.json')) {
    const body = JSON.parse(readFileSync(join(FIXTURES_DIR, f), 'utf8')) as {
      alerts?: Array<{ labels?: { alertname?: string } }>;
    };
    for (const a of body.alerts ?? []) if (a.labels?.alertname) names.add(a.labels.alertname);
  }
  return names;
}

describe('runbook coverage', () => {
  const store = loadRunbookStore(RUNBOOKS_DIR, pino({ level: 'silent' }));
  const alerts = ruleAlertNames();
  // alert-router raises DeadMansSwitch itself when the Watchdog heartbeat stops.
  const known = new Set([...alerts, DEADMAN_ALERTNAME]);
  const fixtures = fixtureAlertNames();

  it('the shipped runbooks have no problems', () => {
    assert.deepEqual(runbookProblems(RUNBOOKS_DIR), []);
  });

  it('every alert rule has a runbook', () => {
    assert.ok(alerts.size >= 20, `found only ${alerts.size} alert rules`);
    const missing = [...known].filter((a) => !store.forAlert(a));
    assert.deepEqual(missing, [], `alerts without a runbook: ${missing.join(', ')}`);
  });

  it('every runbook names only alerts that exist', () => {
    // The captured fixtures' alerts (HighErrorRate) are what the tests and docs show arriving.
    const unknown = store
      .list()
      .flatMap((rb) =>
        rb.alerts.filter((a) => !known.has(a) && !fixtures.has(a)).map((a) => `${rb.name}.md: ${a}`),
      );
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
  it('first steps are shown whole in Slack and email', () => {
    const long = store.list().flatMap((rb) =>
      rb.firstSteps
        .slice(0, 3)
        .filter((s) => s.length > SHOWN_STEP_CHARS)
        .map((s) => `${rb.name}.md: ${s}`),
    );
    assert.deepEqual(long, [], `first steps longer than ${SHOWN_STEP_CHARS} characters`);
  });

  it('a docker compose command comes with its native-stack form (logs in .run/logs/)', () => {
    const composeOnly = store.list().flatMap((rb) => {
      const lines = rb.body.split('\n');
      return lines
        .map((line, i) => ({ line, next: lines[i + 1] ?? '' }))
        .filter(({ line, next }) => /docker compose/.test(line) && !/native/.test(line + next))
        .map(({ line }) => `${rb.name}.md: ${line.trim()}`);
    });
    assert.deepEqual(composeOnly, [], 'steps that only work on the compose stack');
    // A log command names the native stack's log file too, on its line or the next.
    const logs = store.list().flatMap((rb) => {
      const lines = rb.body.split('\n');
      return lines.flatMap((line, i) =>
        /docker compose logs/.test(line) ? [line + (lines[i + 1] ?? '')] : [],
      );
    });
    for (const l of logs) assert.match(l, /\.run\/logs\/([a-z-]+|<[a-z_]+>)\.log/, l);
  });

  it('dashboards are named by uid, of those the compose stack provisions', () => {
    const uids = new Set(store.list().flatMap((rb) => rb.dashboards.map((d) => d.uid)));
    assert.deepEqual([...uids].sort(), ['node-exporter', 'service-health', 'slo-overview']);
  });
  store.close();
});
