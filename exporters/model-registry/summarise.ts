/**
 * What the exporter says about one registered model, from its versions and aliases. Pure, so
 * the rules' inputs are tested without a registry.
 *
 * Stages (None, Staging, Production, Archived) are deprecated in favour of aliases since MLflow
 * 2.9 (https://mlflow.org/docs/latest/model-registry.html#deprecated-using-model-stages); a
 * version counts as in production if it is in the Production stage or holds a production alias.
 */
import type { ModelVersion, RegisteredModel } from './mlflow-client.js';

export interface ModelSummary {
  model: string;
  /** Versions per stage ("None" when a version has no stage). */
  versionsByStage: Map<string, number>;
  productionVersions: number;
  /** Unix seconds of the newest production version's last update; undefined if none. */
  lastDeploymentSeconds: number | undefined;
  failedVersions: number;
  /** The newest version failed to register (MLflow status FAILED_REGISTRATION). */
  latestVersionFailed: boolean;
  /** Sum of the versions' `downloads` tags (MLflow keeps no download count itself). */
  downloads: number | undefined;
}

export const STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;

/** @example summarise({ name: 'm' }, versions, new Set(['production'])).productionVersions */
export function summarise(
  model: RegisteredModel,
  versions: ModelVersion[],
  productionAliases: ReadonlySet<string>,
): ModelSummary {
  const byStage = new Map<string, number>(STAGES.map((s) => [s, 0]));
  const aliased = new Set(
    (model.aliases ?? []).filter((a) => productionAliases.has(a.alias.toLowerCase())).map((a) => a.version),
  );
  const production: ModelVersion[] = [];
  let failed = 0;
  let downloads: number | undefined;
  for (const v of versions) {
    const stage = v.current_stage && v.current_stage.length > 0 ? v.current_stage : 'None';
    byStage.set(stage, (byStage.get(stage) ?? 0) + 1);
    if (v.status === 'FAILED_REGISTRATION') failed += 1;
    else if (stage === 'Production' || aliased.has(v.version)) production.push(v);
    const tag = v.tags?.find((t) => t.key === 'downloads');
    const count = tag ? Number(tag.value) : NaN;
    if (Number.isFinite(count) && count >= 0) downloads = (downloads ?? 0) + count;
  }
  const newest = versions.reduce<ModelVersion | undefined>(
    (best, v) => (best === undefined || Number(v.version) > Number(best.version) ? v : best),
    undefined,
  );
  const lastUpdate = Math.max(
    ...production.map((v) => v.last_updated_timestamp ?? v.creation_timestamp ?? 0),
  );
  return {
    model: model.name,
    versionsByStage: byStage,
    productionVersions: production.length,
    lastDeploymentSeconds: production.length > 0 && lastUpdate > 0 ? lastUpdate / 1000 : undefined,
    failedVersions: failed,
    latestVersionFailed: newest?.status === 'FAILED_REGISTRATION',
    downloads,
  };
}
