/**
 * Whether the runbooks in use are the ones on disk: a load that skipped a file says so in
 * /metrics (as Prometheus' own config_last_reload_successful does), and a fixed file clears it.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, it } from 'node:test';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';

const dir = mkdtempSync(join(tmpdir(), 'ar-runbooks-'));
let router: TestRouter;

before(async () => {
  copyFileSync(resolve(import.meta.dirname, '../../runbooks/AlertRouterDown.md'), join(dir, 'AlertRouterDown.md'));
  router = await startTestRouter({ channels: { outbox: { type: 'outbox' } }, defaultChannels: ['outbox'] }, { RUNBOOKS_DIR: dir });
});
after(async () => {
  await router?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sample = async (pattern: RegExp): Promise<string | undefined> =>
  pattern.exec(await (await fetch(`${router.url}/metrics`)).text())?.[1];

it('reports a clean load, a load that skipped a broken file, and the reload that fixed it', async () => {
  assert.equal(await sample(/^alert_router_runbooks_last_load_successful (\S+)$/m), '1');
  assert.equal(await sample(/^alert_router_runbook_reloads_total\{outcome="success"\} (\S+)$/m), '1');

  writeFileSync(join(dir, 'Broken.md'), '---\nalerts: [Broken]\n---\nno summary, no steps\n');
  assert.ok(router.runbooks.reload().some((p) => p.startsWith('Broken.md')));
  assert.equal(await sample(/^alert_router_runbooks_last_load_successful (\S+)$/m), '0');
  // The directory watcher may have reloaded too by now: at least our reload is counted.
  assert.ok(Number(await sample(/^alert_router_runbook_reloads_total\{outcome="problems"\} (\S+)$/m)) >= 1);

  rmSync(join(dir, 'Broken.md'));
  assert.deepEqual(router.runbooks.reload(), []);
  assert.equal(await sample(/^alert_router_runbooks_last_load_successful (\S+)$/m), '1');
});
