/**
 * Model-registry exporter (port 9102): versions per model and stage, production versions,
 * seconds since the last deployment, failed registrations and downloads, read from an MLflow
 * model registry over its REST API on every scrape.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import { serveMetrics, type RunningExporter } from '../lib/serve-metrics.js';
import { trackReads } from '../lib/track-reads.js';
import { MlflowClient, type MlflowAuth } from './mlflow-client.js';
import { summarise } from './summarise.js';

export interface ModelRegistryOptions {
  port: number;
  host?: string;
  /** MLFLOW_TRACKING_URI: the registry's base URL. */
  trackingUri: string;
  auth?: MlflowAuth;
  productionAliases?: string[];
  timeoutMs?: number;
}

/** @example const exporter = await startModelRegistryExporter({ port: 9102, trackingUri: 'http://127.0.0.1:5000' }); */
export async function startModelRegistryExporter(options: ModelRegistryOptions): Promise<RunningExporter> {
  const client = new MlflowClient(options.trackingUri, options.auth, options.timeoutMs);
  const aliases = new Set(
    (options.productionAliases ?? ['production', 'champion']).map((a) => a.toLowerCase()),
  );
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[] = ['model']): Gauge =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  const models = gauge('model_registry_models', 'Registered models.', []);
  const versions = gauge('model_registry_model_versions', 'Versions of the model in each stage.', [
    'model',
    'stage',
  ]);
  const production = gauge(
    'model_registry_production_versions',
    'Versions of the model in production (Production stage or a production alias).',
  );
  const lastDeployment = gauge(
    'model_registry_last_deployment_timestamp_seconds',
    'When the newest production version of the model was last updated (Unix seconds).',
  );
  const sinceDeployment = gauge(
    'model_registry_seconds_since_last_deployment',
    'Seconds since the newest production version of the model was last updated.',
  );
  const failed = gauge('model_registry_failed_versions', 'Versions of the model whose registration failed.');
  const latestFailed = gauge(
    'model_registry_latest_version_failed',
    '1 if the newest version of the model failed to register, else 0.',
  );
  const downloads = new Counter({
    name: 'model_registry_model_downloads_total',
    help: "Downloads of the model's versions (their `downloads` tags).",
    labelNames: ['model'],
    registers: [registry],
  });
  const tracked = trackReads(registry, {
    prefix: 'model_registry',
    source: 'the registry',
    logName: 'model-registry-exporter',
  });

  const read = async (): Promise<void> => {
    const found = await client.registeredModels();
    const summaries = [];
    for (const model of found) summaries.push(summarise(model, await client.versions(model.name), aliases));
    for (const metric of [
      versions,
      production,
      lastDeployment,
      sinceDeployment,
      failed,
      latestFailed,
      downloads,
    ])
      metric.reset();
    const now = Date.now() / 1000;
    for (const s of summaries) {
      const labels = { model: s.model };
      // summarise() lists every stage, so a stage with no version is a 0, not a missing series.
      for (const [stage, count] of s.versionsByStage) versions.set({ model: s.model, stage }, count);
      production.set(labels, s.productionVersions);
      if (s.lastDeploymentSeconds !== undefined) {
        lastDeployment.set(labels, s.lastDeploymentSeconds);
        sinceDeployment.set(labels, Math.max(0, now - s.lastDeploymentSeconds));
      }
      failed.set(labels, s.failedVersions);
      latestFailed.set(labels, s.latestVersionFailed ? 1 : 0);
      if (s.downloads !== undefined) downloads.inc(labels, s.downloads);
    }
    models.set(summaries.length);
  };
  return serveMetrics({ port: options.port, host: options.host, registry, refresh: () => tracked(read) });
}
