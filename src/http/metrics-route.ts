import { Router } from 'express';
import { mergedMetrics, type MetricsJSON } from '../metrics/merged-metrics.js';
import type { Metrics } from '../metrics/metrics.js';

/**
 * /metrics, refreshing sampled gauges (queue depth) just before each scrape. With `others` (ROLE=all's
 * worker process), their metrics and this process's are one answer (see mergedMetrics).
 */
export function metricsRoute(
  metrics: Metrics,
  beforeScrape: () => Promise<void>,
  others?: () => Promise<readonly MetricsJSON[]>,
): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    await beforeScrape().catch(() => undefined); // Redis down: still serve process metrics
    const registry = await mergedMetrics(metrics, others);
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
