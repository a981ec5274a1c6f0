/**
 * A local model registry that answers the MLflow REST API subset the model-registry exporter reads
 * (registered-models/search, model-versions/search, with page tokens and `name='...'` filters), as
 * the local Slack server stands in for Slack in tests. Pages are small on purpose (2 models, 2
 * versions), so the exporter's paging is always exercised.
 */
import express from 'express';
import type { ModelVersion, RegisteredModel } from '../exporters/model-registry/mlflow-client.js';

const DAY_MS = 86_400_000;

export interface DemoModel extends RegisteredModel {
  versions: ModelVersion[];
}

/** Three models: stages only, aliases only (MLflow >= 2.9), and both. */
export function demoModels(now = Date.now()): DemoModel[] {
  const version = (
    name: string,
    v: number,
    stage: string,
    ageDays: number,
    downloads: number,
  ): ModelVersion => ({
    name,
    version: String(v),
    current_stage: stage,
    status: 'READY',
    creation_timestamp: now - (ageDays + 1) * DAY_MS,
    last_updated_timestamp: now - ageDays * DAY_MS,
    tags: [{ key: 'downloads', value: String(downloads) }],
  });
  return [
    {
      name: 'fraud-detector',
      aliases: [{ alias: 'champion', version: '2' }],
      versions: [
        version('fraud-detector', 1, 'Archived', 30, 1200),
        version('fraud-detector', 2, 'Production', 3, 5400),
        version('fraud-detector', 3, 'Staging', 1, 40),
      ],
    },
    {
      name: 'churn-predictor',
      aliases: [{ alias: 'production', version: '2' }],
      versions: [
        version('churn-predictor', 1, 'None', 20, 300),
        version('churn-predictor', 2, 'None', 6, 950),
      ],
    },
    {
      name: 'demand-forecast',
      aliases: [],
      versions: [version('demand-forecast', 1, 'Production', 10, 2100)],
    },
  ];
}

function page<T>(items: T[], token: unknown, size: number): { items: T[]; next?: string } {
  const start = typeof token === 'string' && /^\d+$/.test(token) ? Number(token) : 0;
  const next = start + size < items.length ? String(start + size) : undefined;
  return { items: items.slice(start, start + size), ...(next ? { next } : {}) };
}

/** MLflow's error shape: {error_code, message} with 400. */
const invalid = (res: express.Response, message: string): void => {
  res.status(400).json({ error_code: 'INVALID_PARAMETER_VALUE', message });
};

export function mlflowRoutes(models: DemoModel[], pageSize = 2): express.Router {
  const router = express.Router();
  router.get('/api/2.0/mlflow/registered-models/search', (req, res) => {
    const { items, next } = page(models, req.query.page_token, pageSize);
    res.json({
      registered_models: items.map(({ versions, ...model }) => ({
        ...model,
        // latest_versions: the newest version of each stage, as MLflow returns it.
        latest_versions: [...new Map(versions.map((v) => [v.current_stage, v])).values()],
      })),
      ...(next ? { next_page_token: next } : {}),
    });
  });
  router.get('/api/2.0/mlflow/model-versions/search', (req, res) => {
    const filter = typeof req.query.filter === 'string' ? req.query.filter : '';
    const match = /^name\s*=\s*(['"])(.*)\1$/.exec(filter.trim());
    if (!match) return invalid(res, `filter must be name='<model>', got "${filter}"`);
    const versions = models.find((m) => m.name === match[2])?.versions ?? [];
    const { items, next } = page(versions, req.query.page_token, pageSize);
    res.json({ model_versions: items, ...(next ? { next_page_token: next } : {}) });
  });
  return router;
}

/** Someone pulls a production model now and then: its version's `downloads` tag counts up. */
export function countDownloads(models: DemoModel[]): void {
  for (const model of models) {
    for (const v of model.versions.filter(
      (x) => x.current_stage === 'Production' || model.aliases?.some((a) => a.version === x.version),
    )) {
      const tag = v.tags?.find((t) => t.key === 'downloads');
      if (tag && Math.random() < 0.5) tag.value = String(Number(tag.value) + 1);
    }
  }
}
