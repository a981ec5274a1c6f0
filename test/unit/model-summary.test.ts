import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelVersion } from '../../exporters/model-registry/mlflow-client.js';
import { summarise } from '../../exporters/model-registry/summarise.js';

const PROD = new Set(['production', 'champion']);
const v = (version: number, stage: string, extra: Partial<ModelVersion> = {}): ModelVersion => ({
  name: 'm',
  version: String(version),
  current_stage: stage,
  status: 'READY',
  creation_timestamp: version * 1000_000,
  last_updated_timestamp: version * 1000_000 + 500_000,
  ...extra,
});

describe('summarise (model registry)', () => {
  it('counts versions per stage, with every stage present', () => {
    const s = summarise(
      { name: 'm' },
      [v(1, 'Archived'), v(2, 'Production'), v(3, 'Staging'), v(4, '')],
      PROD,
    );
    assert.deepEqual(Object.fromEntries(s.versionsByStage), {
      None: 1,
      Staging: 1,
      Production: 1,
      Archived: 1,
    });
    assert.equal(s.productionVersions, 1);
    assert.equal(s.lastDeploymentSeconds, 2500);
  });

  it('counts a production alias as production (MLflow >= 2.9 has aliases instead of stages)', () => {
    const s = summarise(
      { name: 'm', aliases: [{ alias: 'Champion', version: '3' }] },
      [v(2, 'None'), v(3, 'None')],
      PROD,
    );
    assert.equal(s.productionVersions, 1);
    assert.equal(s.lastDeploymentSeconds, 3500);
  });

  it('a model with neither has no production version and no deployment time', () => {
    const s = summarise(
      { name: 'm', aliases: [{ alias: 'staging', version: '1' }] },
      [v(1, 'Staging')],
      PROD,
    );
    assert.equal(s.productionVersions, 0);
    assert.equal(s.lastDeploymentSeconds, undefined);
  });

  it('flags the newest version failing to register, and only the newest', () => {
    const failedLast = summarise(
      { name: 'm' },
      [v(1, 'Production'), v(2, 'None', { status: 'FAILED_REGISTRATION' })],
      PROD,
    );
    assert.equal(failedLast.latestVersionFailed, true);
    assert.equal(failedLast.failedVersions, 1);
    // Version 10 sorts after 9 as a number, not as text.
    const recovered = summarise(
      { name: 'm' },
      [v(9, 'None', { status: 'FAILED_REGISTRATION' }), v(10, 'Production')],
      PROD,
    );
    assert.equal(recovered.latestVersionFailed, false);
    assert.equal(recovered.failedVersions, 1);
  });

  it("sums the versions' downloads tags and ignores ones that are not counts", () => {
    const tag = (value: string) => ({ tags: [{ key: 'downloads', value }] });
    const s = summarise(
      { name: 'm' },
      [v(1, 'None', tag('10')), v(2, 'None', tag('5')), v(3, 'None', tag('-1')), v(4, 'None', tag('x'))],
      PROD,
    );
    assert.equal(s.downloads, 15);
    assert.equal(summarise({ name: 'm' }, [v(1, 'None')], PROD).downloads, undefined);
  });
});
